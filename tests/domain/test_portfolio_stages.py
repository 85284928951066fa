"""The portfolio's stage of each workflow, in words."""

from datetime import date

import pytest

from workflows.portfolio.stages import CompletedReview, workflow_stage

GO_LIVE = date(2026, 3, 2)
DAY_30 = CompletedReview(30, "Day 30: throughput", "Keep at 25%")
DAY_60 = CompletedReview(60, "Day 60: conversion", "Cut over")


@pytest.mark.parametrize(
    ("go_live", "completed", "as_of", "expected"),
    [
        (None, [], date(2026, 3, 1), "Not planned yet"),
        (GO_LIVE, [], date(2026, 2, 20), "Building: goes live 02 Mar"),
        (GO_LIVE, [], GO_LIVE, "Live, day 0"),
        (GO_LIVE, [], date(2026, 3, 20), "Live, day 18"),
        (
            GO_LIVE,
            [DAY_30],
            date(2026, 4, 5),
            "Live, day 34: Day 30: throughput review done (keep at 25%)",
        ),
        # The latest stage wins, whatever the order they come in.
        (
            GO_LIVE,
            [DAY_60, DAY_30],
            date(2026, 5, 2),
            "Live, day 61: Day 60: conversion review done (cut over)",
        ),
    ],
)
def test_the_stage_reads_plan_go_live_and_the_latest_completed_review(
    go_live, completed, as_of, expected
):
    assert workflow_stage(go_live=go_live, completed=completed, as_of=as_of) == expected

"""The map's shared shapes: failure routes in words, and the limits every field shares."""

from decimal import Decimal

import pytest

from workflows.maps.shapes import (
    PROCESS_MINUTES,
    RUNS_PER_WEEK,
    SHARE_OF_RUNS,
    FailureRoute,
    describe_failure_route,
)

D = Decimal


@pytest.mark.parametrize(
    ("route", "target", "tries", "wait", "words"),
    [
        (FailureRoute.NONE, "", 0, D(0), "none"),
        (FailureRoute.QUEUE, "", 0, D(0), "queue"),
        (FailureRoute.HUMAN, "Dana", 0, D(0), "a named human → Dana"),
        (FailureRoute.RETRY, "", 0, D(0), "retry"),
        (FailureRoute.RETRY, "", 3, D("1.000"), "retry ×3, 1 s apart"),
        (FailureRoute.RETRY, "", 3, D("1.5"), "retry ×3, 1.5 s apart"),
        (FailureRoute.RETRY, "", 1, D(1), "retry"),  # one try in total retries nothing
        (FailureRoute.NONE, "", 2, D(0), "retry ×2, 0 s apart"),
        (FailureRoute.QUEUE, "Notify SDR", 0, D(0), "queue → Notify SDR"),
        (
            FailureRoute.QUEUE,
            "Notify SDR",
            3,
            D(2),
            "retry ×3, 2 s apart, then queue → Notify SDR",
        ),
        (
            FailureRoute.RETRY,
            "error workflow 4X",
            3,
            D(1),
            "retry ×3, 1 s apart, then to error workflow 4X",
        ),
        (FailureRoute.NONE, " Ops ", 0, D(0), "to Ops"),
        (FailureRoute.DEAD_LETTER, "", 0, D(0), "dead-letter"),
    ],
)
def test_a_failure_route_in_words(route, target, tries, wait, words):
    assert describe_failure_route(route, target, tries, wait) == words


@pytest.mark.parametrize(
    ("limit", "value", "problem"),
    [
        (PROCESS_MINUTES, D("0.07"), None),
        (PROCESS_MINUTES, D("1000000"), None),
        (PROCESS_MINUTES, D("1000000.00"), None),
        (PROCESS_MINUTES, D("1E+2"), None),
        (PROCESS_MINUTES, D("0.0667"), "process minutes 0.0667 has more than 2 decimal places"),
        (PROCESS_MINUTES, D("2.500"), "process minutes 2.500 has more than 2 decimal places"),
        (
            PROCESS_MINUTES,
            D("1000000.01"),
            "process minutes must be from 0 to 1000000, got 1000000.01",
        ),
        (PROCESS_MINUTES, D("-0.5"), "process minutes must be from 0 to 1000000, got -0.5"),
        (PROCESS_MINUTES, D("NaN"), "process minutes must be a number, got NaN"),
        (RUNS_PER_WEEK, D("0.25"), "runs per week 0.25 has more than 1 decimal place"),
        (SHARE_OF_RUNS, D("100.0"), None),
        (SHARE_OF_RUNS, D("15"), None),
    ],
)
def test_a_decimal_limit_names_its_problem(limit, value, problem):
    assert limit.problem(value) == problem

"""Which benchmark dimensions a candidate moves, suggested from its answers."""

import pytest

from workflows.candidates.dimensions import candidates_for_gap, suggest_dimensions


@pytest.mark.parametrize(
    ("name", "pain", "ai", "degrees", "expected"),
    [
        (
            "Inbound demo-request follow-up",
            "Leads wait 47 minutes",
            True,
            1,
            ("orchestration", "measurement"),
        ),
        (
            "Weekly pipeline report",
            "Built by hand from three exports",
            True,
            3,
            ("orchestration", "measurement", "reporting"),
        ),
        ("Weekly board dashboard", "", False, 3, ("reporting",)),
        ("CRM enrichment sync", "", False, 2, ("data",)),
        ("Tool licence audit", "Seats nobody uses", False, 3, ("stack", "vendors")),
        ("Brand review of AI drafts", "", None, None, ("governance",)),
        ("Something else", "", None, None, ()),
    ],
)
def test_it_suggests_dimensions_from_answers(name, pain, ai, degrees, expected):
    got = suggest_dimensions(
        name=name, pain=pain, ai_can_automate_step=ai, degrees_from_revenue=degrees
    )
    assert got == expected


def test_it_keeps_the_candidates_that_move_the_gap_in_order():
    candidates = [("A", ("reporting",)), ("B", ("orchestration",)), ("C", ("reporting", "data"))]
    assert candidates_for_gap("reporting", candidates) == ["A", "C"]

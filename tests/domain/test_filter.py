"""The 3-criteria filter by hand-computed cases, plus properties of cost and rank."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.candidates.filter import (
    CandidateInput,
    compute_annual_cost,
    filter_candidate,
    rank_candidates,
)

RATE = Decimal(50)


def candidate(name="Lead routing", hours="10", automatable=True, degrees=1, people=2, key=""):
    return CandidateInput(
        name=name,
        hours_per_week=Decimal(hours),
        people_involved=people,
        ai_can_automate_step=automatable,
        degrees_from_revenue=degrees,
        key=key,
    )


def criterion(result, criterion_id):
    return next(c for c in result.criteria if c.id == criterion_id)


@pytest.mark.parametrize(
    ("hours", "passed", "reason"),
    [
        ("5", True, "5 hours a week today: at least 5, big enough to be worth orchestrating."),
        ("6", True, "6 hours a week today: at least 5, big enough to be worth orchestrating."),
        ("5.00", True, "5 hours a week today: at least 5, big enough to be worth orchestrating."),
        ("4.9", False, "4.9 hours a week today: below 5, too small to pay back."),
        ("3", False, "3 hours a week today: below 5, too small to pay back."),
        ("1", False, "1 hour a week today: below 5, too small to pay back."),
        ("0", False, "0 hours a week today: below 5, too small to pay back."),
    ],
)
def test_the_hours_criterion_needs_at_least_five_hours_a_week(hours, passed, reason):
    result = filter_candidate(candidate(hours=hours), loaded_hourly_rate_usd=RATE)
    hours_result = criterion(result, "hours")
    assert hours_result.passed is passed
    assert hours_result.reason == reason
    assert hours_result.label == "Current human-hour cost"
    assert result.passed is passed


def test_exactly_five_hours_passes():
    assert filter_candidate(candidate(hours="5"), loaded_hourly_rate_usd=RATE).passed


def test_four_point_nine_hours_fails():
    assert not filter_candidate(candidate(hours="4.9"), loaded_hourly_rate_usd=RATE).passed


@pytest.mark.parametrize(
    ("automatable", "reason"),
    [
        (True, "AI can credibly automate at least one step today."),
        (False, "No step AI can credibly automate today."),
    ],
)
def test_the_feasibility_criterion_needs_a_step_ai_can_automate(automatable, reason):
    result = filter_candidate(candidate(automatable=automatable), loaded_hourly_rate_usd=RATE)
    feasibility = criterion(result, "feasibility")
    assert feasibility.passed is automatable
    assert feasibility.reason == reason
    assert result.passed is automatable


@pytest.mark.parametrize(
    ("degrees", "passed", "reason"),
    [
        (1, True, "1 degree from a revenue metric: within 2."),
        (2, True, "2 degrees from a revenue metric: within 2."),
        (3, False, "3 degrees from a revenue metric: more than 2, too far to show in pipeline."),
        (5, False, "5 degrees from a revenue metric: more than 2, too far to show in pipeline."),
    ],
)
def test_the_revenue_criterion_needs_two_degrees_or_fewer(degrees, passed, reason):
    result = filter_candidate(candidate(degrees=degrees), loaded_hourly_rate_usd=RATE)
    revenue = criterion(result, "revenue")
    assert revenue.passed is passed
    assert revenue.reason == reason
    assert result.passed is passed


def test_it_reports_the_three_criteria_in_order():
    result = filter_candidate(candidate(), loaded_hourly_rate_usd=RATE)
    assert [c.id for c in result.criteria] == ["hours", "feasibility", "revenue"]
    assert [c.label for c in result.criteria] == [
        "Current human-hour cost",
        "Automation feasibility",
        "Revenue connection",
    ]


def test_it_fails_when_any_one_criterion_fails_and_reports_all_three():
    result = filter_candidate(
        candidate(hours="2", automatable=False, degrees=4), loaded_hourly_rate_usd=RATE
    )
    assert not result.passed
    assert [c.passed for c in result.criteria] == [False, False, False]


@pytest.mark.parametrize(
    ("hours", "rate", "annual"),
    [
        ("10", "50", Decimal(26_000)),  # 10 x 50 x 52
        ("5", "50", Decimal(13_000)),  # 5 x 50 x 52
        ("4.9", "50", Decimal(12_740)),  # 4.9 x 50 x 52, computed even when it fails
        ("7.5", "83.33", Decimal(32_499)),  # 32,498.70 rounds up
        ("1", "0.01", Decimal(1)),  # 0.52 rounds half up to 1
        ("1", "0.0096", Decimal(0)),  # 0.4992 rounds down
        ("0", "80", Decimal(0)),
        ("12", "0", Decimal(0)),
    ],
)
def test_annual_cost_is_hours_times_rate_times_52_in_whole_dollars(hours, rate, annual):
    result = filter_candidate(candidate(hours=hours), loaded_hourly_rate_usd=Decimal(rate))
    assert result.annual_cost_usd == annual
    assert result.annual_cost_usd.as_tuple().exponent == 0


def test_filter_candidate_leaves_rank_unset_and_passes_the_candidate_through():
    c = candidate(key="cand-7")
    result = filter_candidate(c, loaded_hourly_rate_usd=RATE)
    assert result.rank is None
    assert result.candidate is c
    assert result.candidate.key == "cand-7"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hours": "-1"}, "hours per week must be zero or more"),
        ({"degrees": 0}, "degrees from revenue must be at least 1"),
        ({"people": -1}, "people involved must be zero or more"),
    ],
)
def test_it_rejects_impossible_candidates(kwargs, message):
    with pytest.raises(ValueError, match=message):
        filter_candidate(candidate(**kwargs), loaded_hourly_rate_usd=RATE)


def test_it_rejects_a_negative_rate():
    with pytest.raises(ValueError, match="Loaded hourly rate must be zero or more"):
        filter_candidate(candidate(), loaded_hourly_rate_usd=Decimal(-1))
    with pytest.raises(ValueError, match="Loaded hourly rate must be zero or more"):
        rank_candidates([], loaded_hourly_rate_usd=Decimal(-1))


def test_zero_people_is_allowed():
    assert filter_candidate(candidate(people=0), loaded_hourly_rate_usd=RATE).passed


def test_it_ranks_passing_candidates_by_annual_cost_then_failing_ones():
    results = rank_candidates(
        [
            candidate("Reporting", hours="3"),  # fails: 7,800
            candidate("Lead routing", hours="10"),  # 26,000
            candidate("Webinar follow-up", hours="20", degrees=3),  # fails: 52,000
            candidate("Enrichment", hours="15"),  # 39,000
            candidate("Content briefs", hours="6", automatable=False),  # fails: 15,600
            candidate("Meeting notes", hours="5"),  # 13,000
        ],
        loaded_hourly_rate_usd=RATE,
    )
    assert [(r.candidate.name, r.annual_cost_usd, r.rank) for r in results] == [
        ("Enrichment", Decimal(39_000), 1),
        ("Lead routing", Decimal(26_000), 2),
        ("Meeting notes", Decimal(13_000), 3),
        ("Webinar follow-up", Decimal(52_000), None),
        ("Content briefs", Decimal(15_600), None),
        ("Reporting", Decimal(7_800), None),
    ]


def test_equal_annual_costs_rank_by_name():
    results = rank_candidates(
        [
            candidate("Zeta", hours="8"),
            candidate("Alpha", hours="8"),
            candidate("Mid", hours="8"),
            candidate("Yankee", hours="2"),
            candidate("Bravo", hours="2"),
        ],
        loaded_hourly_rate_usd=RATE,
    )
    assert [(r.candidate.name, r.rank) for r in results] == [
        ("Alpha", 1),
        ("Mid", 2),
        ("Zeta", 3),
        ("Bravo", None),
        ("Yankee", None),
    ]


def test_ranking_nothing_gives_nothing():
    assert rank_candidates([], loaded_hourly_rate_usd=RATE) == ()


def test_ranking_only_failing_candidates_ranks_none():
    results = rank_candidates(
        [candidate("A", hours="1"), candidate("B", automatable=False)], loaded_hourly_rate_usd=RATE
    )
    assert [r.rank for r in results] == [None, None]


def test_ranking_accepts_any_iterable():
    results = rank_candidates(
        (candidate(n, hours=h) for n, h in [("A", "5"), ("B", "9")]), loaded_hourly_rate_usd=RATE
    )
    assert [(r.candidate.name, r.rank) for r in results] == [("B", 1), ("A", 2)]


hours_values = st.decimals(min_value=0, max_value=200, places=2)
rates = st.decimals(min_value=0, max_value=500, places=2)


@given(hours=hours_values, more=hours_values, rate=rates)
def test_annual_cost_is_never_negative_and_grows_with_hours(hours, more, rate):
    low = compute_annual_cost(hours, loaded_hourly_rate_usd=rate)
    high = compute_annual_cost(hours + more, loaded_hourly_rate_usd=rate)
    assert low >= 0
    assert high >= low


candidates = st.builds(
    CandidateInput,
    name=st.sampled_from(["A", "B", "C", "D"]),
    hours_per_week=hours_values,
    people_involved=st.integers(min_value=0, max_value=20),
    ai_can_automate_step=st.booleans(),
    degrees_from_revenue=st.integers(min_value=1, max_value=5),
)


@given(items=st.lists(candidates, max_size=12), rate=rates)
def test_ranks_run_from_one_to_n_with_no_gaps(items, rate):
    results = rank_candidates(items, loaded_hourly_rate_usd=rate)
    passing = [r for r in results if r.passed]
    assert len(results) == len(items)
    assert [r.rank for r in passing] == list(range(1, len(passing) + 1))
    assert all(r.rank is None for r in results if not r.passed)
    # Passing first, and within each group the annual cost never rises.
    assert [r.passed for r in results] == sorted((r.passed for r in results), reverse=True)
    for group in (passing, [r for r in results if not r.passed]):
        costs = [r.annual_cost_usd for r in group]
        assert costs == sorted(costs, reverse=True)

"""Qualification of a Revenue Audit submission by hand-computed cases, plus properties."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audits.qualification import (
    BUDGET_LOWER_BOUNDS_USD,
    DECISION_ROLE_SCORES,
    REVENUE_BANDS,
    URGENCY_SCORES,
    QualificationInput,
    qualify,
)
from workflows.candidates.filter import CandidateInput, filter_candidate

# 10 hours a week x $50 x 52 = $26,000 a year.
PASSING = filter_candidate(
    CandidateInput(
        name="Lead routing",
        hours_per_week=Decimal(10),
        people_involved=2,
        ai_can_automate_step=True,
        degrees_from_revenue=1,
    ),
    loaded_hourly_rate_usd=Decimal(50),
)
FAILING = replace(PASSING, passed=False)


def top(annual):
    return replace(PASSING, annual_cost_usd=Decimal(annual), rank=1)


def submission(**overrides):
    fields = {
        "revenue_band": "5-20m",
        "implementation_budget": "10-25k",
        "urgency": "30_days",
        "crm": "HubSpot",
        "monthly_lead_volume": 400,
        "decision_role": "signs_off",
        "top_candidate": PASSING,
        "candidate_count": 3,
    }
    fields.update(overrides)
    return QualificationInput(**fields)


def dimension(result, dimension_id):
    return next(d for d in result.dimensions if d.id == dimension_id)


def scores(result):
    return [d.score for d in result.dimensions]


def test_the_four_dimensions_come_in_order_with_labels():
    result = qualify(submission())
    assert [(d.id, d.label) for d in result.dimensions] == [
        ("deal_size", "Deal-size potential"),
        ("urgency", "Urgency"),
        ("build_case", "Operational build case"),
        ("decision_access", "Decision-maker access"),
    ]


# Deal size: 3 when value >= 2 x lower bound and >= 25,000; 2 when >= lower bound and
# >= 10,000; 1 when > 0; 0 when nothing passes. Under $5M revenue caps it at 2.
@pytest.mark.parametrize(
    ("revenue_band", "budget", "annual", "score"),
    [
        ("5-20m", "lt10k", 0, 0),
        ("5-20m", "lt10k", 2_600, 1),
        ("5-20m", "lt10k", 9_999, 1),
        ("5-20m", "lt10k", 10_000, 2),
        ("5-20m", "lt10k", 24_999, 2),
        ("5-20m", "lt10k", 25_000, 3),
        ("5-20m", "10-25k", 9_999, 1),
        ("5-20m", "10-25k", 10_000, 2),
        ("5-20m", "10-25k", 20_000, 2),  # twice the bound, but under 25,000
        ("5-20m", "10-25k", 24_999, 2),
        ("5-20m", "10-25k", 25_000, 3),
        ("5-20m", "25-50k", 24_999, 1),
        ("5-20m", "25-50k", 25_000, 2),
        ("5-20m", "25-50k", 49_999, 2),
        ("5-20m", "25-50k", 50_000, 3),
        ("20-50m", "50-100k", 49_999, 1),
        ("20-50m", "50-100k", 50_000, 2),
        ("20-50m", "50-100k", 99_999, 2),
        ("20-50m", "50-100k", 100_000, 3),
        ("gt200m", "gt100k", 99_999, 1),
        ("gt200m", "gt100k", 100_000, 2),
        ("gt200m", "gt100k", 199_999, 2),
        ("gt200m", "gt100k", 200_000, 3),
        ("lt5m", "lt10k", 25_000, 2),  # capped
        ("lt5m", "25-50k", 50_000, 2),  # capped
        ("lt5m", "lt10k", 10_000, 2),
        ("lt5m", "lt10k", 2_600, 1),
        ("50-200m", "lt10k", 25_000, 3),
    ],
)
def test_deal_size_compares_the_top_gap_with_the_budget(revenue_band, budget, annual, score):
    result = qualify(
        submission(
            revenue_band=revenue_band, implementation_budget=budget, top_candidate=top(annual)
        )
    )
    assert dimension(result, "deal_size").score == score


def test_deal_size_is_zero_when_no_candidate_passes():
    result = qualify(submission(top_candidate=None))
    assert dimension(result, "deal_size").score == 0
    assert dimension(result, "deal_size").reason == (
        "No candidate workflow passes the filter, so there is no gap to put a value on."
    )


@pytest.mark.parametrize(
    ("revenue_band", "budget", "annual", "reason"),
    [
        (
            "5-20m",
            "25-50k",
            52_000,
            "Top gap worth $52,000 a year against a budget from $25,000: at least $25,000 "
            "and at least twice the budget's lower bound.",
        ),
        (
            "5-20m",
            "10-25k",
            13_000,
            "Top gap worth $13,000 a year against a budget from $10,000: at least $10,000 "
            "and at least the budget's lower bound.",
        ),
        (
            "5-20m",
            "lt10k",
            2_600,
            "Top gap worth $2,600 a year against a budget under $10,000: "
            "under $10,000, small for a build engagement.",
        ),
        (
            "5-20m",
            "gt100k",
            52_000,
            "Top gap worth $52,000 a year against a budget from $100,000: "
            "below the budget's lower bound.",
        ),
        (
            "lt5m",
            "lt10k",
            26_000,
            "Top gap worth $26,000 a year against a budget under $10,000: at least $25,000. "
            "Capped at 2: annual revenue under $5M limits what closing it is worth.",
        ),
    ],
)
def test_the_deal_size_reason_names_the_value_and_the_budget(revenue_band, budget, annual, reason):
    result = qualify(
        submission(
            revenue_band=revenue_band, implementation_budget=budget, top_candidate=top(annual)
        )
    )
    assert dimension(result, "deal_size").reason == reason


@pytest.mark.parametrize(
    ("urgency", "score"),
    [("30_days", 3), ("60_days", 2), ("this_quarter", 1), ("later", 0)],
)
def test_urgency_scores_the_named_timeline(urgency, score):
    assert dimension(qualify(submission(urgency=urgency)), "urgency").score == score


@pytest.mark.parametrize(
    ("role", "score"),
    [("signs_off", 3), ("recommends", 2), ("researching", 0)],
)
def test_decision_access_scores_the_submitters_role(role, score):
    assert dimension(qualify(submission(decision_role=role)), "decision_access").score == score


@pytest.mark.parametrize(
    ("top_candidate", "crm", "leads", "score", "reason"),
    [
        (
            PASSING,
            "HubSpot",
            100,
            3,
            "Has a candidate workflow that passes the 3-criteria filter (Lead routing), "
            "a CRM (HubSpot) and 100 leads a month.",
        ),
        (
            PASSING,
            "Salesforce",
            99,
            2,
            "Has a candidate workflow that passes the 3-criteria filter (Lead routing) "
            "and a CRM (Salesforce). Missing at least 100 leads a month (99 today).",
        ),
        (
            PASSING,
            "",
            1_500,
            2,
            "Has a candidate workflow that passes the 3-criteria filter (Lead routing) "
            "and 1,500 leads a month. Missing a CRM.",
        ),
        (
            PASSING,
            "   ",
            None,
            1,
            "Has a candidate workflow that passes the 3-criteria filter (Lead routing). "
            "Missing a CRM and at least 100 leads a month (volume not given).",
        ),
        (
            None,
            "HubSpot",
            0,
            1,
            "Has a CRM (HubSpot). Missing a candidate workflow that passes the 3-criteria "
            "filter (3 listed) and at least 100 leads a month (0 today).",
        ),
        (
            None,
            "",
            None,
            0,
            "Missing a candidate workflow that passes the 3-criteria filter (3 listed), "
            "a CRM and at least 100 leads a month (volume not given).",
        ),
    ],
)
def test_build_case_counts_a_passing_candidate_a_crm_and_lead_volume(
    top_candidate, crm, leads, score, reason
):
    result = qualify(submission(top_candidate=top_candidate, crm=crm, monthly_lead_volume=leads))
    assert dimension(result, "build_case").score == score
    assert dimension(result, "build_case").reason == reason


def test_a_strong_submission_is_qualified_with_its_reasons():
    result = qualify(submission(implementation_budget="lt10k"))
    assert result.tier == "qualified"
    assert result.total == 12
    assert result.reasons == (
        "Score 12 of 12: at least 9, with every dimension at least 2.",
        "Deal-size potential 3 of 3: Top gap worth $26,000 a year against a budget under "
        "$10,000: at least $25,000.",
        "Urgency 3 of 3: A named timeline: move the metric within 30 days.",
        "Operational build case 3 of 3: Has a candidate workflow that passes the 3-criteria "
        "filter (Lead routing), a CRM (HubSpot) and 400 leads a month.",
        "Decision-maker access 3 of 3: The submitter signs off the budget.",
    )
    assert result.recommendation == (
        "Send the named gap, Lead routing ($26,000 a year), and a booking link."
    )


def test_nine_with_every_dimension_at_least_two_is_qualified():
    # deal 2 ($13,000 against 10-25k), urgency 2, build 2 (no CRM), decision 3.
    result = qualify(
        submission(top_candidate=top(13_000), urgency="60_days", crm="", decision_role="signs_off")
    )
    assert scores(result) == [2, 2, 2, 3]
    assert result.total == 9
    assert result.tier == "qualified"


def test_nine_with_one_dimension_below_two_is_follow_up():
    # deal 3, urgency 1, build 3, decision 2 = 9, but urgency is below 2.
    result = qualify(submission(urgency="this_quarter", decision_role="recommends"))
    assert scores(result) == [3, 1, 3, 2]
    assert result.total == 9
    assert result.tier == "follow_up"
    assert result.reasons == (
        "Urgency 1 of 3, below 2: Timeline is this quarter: a date, but a loose one.",
    )
    assert result.recommendation == (
        "Send the named gap, Lead routing ($26,000 a year), and ask them to tighten "
        "urgency (name a date within 60 days to move the metric)."
    )


def test_eight_with_every_dimension_at_two_is_follow_up_naming_all_the_lowest():
    result = qualify(
        submission(
            top_candidate=top(13_000),
            urgency="60_days",
            crm="",
            decision_role="recommends",
        )
    )
    assert scores(result) == [2, 2, 2, 2]
    assert result.tier == "follow_up"
    assert result.reasons[0] == "Score 8 of 12: below 9."
    assert len(result.reasons) == 5  # the score, then each of the four lowest
    assert result.reasons[1].startswith("Deal-size potential 2 of 3, the lowest: ")
    assert result.recommendation == (
        "Send the named gap, Lead routing ($13,000 a year), and ask them to tighten "
        "budget (the top gap is worth $13,000 a year; confirm what closing it is worth and "
        "the budget for it), urgency (name a date within 60 days to move the metric), "
        "CRM maturity (no CRM named) and decision-maker (bring in whoever signs off the budget)."
    )


def test_follow_up_names_crm_maturity_and_lead_volume_when_the_build_case_is_thin():
    result = qualify(submission(crm="", monthly_lead_volume=40))
    assert scores(result) == [3, 3, 1, 3]
    assert result.tier == "follow_up"
    assert result.reasons == (
        "Operational build case 1 of 3, below 2: Has a candidate workflow that passes the "
        "3-criteria filter (Lead routing). Missing a CRM and at least 100 leads a month "
        "(40 today).",
    )
    assert result.recommendation.endswith(
        "tighten CRM maturity (no CRM named) and lead volume (40 a month, below 100)."
    )


def test_follow_up_names_the_decision_maker_when_the_submitter_is_researching():
    result = qualify(submission(decision_role="researching"))
    assert result.total == 9
    assert result.tier == "follow_up"
    assert result.reasons == (
        "Decision-maker access 0 of 3, below 2: The submitter is gathering information, "
        "with no line to the budget.",
    )
    assert result.recommendation.endswith(
        "tighten decision-maker (bring in whoever signs off the budget)."
    )


def test_follow_up_names_the_budget_when_the_gap_is_small_but_in_range():
    # lt10k budget, $2,600 gap: deal size 1, not too small for a budget from $0.
    result = qualify(submission(implementation_budget="lt10k", top_candidate=top(2_600)))
    assert scores(result) == [1, 3, 3, 3]
    assert result.tier == "follow_up"
    assert result.recommendation.endswith(
        "tighten budget (the top gap is worth $2,600 a year; confirm what closing it is "
        "worth and the budget for it)."
    )


def test_follow_up_lists_the_score_and_every_dimension_below_two():
    result = qualify(
        submission(
            urgency="this_quarter", crm="", monthly_lead_volume=None, decision_role="researching"
        )
    )
    assert scores(result) == [3, 1, 1, 0]
    assert result.tier == "follow_up"
    assert [r.split(":")[0] for r in result.reasons] == [
        "Score 5 of 12",
        "Urgency 1 of 3, below 2",
        "Operational build case 1 of 3, below 2",
        "Decision-maker access 0 of 3, below 2",
    ]
    assert result.recommendation == (
        "Send the named gap, Lead routing ($26,000 a year), and ask them to tighten "
        "urgency (name a date within 60 days to move the metric), CRM maturity (no CRM named), "
        "lead volume (not given; at least 100 a month) and decision-maker (bring in whoever "
        "signs off the budget)."
    )


def test_no_passing_candidate_is_not_ready_with_an_upstream_fit():
    result = qualify(submission(top_candidate=None))
    assert result.tier == "not_ready"
    assert result.reasons == (
        "No candidate workflow passes the 3-criteria filter: the real problem may be "
        "upstream of marketing.",
    )
    assert result.recommendation == (
        "Fix lead volume or offer first; revisit when a workflow costs at least 5 hours a week."
    )


def test_no_candidates_at_all_is_not_ready():
    result = qualify(submission(top_candidate=None, candidate_count=0))
    assert result.tier == "not_ready"
    assert "(0 listed)" in dimension(result, "build_case").reason


def test_a_later_timeline_is_not_ready():
    result = qualify(submission(urgency="later"))
    assert result.tier == "not_ready"
    assert result.reasons == ("Timeline misaligned: no date to move the metric.",)
    assert result.recommendation == (
        "Start with the free self-score now; revisit the audit when there is a date to move "
        "the metric."
    )


def test_a_gap_below_the_budget_is_not_ready():
    result = qualify(submission(implementation_budget="50-100k"))  # $26,000 against $50,000
    assert result.tier == "not_ready"
    assert result.reasons == (
        "Gap too small for the cost: $26,000 a year against a budget from $50,000.",
    )
    assert result.recommendation == (
        "Start with the free self-score and a process fix before a build engagement."
    )


@pytest.mark.parametrize(
    ("budget", "annual", "tier"),
    [
        ("10-25k", 9_999, "not_ready"),
        ("10-25k", 10_000, "qualified"),  # deal 2, urgency 3, build 3, decision 3
        ("gt100k", 99_999, "not_ready"),
        ("gt100k", 100_000, "qualified"),
        ("lt10k", 1, "follow_up"),  # no lower bound, so never too small for the cost
    ],
)
def test_the_gap_is_too_small_only_below_a_budget_lower_bound(budget, annual, tier):
    result = qualify(submission(implementation_budget=budget, top_candidate=top(annual)))
    assert result.tier == tier


def test_every_not_ready_reason_is_listed_and_the_first_picks_the_fit():
    result = qualify(submission(top_candidate=None, urgency="later"))
    assert result.tier == "not_ready"
    assert result.reasons == (
        "No candidate workflow passes the 3-criteria filter: the real problem may be "
        "upstream of marketing.",
        "Timeline misaligned: no date to move the metric.",
    )
    assert result.recommendation.startswith("Fix lead volume or offer first")


def test_a_small_gap_and_a_later_timeline_give_both_reasons():
    result = qualify(submission(implementation_budget="gt100k", urgency="later"))
    assert result.reasons == (
        "Gap too small for the cost: $26,000 a year against a budget from $100,000.",
        "Timeline misaligned: no date to move the metric.",
    )
    assert result.recommendation == (
        "Start with the free self-score and a process fix before a build engagement."
    )


def test_not_ready_wins_over_a_high_score():
    result = qualify(submission(implementation_budget="25-50k", top_candidate=top(24_999)))
    assert result.total == 10  # deal 1 + 3 + 3 + 3
    assert result.tier == "not_ready"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("revenue_band", "5m-20m"),
        ("implementation_budget", "10k-25k"),
        ("urgency", "next_year"),
        ("decision_role", "ceo"),
    ],
)
def test_it_rejects_an_unknown_choice_key_by_name(field, value):
    with pytest.raises(ValueError, match=rf"Unknown {field} '{value}': expected one of"):
        qualify(submission(**{field: value}))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"top_candidate": FAILING}, "does not pass the 3-criteria filter"),
        ({"candidate_count": -1}, "candidate_count must be zero or more"),
        ({"candidate_count": 0}, "candidate_count must be at least 1"),
        ({"monthly_lead_volume": -5}, "monthly_lead_volume must be zero or more"),
    ],
)
def test_it_rejects_inconsistent_facts(overrides, message):
    with pytest.raises(ValueError, match=message):
        qualify(submission(**overrides))


submissions = st.builds(
    QualificationInput,
    revenue_band=st.sampled_from(REVENUE_BANDS),
    implementation_budget=st.sampled_from(list(BUDGET_LOWER_BOUNDS_USD)),
    urgency=st.sampled_from(list(URGENCY_SCORES)),
    crm=st.sampled_from(["", " ", "HubSpot"]),
    monthly_lead_volume=st.none() | st.integers(min_value=0, max_value=5_000),
    decision_role=st.sampled_from(list(DECISION_ROLE_SCORES)),
    top_candidate=st.none() | st.integers(min_value=0, max_value=500_000).map(top),
    candidate_count=st.integers(min_value=1, max_value=10),
)


@given(submissions)
def test_the_total_is_the_sum_of_the_dimensions_and_stays_in_range(inp):
    result = qualify(inp)
    assert result.total == sum(scores(result))
    assert 0 <= result.total <= 12
    assert all(0 <= s <= 3 for s in scores(result))
    assert result.reasons
    assert result.recommendation


@given(submissions)
def test_the_tier_follows_its_rules(inp):
    result = qualify(inp)
    lower_bound = BUDGET_LOWER_BOUNDS_USD[inp.implementation_budget]
    blocked = (
        inp.top_candidate is None
        or inp.urgency == "later"
        or (lower_bound > 0 and inp.top_candidate.annual_cost_usd < lower_bound)
    )
    if blocked:
        assert result.tier == "not_ready"
    elif result.total >= 9 and min(scores(result)) >= 2:
        assert result.tier == "qualified"
    else:
        assert result.tier == "follow_up"

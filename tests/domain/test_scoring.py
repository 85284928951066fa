"""Scoring by hand-computed cases, plus properties that hold for every answer set."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmark.scoring import (
    AnswerError,
    ToolCounts,
    level_for_tool_counts,
    score_response,
    tier_for,
)

TOP_COUNTS = ToolCounts(paid=2, daily=2)  # level 3


def answers(definition, default=3, counts=TOP_COUNTS, **levels):
    out = {}
    for q in definition.questions:
        if q.kind == "tool_count":
            out[q.id] = levels.pop(q.id, counts)
        else:
            out[q.id] = levels.pop(q.id, default)
    assert not levels, f"unknown questions {levels}"
    return out


def test_perfect_answers_score_100_and_ahead(definition):
    result = score_response(definition, answers(definition))
    assert result.overall == 100.0
    assert result.tier.label == "Ahead"


def test_all_lowest_answers_score_0_and_behind(definition):
    result = score_response(definition, answers(definition, default=0, counts=ToolCounts(0, 0)))
    assert result.overall == 0.0
    assert result.tier.label == "Behind"


def test_all_level_two_scores_two_thirds(definition):
    result = score_response(definition, answers(definition, default=2, counts=ToolCounts(5, 5)))
    assert result.overall == 66.7
    assert result.tier.label == "On Pace"
    assert all(d.score == Fraction(2, 3) for d in result.dimensions)


def test_exactly_80_with_orchestration_intact_is_ahead(definition):
    # Lost: skills 9 + governance 9 + one measurement level (12 x 1/6 = 2) = 20 points.
    result = score_response(
        definition, answers(definition, skills_builders=0, governance_review=0, measurement_cost=2)
    )
    assert result.overall == 80.0
    assert result.tier.label == "Ahead"
    assert not result.ahead_withheld


def test_losing_a_tenth_more_falls_to_on_pace(definition):
    # As above, plus one stack level: 9 x 1/6 = 1.5 points -> 78.5.
    result = score_response(
        definition,
        answers(
            definition, skills_builders=0, governance_review=0, measurement_cost=2, stack_use=2
        ),
    )
    assert result.overall == 78.5
    assert result.tier.label == "On Pace"


@pytest.mark.parametrize(
    ("overall", "tier"),
    [
        (0.0, "Behind"),
        (39.9, "Behind"),
        (40.0, "Catching Up"),
        (59.9, "Catching Up"),
        (60.0, "On Pace"),
        (79.9, "On Pace"),
        (80.0, "Ahead"),
        (100.0, "Ahead"),
    ],
)
def test_tier_boundaries(definition, overall, tier):
    assert tier_for(definition, overall, Fraction(1))[0].label == tier


def test_the_ahead_gate_holds_a_high_score_without_orchestration_at_on_pace(definition):
    # Orchestration deficit of 4 levels over 3 questions: score 5/9, 15 x 4/9 = 6.7 lost.
    result = score_response(
        definition,
        answers(
            definition, orchestration_chain=2, orchestration_handoffs=2, orchestration_ownership=1
        ),
    )
    assert result.overall == 93.3
    assert result.tier.label == "On Pace"
    assert result.ahead_withheld


def test_orchestration_at_exactly_two_thirds_passes_the_gate(definition):
    result = score_response(
        definition,
        answers(
            definition, orchestration_chain=2, orchestration_handoffs=2, orchestration_ownership=2
        ),
    )
    assert result.overall == 95.0
    assert result.tier.label == "Ahead"
    assert not result.ahead_withheld


def test_widest_gap_ties_go_to_the_higher_weight(definition):
    # attribution (weight 10) at 0 loses 10; measurement (weight 12) 5 levels down loses 12 x 5/6 = 10.
    result = score_response(
        definition,
        answers(definition, attribution_flags=0, measurement_pipeline=0, measurement_cost=1),
    )
    assert result.widest_gap.dimension.id == "measurement"
    assert result.widest_gap.points_lost == 10


def test_widest_gap_is_the_dimension_losing_most_points_not_the_lowest_score(definition):
    # vendors at 0 loses 8 points (score 0); orchestration at 1/3 loses 10 points.
    result = score_response(
        definition,
        answers(
            definition,
            vendors_cancel=0,
            orchestration_chain=1,
            orchestration_handoffs=1,
            orchestration_ownership=1,
        ),
    )
    assert result.widest_gap.dimension.id == "orchestration"


def test_moves_are_the_first_three_of_the_gap_dimension_in_its_band(definition):
    result = score_response(definition, answers(definition, vendors_cancel=0, budget_tied=2))
    assert result.widest_gap.dimension.id == "vendors"
    assert result.widest_gap.band.id == "starting"
    assert [m.title for m in result.moves] == [
        "Cancel one idle tool this month",
        "Export seat usage",
        "Stop auto-renewals",
    ]


@pytest.mark.parametrize(
    ("paid", "daily", "level"),
    [
        (0, 0, 0),  # no AI tools: the capability is absent
        (1, 1, 3),
        (3, 3, 3),
        (4, 4, 2),
        (6, 3, 2),  # half used daily: no penalty
        (6, 2, 1),  # fewer than half used daily: one level down
        (9, 9, 1),
        (10, 10, 0),
        (25, 25, 0),
        (2, 0, 2),
    ],
)
def test_the_stack_count_scores_inversely_to_tool_count(definition, paid, daily, level):
    rule = definition.questions[0].tool_count
    assert level_for_tool_counts(rule, ToolCounts(paid, daily)) == level


def test_more_daily_tools_than_paid_is_rejected(definition):
    with pytest.raises(AnswerError, match="cannot exceed"):
        score_response(definition, answers(definition, counts=ToolCounts(2, 5)))


@pytest.mark.parametrize("bad", [4, -1, "3", None, 2.5, True])
def test_out_of_range_levels_are_rejected(definition, bad):
    with pytest.raises(AnswerError) as caught:
        score_response(definition, answers(definition, reporting_weekly=bad))
    assert "reporting_weekly" in caught.value.problems


def test_missing_and_unknown_answers_are_named(definition):
    data = answers(definition)
    del data["data_flow"]
    data["invented"] = 3
    with pytest.raises(AnswerError) as caught:
        score_response(definition, data)
    assert caught.value.problems == {
        "data_flow": "not answered",
        "invented": "not a question of this benchmark",
    }


levels = st.integers(min_value=0, max_value=3)
counts = st.integers(min_value=0, max_value=40).flatmap(
    lambda paid: st.builds(ToolCounts, st.just(paid), st.integers(min_value=0, max_value=paid))
)


@st.composite
def answer_sets(draw, definition):
    return {
        q.id: draw(counts) if q.kind == "tool_count" else draw(levels) for q in definition.questions
    }


@given(data=st.data())
def test_overall_stays_in_0_to_100_and_dimensions_in_0_to_1(definition, data):
    result = score_response(definition, data.draw(answer_sets(definition)))
    assert 0 <= result.overall <= 100
    assert all(0 <= d.score <= 1 for d in result.dimensions)
    assert len(result.moves) == 3


@given(data=st.data())
def test_raising_any_answer_never_lowers_the_overall(definition, data):
    base = data.draw(answer_sets(definition))
    choice_ids = [q.id for q in definition.questions if q.kind == "choice"]
    q_id = data.draw(st.sampled_from(choice_ids))
    raised = dict(base, **{q_id: min(3, base[q_id] + data.draw(st.integers(1, 3)))})
    before = score_response(definition, base)
    after = score_response(definition, raised)
    assert after.overall >= before.overall
    assert after.tier.level >= before.tier.level


@given(data=st.data())
def test_overall_is_the_weighted_sum_of_dimension_scores(definition, data):
    result = score_response(definition, data.draw(answer_sets(definition)))
    assert (
        abs(result.overall - float(sum(d.dimension.weight * d.score for d in result.dimensions)))
        <= 0.05
    )

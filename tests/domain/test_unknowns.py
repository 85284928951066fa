""" "I don't know" as an answer (issue 15): it scores as missing, not as zero.

Hand-computed cases first, then the invariants hypothesis checks for every answer set.
"""

from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from benchmark.definition import DefinitionError, parse_definition, read_definition_file
from benchmark.scoring import (
    UNKNOWN,
    AnswerError,
    ToolCounts,
    answers_from_json,
    answers_to_json,
    score_response,
)
from benchmark.stored import stored_result_read

VERSION = "2026.2"


@pytest.fixture(scope="module")
def new():
    return parse_definition(read_definition_file(VERSION)[0])


TOP_COUNTS = ToolCounts(2, 2)


def answers(definition, default=3, counts=TOP_COUNTS, **levels):
    out = {}
    for q in definition.questions:
        out[q.id] = levels.pop(q.id, counts if q.kind == "tool_count" else default)
    assert not levels, f"unknown questions {levels}"
    return out


def by_id(result):
    return {d.dimension.id: d for d in result.dimensions}


def test_the_new_version_offers_i_dont_know_and_the_old_one_does_not(new, definition):
    assert new.unknown is not None and new.unknown.text == "I don't know"
    assert new.unknown.low_confidence_above == 3
    assert definition.unknown is None


def test_the_old_version_refuses_an_unknown(definition):
    with pytest.raises(AnswerError, match='no "I don\'t know"'):
        score_response(definition, answers(definition, budget_tied=UNKNOWN))


def test_a_dimension_rests_on_its_answered_questions(new):
    # Orchestration asks 3 questions; one unknown, the others 3 and 0: score (3+0)/6 = 1/2.
    result = score_response(
        new,
        answers(new, orchestration_chain=UNKNOWN, orchestration_handoffs=0),
    )
    orchestration = by_id(result)["orchestration"]
    assert orchestration.score == Fraction(1, 2)
    assert (orchestration.answered, orchestration.asked) == (2, 3)
    # Not as zero: a zero there would have made it 1/3.
    assert result.overall == 92.5  # 100 - 15 x 1/2
    assert result.unknowns == ("orchestration_chain",)
    assert not result.low_confidence


def test_a_dimension_with_no_answer_has_no_score_and_its_weight_is_spread(new):
    # Budget (weight 8) unknown, everything else perfect: 100 over the 92 points answered.
    result = score_response(new, answers(new, budget_tied=UNKNOWN, vendors_cancel=0))
    dims = by_id(result)
    assert dims["budget"].score is None and dims["budget"].band is None
    assert dims["budget"].weight == 0
    assert sum(d.weight for d in result.dimensions) == 100
    assert dims["vendors"].weight == Fraction(8 * 100, 92)
    # Only vendors lost points: 8 x 100/92 = 8.70 of 100.
    assert result.overall == 91.3
    assert result.widest_gap.dimension.id == "vendors"


def test_an_unscored_dimension_is_never_the_widest_gap(new):
    # Orchestration all unknown would lose the most as zero; everything answered is perfect
    # except skills at 2/3, which is then the widest gap.
    unknown = {q.id: UNKNOWN for q in new.questions_of("orchestration")}
    result = score_response(new, answers(new, skills_builders=2, **unknown))
    assert result.widest_gap.dimension.id == "skills"
    assert result.widest_gap.band is not None


def test_ahead_needs_orchestration_answered(new):
    unknown = {q.id: UNKNOWN for q in new.questions_of("orchestration")}
    result = score_response(new, answers(new, **unknown))
    assert result.overall == 100.0
    assert result.tier.id == "on_pace"
    assert result.ahead_withheld


def test_more_than_three_unknowns_is_low_confidence(new):
    three = dict.fromkeys(["budget_tied", "vendors_cancel", "skills_builders"], UNKNOWN)
    assert not score_response(new, answers(new, **three)).low_confidence
    four = {**three, "governance_review": UNKNOWN}
    result = score_response(new, answers(new, **four))
    assert result.low_confidence
    assert len(result.unknowns) == 4


def test_every_answer_unknown_is_refused(new):
    with pytest.raises(AnswerError, match="answer at least one question"):
        score_response(new, {q.id: UNKNOWN for q in new.questions})


def test_the_tool_count_question_takes_an_unknown_too(new):
    result = score_response(new, answers(new, counts=UNKNOWN))
    stack = by_id(result)["stack"]
    assert (stack.answered, stack.asked) == (1, 2)
    assert stack.score == 1


def test_unknowns_round_trip_through_the_answers_json(new):
    given_answers = answers(new, counts=UNKNOWN, budget_tied=UNKNOWN)
    assert answers_from_json(answers_to_json(given_answers)) == given_answers


def test_a_definition_with_a_bad_unknown_rule_is_refused(new):
    data = read_definition_file(VERSION)[0]
    with pytest.raises(DefinitionError, match="low_confidence_above"):
        parse_definition({**data, "unknown_answer": {"text": "?", "low_confidence_above": -1}})
    with pytest.raises(DefinitionError, match="needs a text"):
        parse_definition({**data, "unknown_answer": {"text": " "}})


def test_the_stored_result_says_which_dimensions_rest_on_fewer_answers(new):
    result = score_response(new, answers(new, budget_tied=UNKNOWN, orchestration_chain=UNKNOWN))
    stored = stored_result_read(result.as_json())
    assert stored.format == 2
    assert stored.unscored == ("budget",)
    assert "budget" not in stored.dimensions
    assert stored.answered == {"orchestration": (2, 3), "budget": (0, 1)}
    assert stored.weights_spread
    assert stored.weight("budget", 8) == 0
    assert sum(stored.weights.values()) == pytest.approx(100, abs=0.01)
    assert stored.unknowns == ("orchestration_chain", "budget_tied")


# --- invariants -----------------------------------------------------------------------

LEVEL = st.sampled_from([0, 1, 2, 3])


@st.composite
def answer_sets(draw, definition, unknowns=True):
    out = {}
    for q in definition.questions:
        if unknowns and draw(st.booleans()) and draw(st.booleans()):
            out[q.id] = UNKNOWN
        elif q.kind == "tool_count":
            paid = draw(st.integers(0, 30))
            out[q.id] = ToolCounts(paid, draw(st.integers(0, paid)))
        else:
            out[q.id] = draw(LEVEL)
    return out


NEW = parse_definition(read_definition_file(VERSION)[0])
OLD = parse_definition(read_definition_file("2026.1")[0])


@given(answer_sets(NEW))
def test_the_weights_of_scored_dimensions_sum_to_100(given_answers):
    assume(any(a != UNKNOWN for a in given_answers.values()))
    result = score_response(NEW, given_answers)
    assert sum(d.weight for d in result.dimensions if d.is_scored) == 100
    assert all(d.weight == 0 for d in result.dimensions if not d.is_scored)
    assert 0 <= result.overall <= 100


@given(answer_sets(NEW, unknowns=False))
def test_all_answered_gives_exactly_the_old_score(given_answers):
    new, old = score_response(NEW, given_answers), score_response(OLD, given_answers)
    assert (new.overall, new.tier.id, new.ahead_withheld) == (
        old.overall,
        old.tier.id,
        old.ahead_withheld,
    )
    assert [d.score for d in new.dimensions] == [d.score for d in old.dimensions]
    assert new.widest_gap.dimension.id == old.widest_gap.dimension.id
    assert new.moves == old.moves
    assert not new.unknowns and not new.low_confidence


@given(answer_sets(NEW), st.data())
def test_an_unknown_is_neither_a_zero_nor_a_top_answer(given_answers, data):
    """Turning an answered question into "I don't know" leaves its dimension at the mean
    of the others: not pulled down as by a zero, not up as by a 3."""
    answered = [q for q in NEW.questions if given_answers[q.id] != UNKNOWN]
    assume(answered)
    question = data.draw(st.sampled_from(answered))
    siblings = [
        q
        for q in NEW.questions_of(question.dimension_id)
        if q is not question and given_answers[q.id] != UNKNOWN
    ]
    after = score_response(NEW, {**given_answers, question.id: UNKNOWN})
    dim = by_id(after)[question.dimension_id]
    if not siblings:
        assert dim.score is None  # missing, not zero
        return
    levels = [after.levels[q.id] for q in siblings]
    assert dim.score == Fraction(sum(levels), 3 * len(levels))
    as_zero = Fraction(sum(levels), 3 * (len(levels) + 1))
    as_three = Fraction(sum(levels) + 3, 3 * (len(levels) + 1))
    assert as_zero <= dim.score <= as_three


@given(answer_sets(NEW))
def test_the_widest_gap_is_always_a_scored_dimension(given_answers):
    assume(any(a != UNKNOWN for a in given_answers.values()))
    result = score_response(NEW, given_answers)
    assert result.widest_gap.is_scored
    assert all(result.widest_gap.points_lost >= d.points_lost for d in result.dimensions)


@given(answer_sets(NEW))
def test_ahead_is_never_reached_without_orchestration_answered(given_answers):
    assume(any(a != UNKNOWN for a in given_answers.values()))
    result = score_response(NEW, given_answers)
    if by_id(result)["orchestration"].score is None:
        assert result.tier.id != "ahead"


@given(answer_sets(NEW))
def test_low_confidence_is_exactly_more_than_three_unknowns(given_answers):
    unknown = sum(1 for a in given_answers.values() if a == UNKNOWN)
    assume(unknown < len(given_answers))
    assert score_response(NEW, given_answers).low_confidence == (unknown > 3)


@given(answer_sets(NEW))
def test_every_result_reads_back_from_storage(given_answers):
    assume(any(a != UNKNOWN for a in given_answers.values()))
    result = score_response(NEW, given_answers)
    stored = stored_result_read(result.as_json())
    assert stored.overall == result.overall
    assert set(stored.dimensions) | set(stored.unscored) == {d.id for d in NEW.dimensions}
    assert stored.widest_gap not in stored.unscored


def test_the_radar_leaves_a_missing_dimension_out_instead_of_at_zero():
    from benchmark.charts import bars_figure, radar_figure

    labels = ["A", "B", "C", "D"]
    figure = radar_figure(labels, [50, None, 75, 25], [40, 40, 40, 40], "Peer median")
    peers, you = figure["data"]
    assert you["r"] == [50, 75, 25, 50] and you["theta"] == ["A", "C", "D", "A"]  # closed
    assert peers["theta"] == ["A", "B", "C", "D", "A"]  # the peers still have every spoke
    assert figure["layout"]["polar"]["angularaxis"]["categoryarray"] == labels
    # The first spoke missing: the outline closes on the first scored one.
    first_missing = radar_figure(labels, [None, 60, 70, 80], None, "Peer median")["data"][0]
    assert first_missing["r"] == [60, 70, 80, 60] and first_missing["theta"][0] == "B"
    bars = bars_figure(labels, [50, None, 75, 25], None, "Peer median")["data"][0]
    assert bars["x"] == [50, None, 75, 25]  # no bar, not a bar at 0

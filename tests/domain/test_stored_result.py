"""A response's stored result reads back typed, through the reader of its format."""

import json

import pytest

from benchmark.scoring import ToolCounts, score_response
from benchmark.stored import StoredMove, StoredResultError, stored_result_read

# A result as rows have stored it since the first release (format 1: no "format" key).
FORMAT_1 = {
    "version": "2026.1",
    "overall": 66.7,
    "tier": "on_pace",
    "ahead_withheld": False,
    "levels": {"orchestration_chain": 2},
    "dimensions": {"orchestration": 0.6667, "attribution": 1.0},
    "widest_gap": "orchestration",
    "widest_gap_points_lost": 5.0,
    "band": "middle",
    "moves": [{"title": "Name an owner", "detail": "One person owns the chain."}],
}


def test_a_stored_row_reads_back_with_every_value_typed():
    result = stored_result_read(FORMAT_1)
    assert result.format == 1
    assert (result.version, result.overall, result.tier) == ("2026.1", 66.7, "on_pace")
    assert result.dimensions == {"orchestration": 0.6667, "attribution": 1.0}
    assert result.levels == {"orchestration_chain": 2}
    assert (result.widest_gap, result.widest_gap_points_lost, result.band) == (
        "orchestration",
        5.0,
        "middle",
    )
    assert result.moves == (StoredMove("Name an owner", "One person owns the chain."),)


def test_what_scoring_writes_today_reads_back_the_same(definition):
    answers = {q.id: 1 for q in definition.questions if q.kind != "tool_count"}
    tool_question = next(q for q in definition.questions if q.kind == "tool_count")
    answers[tool_question.id] = ToolCounts(paid=3, daily=3)
    scored = score_response(definition, answers)
    stored = json.loads(json.dumps(scored.as_json()))  # as the database gives it back
    result = stored_result_read(stored)
    assert result.overall == scored.overall
    assert result.tier == scored.tier.id
    assert result.widest_gap == scored.widest_gap.dimension.id
    assert [m.title for m in result.moves] == [m.title for m in scored.moves]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**FORMAT_1, "format": 99}, "Unknown stored result format 99"),
        ({k: v for k, v in FORMAT_1.items() if k != "widest_gap"}, "missing or bad"),
        ({**FORMAT_1, "overall": "high"}, "missing or bad"),
    ],
)
def test_an_unreadable_result_says_why(data, message):
    with pytest.raises(StoredResultError, match=message):
        stored_result_read(data)


def test_the_stored_result_cannot_be_changed_by_a_reader():
    result = stored_result_read(FORMAT_1)
    with pytest.raises(TypeError):
        result.dimensions["orchestration"] = 1.0  # type: ignore[index]

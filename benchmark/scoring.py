"""Scoring a self-score response against a benchmark definition.

Pure module: standard library only. The rules are PRODUCT.md section 1:

* a question's answer is a level 0..3; the tool-count question turns the number of paid
  AI tools into a level *inversely* (few integrated tools score high, 10+ score 0);
* dimension score = mean of its questions' levels / 3, an exact fraction in 0..1;
* overall = sum of weight x dimension score, 0..100, rounded to one decimal;
* tier = the highest tier whose threshold the rounded overall reaches, except that Ahead
  needs the gate dimension (orchestration) at or above its gate (2/3);
* widest gap = the dimension losing the most points, weight x (1 - score); ties go to the
  higher weight, then to definition order;
* moves = the first three moves of the widest-gap dimension whose band holds its score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .definition import LEVELS, Band, Definition, Dimension, Move, Question, Tier, ToolCountRule

MOVES_SHOWN = 3
MAX_TOOLS = 500


class AnswerError(ValueError):
    """Answers that cannot be scored. ``problems`` maps question id to what is wrong."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{q}: {p}" for q, p in problems.items()))


@dataclass(frozen=True)
class ToolCounts:
    """The answer to the tool-count question: AI tools paid for, and used daily (<= paid)."""

    paid: int
    daily: int


Answer = int | ToolCounts


@dataclass(frozen=True)
class DimensionScore:
    """A dimension's result: ``score`` in 0..1, ``points`` = weight x score (0..weight)."""

    dimension: Dimension
    score: Fraction
    band: Band

    @property
    def points(self) -> Fraction:
        return self.dimension.weight * self.score

    @property
    def points_lost(self) -> Fraction:
        return self.dimension.weight * (1 - self.score)


@dataclass(frozen=True)
class ScoreResult:
    """The scored response.

    ``overall`` is 0..100 with one decimal; ``ahead_withheld`` is True when the score
    reached Ahead but the gate dimension did not, so the tier stayed below Ahead.
    """

    version: str
    levels: Mapping[str, int]
    dimensions: tuple[DimensionScore, ...]
    overall: float
    tier: Tier
    ahead_withheld: bool
    widest_gap: DimensionScore
    moves: tuple[Move, ...]

    def as_json(self) -> dict[str, Any]:
        """The result as stored with the response: plain JSON values, scores as floats."""
        return {
            "version": self.version,
            "overall": self.overall,
            "tier": self.tier.id,
            "ahead_withheld": self.ahead_withheld,
            "levels": dict(self.levels),
            "dimensions": {d.dimension.id: round(float(d.score), 4) for d in self.dimensions},
            "widest_gap": self.widest_gap.dimension.id,
            "widest_gap_points_lost": round(float(self.widest_gap.points_lost), 1),
            "band": self.widest_gap.band.id,
            "moves": [{"title": m.title, "detail": m.detail} for m in self.moves],
        }


def level_for_tool_counts(rule: ToolCountRule, counts: ToolCounts) -> int:
    """The 0..3 level for ``counts`` under ``rule`` (inverse in the number of paid tools).

    Raises:
        AnswerError: for negative counts, more than MAX_TOOLS, or more daily than paid.
    """
    if counts.paid < 0 or counts.daily < 0:
        raise AnswerError({"tool_count": "counts cannot be negative"})
    if counts.paid > MAX_TOOLS:
        raise AnswerError({"tool_count": f"at most {MAX_TOOLS} tools"})
    if counts.daily > counts.paid:
        raise AnswerError({"tool_count": "tools used daily cannot exceed tools paid for"})
    level = rule.above_level
    for max_paid, band_level in rule.bands:
        if counts.paid <= max_paid:
            level = band_level
            break
    if counts.paid and Fraction(counts.daily, counts.paid) < rule.min_daily_share:
        level = max(0, level - rule.idle_penalty)
    return level


def _level(question: Question, answer: Any) -> int:
    if question.kind == "tool_count":
        if not isinstance(answer, ToolCounts):
            raise AnswerError({question.id: "expected the number of tools paid for and used daily"})
        assert question.tool_count is not None  # nosec B101 # noqa: S101 - guaranteed by parse_definition
        try:
            return level_for_tool_counts(question.tool_count, answer)
        except AnswerError as exc:
            raise AnswerError({question.id: next(iter(exc.problems.values()))}) from None
    if isinstance(answer, bool) or not isinstance(answer, int) or answer not in LEVELS:
        raise AnswerError({question.id: "choose one of the four answers"})
    return answer


def band_for(definition: Definition, score: Fraction) -> Band:
    """The band holding ``score`` (0..1): min inclusive, max exclusive, the last includes 1."""
    for band in definition.bands:
        if band.min <= score < band.max:
            return band
    return definition.bands[-1]


def tier_for(definition: Definition, overall: float, gate_score: Fraction) -> tuple[Tier, bool]:
    """The tier for a rounded ``overall`` (0..100) and the gate dimension's score.

    Returns ``(tier, ahead_withheld)``.
    """
    reached = definition.tiers[0]
    for tier in definition.tiers:
        if overall >= tier.min_score:
            reached = tier
    top = definition.tiers[-1]
    if reached == top and gate_score < definition.ahead_gate.min_score:
        return definition.tiers[-2], True
    return reached, False


def score_response(definition: Definition, answers: Mapping[str, Answer]) -> ScoreResult:
    """Score ``answers`` (question id -> level 0..3, or ToolCounts for the count question).

    Raises:
        AnswerError: naming every missing, unknown or out-of-range answer.
    """
    problems: dict[str, str] = {}
    known = {q.id for q in definition.questions}
    for q_id in answers:
        if q_id not in known:
            problems[str(q_id)] = "not a question of this benchmark"
    levels: dict[str, int] = {}
    for question in definition.questions:
        if question.id not in answers:
            problems[question.id] = "not answered"
            continue
        try:
            levels[question.id] = _level(question, answers[question.id])
        except AnswerError as exc:
            problems.update(exc.problems)
    if problems:
        raise AnswerError(problems)

    dimension_scores = []
    for dimension in definition.dimensions:
        qs = definition.questions_of(dimension.id)
        score = Fraction(sum(levels[q.id] for q in qs), 3 * len(qs))
        dimension_scores.append(
            DimensionScore(dimension=dimension, score=score, band=band_for(definition, score))
        )
    exact = sum((d.points for d in dimension_scores), Fraction(0))
    overall = round(float(exact), 1)
    gate = next(d for d in dimension_scores if d.dimension.id == definition.ahead_gate.dimension_id)
    tier, withheld = tier_for(definition, overall, gate.score)

    # max() keeps the first of equal keys, so definition order breaks the last ties.
    widest = max(dimension_scores, key=lambda d: (d.points_lost, d.dimension.weight))
    moves = tuple(m for m in widest.dimension.moves if m.band_id == widest.band.id)[:MOVES_SHOWN]
    return ScoreResult(
        version=definition.version,
        levels=levels,
        dimensions=tuple(dimension_scores),
        overall=overall,
        tier=tier,
        ahead_withheld=withheld,
        widest_gap=widest,
        moves=moves,
    )


def answers_from_json(data: Mapping[str, Any]) -> dict[str, Answer]:
    """Turn stored answers (``{"q": 2, "stack_count": {"paid": 4, "daily": 3}}``) into
    scoring input; malformed values pass through for :func:`score_response` to reject."""
    answers: dict[str, Answer] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            try:
                answers[key] = ToolCounts(paid=int(value["paid"]), daily=int(value["daily"]))
            except (KeyError, TypeError, ValueError):
                answers[key] = value  # type: ignore[assignment]
        else:
            answers[key] = value
    return answers


def answers_to_json(answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The inverse of :func:`answers_from_json`."""
    return {
        k: {"paid": v.paid, "daily": v.daily} if isinstance(v, ToolCounts) else v
        for k, v in answers.items()
    }

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

"I don't know" (``UNKNOWN``, definitions that have ``unknown``; issue 15) scores as
missing, not as zero:

* a dimension's score rests on its answered questions only;
* a dimension with no answered question has no score: it cannot be the widest gap, and the
  weights of the scored dimensions are scaled up so that they again sum to 100 (each
  keeps its share of the weight answered), so the overall stays 0..100;
* Ahead needs the gate dimension answered, as well as at or above its gate;
* more than ``unknown.low_confidence_above`` unknowns make the response low-confidence.

With every question answered the result is exactly the one without this rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

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


UNKNOWN: Literal["unknown"] = "unknown"
"""The answer "I don't know", as stored in the answers JSON and the draft."""

Answer = int | ToolCounts | Literal["unknown"]


@dataclass(frozen=True)
class DimensionScore:
    """A dimension's result.

    ``score`` is in 0..1, or None when none of its questions was answered (then ``band``
    is None too). ``answered`` of ``asked`` questions count. ``weight`` is the share of
    the 100 points it carries in this response: its defined weight when every dimension
    is scored, scaled up when some are not, 0 when it has no score.
    ``points`` = weight x score (0..weight).
    """

    dimension: Dimension
    score: Fraction | None
    band: Band | None
    answered: int
    asked: int
    weight: Fraction

    @property
    def is_scored(self) -> bool:
        return self.score is not None

    @property
    def points(self) -> Fraction:
        return self.weight * self.score if self.score is not None else Fraction(0)

    @property
    def points_lost(self) -> Fraction:
        return self.weight * (1 - self.score) if self.score is not None else Fraction(0)


@dataclass(frozen=True)
class ScoreResult:
    """The scored response.

    ``overall`` is 0..100 with one decimal; ``ahead_withheld`` is True when the score
    reached Ahead but the gate dimension did not (or was not answered), so the tier stayed
    below Ahead. ``levels`` holds the answered questions only; ``unknowns`` the ids of
    those answered "I don't know", and ``low_confidence`` is True when they are more than
    the definition allows for the peer pool.
    """

    version: str
    levels: Mapping[str, int]
    dimensions: tuple[DimensionScore, ...]
    overall: float
    tier: Tier
    ahead_withheld: bool
    widest_gap: DimensionScore
    moves: tuple[Move, ...]
    unknowns: tuple[str, ...] = ()
    low_confidence: bool = False

    def as_json(self) -> dict[str, Any]:
        """The result as stored with the response (``benchmark.stored`` format 2): plain
        JSON values, scores as floats, an unscored dimension's score as null."""
        band = self.widest_gap.band
        assert band is not None  # nosec B101 # noqa: S101 - the widest gap is scored
        return {
            "format": 2,
            "version": self.version,
            "overall": self.overall,
            "tier": self.tier.id,
            "ahead_withheld": self.ahead_withheld,
            "levels": dict(self.levels),
            "dimensions": {
                d.dimension.id: None if d.score is None else round(float(d.score), 4)
                for d in self.dimensions
            },
            "weights": {d.dimension.id: round(float(d.weight), 4) for d in self.dimensions},
            "answered": {d.dimension.id: [d.answered, d.asked] for d in self.dimensions},
            "unknowns": list(self.unknowns),
            "low_confidence": self.low_confidence,
            "widest_gap": self.widest_gap.dimension.id,
            "widest_gap_points_lost": round(float(self.widest_gap.points_lost), 1),
            "band": band.id,
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


def tier_for(
    definition: Definition, overall: float, gate_score: Fraction | None
) -> tuple[Tier, bool]:
    """The tier for a rounded ``overall`` (0..100) and the gate dimension's score (None
    when it was not answered: then it cannot reach Ahead).

    Returns ``(tier, ahead_withheld)``.
    """
    reached = definition.tiers[0]
    for tier in definition.tiers:
        if overall >= tier.min_score:
            reached = tier
    top = definition.tiers[-1]
    if reached == top and (gate_score is None or gate_score < definition.ahead_gate.min_score):
        return definition.tiers[-2], True
    return reached, False


def scored_weights(definition: Definition, scored: set[str]) -> dict[str, Fraction]:
    """Each dimension's share of the 100 points when only ``scored`` dimension ids have a
    score: the defined weights of those, scaled to sum to 100; 0 for the others.

    Raises:
        AnswerError: when no dimension is scored (there is nothing to spread over).
    """
    total = sum(d.weight for d in definition.dimensions if d.id in scored)
    if not total:
        raise AnswerError({"answers": "answer at least one question with what your team does"})
    return {
        d.id: Fraction(d.weight * 100, total) if d.id in scored else Fraction(0)
        for d in definition.dimensions
    }


def _check(
    definition: Definition, answers: Mapping[str, Answer]
) -> tuple[dict[str, int], tuple[str, ...]]:
    """The levels of the answered questions and the ids answered "I don't know"."""
    problems: dict[str, str] = {}
    known = {q.id for q in definition.questions}
    for q_id in answers:
        if q_id not in known:
            problems[str(q_id)] = "not a question of this benchmark"
    levels: dict[str, int] = {}
    unknowns: list[str] = []
    for question in definition.questions:
        if question.id not in answers:
            problems[question.id] = "not answered"
            continue
        answer = answers[question.id]
        if answer == UNKNOWN:
            if definition.unknown is None:
                problems[question.id] = 'this version of the benchmark has no "I don\'t know"'
            unknowns.append(question.id)
            continue
        try:
            levels[question.id] = _level(question, answer)
        except AnswerError as exc:
            problems.update(exc.problems)
    if problems:
        raise AnswerError(problems)
    return levels, tuple(unknowns)


def score_response(definition: Definition, answers: Mapping[str, Answer]) -> ScoreResult:
    """Score ``answers`` (question id -> level 0..3, ToolCounts for the count question, or
    ``UNKNOWN`` where the definition offers "I don't know").

    Raises:
        AnswerError: naming every missing, unknown-id or out-of-range answer, an
            "I don't know" in a version without it, or every question answered with it.
    """
    levels, unknowns = _check(definition, answers)
    answered_of: dict[str, list[int]] = {}
    for dimension in definition.dimensions:
        qs = definition.questions_of(dimension.id)
        answered_of[dimension.id] = [levels[q.id] for q in qs if q.id in levels]
    weights = scored_weights(definition, {k for k, v in answered_of.items() if v})

    dimension_scores = []
    for dimension in definition.dimensions:
        got = answered_of[dimension.id]
        score = Fraction(sum(got), 3 * len(got)) if got else None
        dimension_scores.append(
            DimensionScore(
                dimension=dimension,
                score=score,
                band=None if score is None else band_for(definition, score),
                answered=len(got),
                asked=len(definition.questions_of(dimension.id)),
                weight=weights[dimension.id],
            )
        )
    exact = sum((d.points for d in dimension_scores), Fraction(0))
    overall = round(float(exact), 1)
    gate = next(d for d in dimension_scores if d.dimension.id == definition.ahead_gate.dimension_id)
    tier, withheld = tier_for(definition, overall, gate.score)

    # max() keeps the first of equal keys, so definition order breaks the last ties. The
    # scaled weights keep the defined ones' order, so the tie-break on weight is unchanged.
    widest = max(
        (d for d in dimension_scores if d.is_scored),
        key=lambda d: (d.points_lost, d.dimension.weight),
    )
    band = widest.band
    assert band is not None  # nosec B101 # noqa: S101 - only scored dimensions compete
    moves = tuple(m for m in widest.dimension.moves if m.band_id == band.id)[:MOVES_SHOWN]
    limit = definition.unknown.low_confidence_above if definition.unknown else len(unknowns)
    return ScoreResult(
        version=definition.version,
        levels=levels,
        dimensions=tuple(dimension_scores),
        overall=overall,
        tier=tier,
        ahead_withheld=withheld,
        widest_gap=widest,
        moves=moves,
        unknowns=unknowns,
        low_confidence=len(unknowns) > limit,
    )


def answers_from_json(data: Mapping[str, Any]) -> dict[str, Answer]:
    """Turn stored answers (``{"q": 2, "stack_count": {"paid": 4, "daily": 3}}``) into
    scoring input; malformed values pass through for :func:`score_response` to reject."""
    answers: dict[str, Answer] = {}
    for key, value in data.items():
        if value == UNKNOWN:
            answers[key] = UNKNOWN
        elif isinstance(value, dict):
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

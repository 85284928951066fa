"""The benchmark definition: versioned data, parsed and validated into frozen dataclasses.

Pure module: standard library only, no Django. The data lives in
``benchmark/definitions/<version>.json``; its shape is documented by the dataclasses below.
Scores are exact ``Fraction`` values in 0..1 so band edges and the Ahead gate compare
without rounding error.

Rules checked by :func:`parse_definition` (PRODUCT.md section 1):
weights sum to 100; orchestration carries the highest weight, 15; exactly 15 questions;
every dimension has at least one question; every question has the four levels 0..3;
the bands cover 0..1 without gaps; every dimension has at least three moves in every band;
tiers start at 0 and ascend; the Ahead gate names a known dimension; an "I don't know"
answer (from version 2026.2, issue 15) has a label and a low-confidence limit of 0 or more.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from .unknown import UnknownAnswer, parse_unknown

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"

LEVELS = (0, 1, 2, 3)
QUESTION_COUNT = 15
WEIGHT_TOTAL = 100
ORCHESTRATION_ID = "orchestration"
ORCHESTRATION_WEIGHT = 15
MIN_MOVES_PER_BAND = 3


class DefinitionError(ValueError):
    """A definition that breaks a rule. ``problems`` lists each broken rule in words."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Invalid benchmark definition: " + "; ".join(problems))


@dataclass(frozen=True)
class Tier:
    """A maturity tier: ``min_score`` is the lowest overall score (0..100) that reaches it."""

    id: str
    label: str
    level: int
    min_score: int
    meaning: str


@dataclass(frozen=True)
class Band:
    """A score band over a dimension score in 0..1: ``min`` inclusive, ``max`` exclusive
    (the last band includes 1)."""

    id: str
    label: str
    min: Fraction
    max: Fraction


@dataclass(frozen=True)
class Move:
    """A named move that closes part of a dimension's gap, for dimension scores in ``band``."""

    dimension_id: str
    band_id: str
    title: str
    detail: str


@dataclass(frozen=True)
class Dimension:
    """One of the 10 operating dimensions; ``weight`` is its share of the 100 points."""

    id: str
    label: str
    weight: int
    summary: str
    moves: tuple[Move, ...]


@dataclass(frozen=True)
class Option:
    """A behaviour-anchored answer: ``level`` 0 (absent) .. 3 (runs, measured, no relay)."""

    level: int
    text: str


@dataclass(frozen=True)
class ToolCountRule:
    """Inverse scoring of AI tool counts.

    ``bands`` is ordered ``(max_paid, level)``: the first band whose ``max_paid`` is at
    least the number of paid tools gives the level; more tools than the last band gives
    ``above_level``. When fewer than ``min_daily_share`` of the paid tools are used daily,
    the level drops by ``idle_penalty`` (not below 0).
    """

    bands: tuple[tuple[int, int], ...]
    above_level: int
    min_daily_share: Fraction
    idle_penalty: int


@dataclass(frozen=True)
class Question:
    """A question of a dimension; ``kind`` is ``"choice"`` or ``"tool_count"``."""

    id: str
    dimension_id: str
    prompt: str
    help: str
    kind: str
    options: tuple[Option, ...]
    tool_count: ToolCountRule | None = None


@dataclass(frozen=True)
class AheadGate:
    """Ahead needs ``dimension_id`` to score at least ``min_score`` (0..1)."""

    dimension_id: str
    min_score: Fraction
    reason: str


@dataclass(frozen=True)
class ReferencePoint:
    """A published figure shown beside the result, always with its source."""

    figure: str
    text: str
    source: str


@dataclass(frozen=True)
class Definition:
    """A complete, validated benchmark definition of one ``version``."""

    version: str
    title: str
    source: str
    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    tiers: tuple[Tier, ...]
    bands: tuple[Band, ...]
    ahead_gate: AheadGate
    reference_points: tuple[ReferencePoint, ...]
    unknown: UnknownAnswer | None = None  # None: this version has no "I don't know"

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with this id; raises KeyError if there is none."""
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    def tier(self, tier_id: str) -> Tier:
        """The tier with this id; raises KeyError if there is none."""
        for tier in self.tiers:
            if tier.id == tier_id:
                return tier
        raise KeyError(tier_id)

    def questions_of(self, dimension_id: str) -> tuple[Question, ...]:
        """The questions that score ``dimension_id``, in definition order."""
        return tuple(q for q in self.questions if q.dimension_id == dimension_id)


def _fraction(value: Any, where: str, problems: list[str]) -> Fraction:
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        problems.append(f"{where} is not a number: {value!r}")
        return Fraction(0)


def _require(data: dict[str, Any], key: str, where: str, problems: list[str]) -> Any:
    if key not in data:
        problems.append(f"{where} has no {key!r}")
        return None
    return data[key]


def _parse_tool_count(raw: dict[str, Any], where: str, problems: list[str]) -> ToolCountRule:
    bands = tuple((int(b["max_paid"]), int(b["level"])) for b in raw.get("bands", []))
    if not bands:
        problems.append(f"{where} tool_count has no bands")
    if [b[0] for b in bands] != sorted({b[0] for b in bands}):
        problems.append(f"{where} tool_count bands must ascend by max_paid")
    penalty = raw.get("idle_penalty", {})
    return ToolCountRule(
        bands=bands,
        above_level=int(raw.get("above_level", 0)),
        min_daily_share=_fraction(penalty.get("min_daily_share", 0), where, problems),
        idle_penalty=int(penalty.get("levels", 0)),
    )


def parse_definition(data: dict[str, Any]) -> Definition:
    """Build a :class:`Definition` from its JSON shape, checking every rule.

    Raises:
        DefinitionError: listing every rule the data breaks, e.g.
            ``"weights sum to 99, not 100"`` or ``"dimension 'budget' has 2 moves in band
            'starting', needs at least 3"``.
    """
    problems: list[str] = []
    version = str(data.get("version") or "")
    if not version:
        problems.append("the definition has no version")

    bands = tuple(
        Band(
            id=b["id"],
            label=b.get("label", b["id"]),
            min=_fraction(b["min"], f"band {b['id']!r} min", problems),
            max=_fraction(b["max"], f"band {b['id']!r} max", problems),
        )
        for b in data.get("bands", [])
    )
    band_ids = {b.id for b in bands}
    if not bands:
        problems.append("the definition has no score bands")
    else:
        if bands[0].min != 0 or bands[-1].max != 1:
            problems.append("score bands must cover 0 to 1")
        for lower, upper in itertools.pairwise(bands):
            if lower.max != upper.min:
                problems.append(f"band {upper.id!r} does not start where {lower.id!r} ends")

    dimensions: list[Dimension] = []
    for raw in data.get("dimensions", []):
        dim_id = raw.get("id", "?")
        moves = tuple(
            Move(dimension_id=dim_id, band_id=m["band"], title=m["title"], detail=m["detail"])
            for m in raw.get("moves", [])
        )
        for move in moves:
            if move.band_id not in band_ids:
                problems.append(f"dimension {dim_id!r} has a move in unknown band {move.band_id!r}")
        for band in bands:
            count = sum(1 for m in moves if m.band_id == band.id)
            if count < MIN_MOVES_PER_BAND:
                problems.append(
                    f"dimension {dim_id!r} has {count} moves in band {band.id!r}, "
                    f"needs at least {MIN_MOVES_PER_BAND}"
                )
        dimensions.append(
            Dimension(
                id=dim_id,
                label=raw.get("label", dim_id),
                weight=int(raw.get("weight", 0)),
                summary=raw.get("summary", ""),
                moves=moves,
            )
        )
    dim_ids = [d.id for d in dimensions]
    if len(set(dim_ids)) != len(dim_ids):
        problems.append("dimension ids are not unique")
    total = sum(d.weight for d in dimensions)
    if total != WEIGHT_TOTAL:
        problems.append(f"weights sum to {total}, not {WEIGHT_TOTAL}")
    orchestration = next((d for d in dimensions if d.id == ORCHESTRATION_ID), None)
    if orchestration is None:
        problems.append("there is no 'orchestration' dimension")
    else:
        if orchestration.weight != ORCHESTRATION_WEIGHT:
            problems.append(
                f"orchestration weighs {orchestration.weight}, not {ORCHESTRATION_WEIGHT}"
            )
        heavier = [
            d.id for d in dimensions if d is not orchestration and d.weight >= orchestration.weight
        ]
        if heavier:
            problems.append(
                "orchestration must carry the highest weight, but "
                + ", ".join(repr(h) for h in heavier)
                + " weigh as much or more"
            )

    questions: list[Question] = []
    for raw in data.get("questions", []):
        q_id = raw.get("id", "?")
        where = f"question {q_id!r}"
        kind = raw.get("kind", "choice")
        options = tuple(
            Option(level=int(o["level"]), text=o["text"]) for o in raw.get("options", [])
        )
        if tuple(sorted(o.level for o in options)) != LEVELS:
            problems.append(f"{where} must have exactly the answer levels 0, 1, 2 and 3")
        if raw.get("dimension") not in dim_ids:
            problems.append(f"{where} belongs to unknown dimension {raw.get('dimension')!r}")
        rule = None
        if kind == "tool_count":
            rule = _parse_tool_count(raw.get("tool_count", {}), where, problems)
        elif kind != "choice":
            problems.append(f"{where} has unknown kind {kind!r}")
        questions.append(
            Question(
                id=q_id,
                dimension_id=raw.get("dimension", ""),
                prompt=_require(raw, "prompt", where, problems) or "",
                help=raw.get("help", ""),
                kind=kind,
                options=tuple(sorted(options, key=lambda o: o.level)),
                tool_count=rule,
            )
        )
    if len(questions) != QUESTION_COUNT:
        problems.append(f"there are {len(questions)} questions, not {QUESTION_COUNT}")
    q_ids = [q.id for q in questions]
    if len(set(q_ids)) != len(q_ids):
        problems.append("question ids are not unique")
    for dim_id in dim_ids:
        if not any(q.dimension_id == dim_id for q in questions):
            problems.append(f"dimension {dim_id!r} has no question")

    tiers = tuple(
        Tier(
            id=t["id"],
            label=t["label"],
            level=int(t["level"]),
            min_score=int(t["min_score"]),
            meaning=t.get("meaning", ""),
        )
        for t in data.get("tiers", [])
    )
    if not tiers or tiers[0].min_score != 0:
        problems.append("the first tier must start at 0")
    if [t.min_score for t in tiers] != sorted({t.min_score for t in tiers}):
        problems.append("tier thresholds must ascend")

    raw_gate = data.get("ahead_gate") or {}
    gate = AheadGate(
        dimension_id=raw_gate.get("dimension", ""),
        min_score=_fraction(raw_gate.get("min_score", 0), "ahead_gate min_score", problems),
        reason=raw_gate.get("reason", ""),
    )
    if gate.dimension_id not in dim_ids:
        problems.append(f"the Ahead gate names unknown dimension {gate.dimension_id!r}")

    references = tuple(
        ReferencePoint(figure=r["figure"], text=r["text"], source=r["source"])
        for r in data.get("reference_points", [])
    )
    if any(not r.source.strip() for r in references):
        problems.append("every reference point needs a source")

    unknown = parse_unknown(data.get("unknown_answer"), problems)

    if problems:
        raise DefinitionError(problems)
    return Definition(
        version=version,
        title=data.get("title", ""),
        source=data.get("source", ""),
        dimensions=tuple(dimensions),
        questions=tuple(questions),
        tiers=tiers,
        bands=bands,
        ahead_gate=gate,
        reference_points=references,
        unknown=unknown,
    )


def read_definition_file(
    version: str, directory: Path = DEFINITIONS_DIR
) -> tuple[dict[str, Any], str]:
    """Read ``<directory>/<version>.json``; return its data and the SHA-256 of its bytes.

    Raises:
        DefinitionError: when the file is missing, is not JSON, or its version field does
            not match its file name.
    """
    if not version.replace(".", "").replace("-", "").isalnum():
        raise DefinitionError([f"{version!r} is not a definition version"])
    path = directory / f"{version}.json"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DefinitionError([f"no definition file for version {version!r}"]) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DefinitionError([f"{path.name} is not valid JSON ({exc})"]) from None
    if data.get("version") != version:
        raise DefinitionError([f"{path.name} declares version {data.get('version')!r}"])
    return data, hashlib.sha256(raw).hexdigest()

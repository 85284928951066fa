"""Qualification of a Revenue Audit submission: qualified, follow-up or not ready.

Pure module: standard library only, no clock. PRODUCT.md section 2 names the four
dimensions and the three tiers; the scores and thresholds below are this product's rules.
Money is in USD.

Dimensions, each scored 0..3, in this order:

* ``deal_size`` (deal-size potential): the annual value of the top gap is the top passing
  candidate workflow's annual human-hour cost (0 when none passes), compared with the lower
  bound of the implementation budget band (lt10k 0, 10-25k 10,000, 25-50k 25,000,
  50-100k 50,000, gt100k 100,000). 3 when the value is at least twice the lower bound and
  at least 25,000; 2 when at least the lower bound and at least 10,000; 1 when above 0;
  0 when no candidate passes (or the value is 0). Revenue band "lt5m" caps it at 2: revenue
  is the ceiling of what fixing the gap is worth.
* ``urgency``: 30_days 3, 60_days 2, this_quarter 1, later 0.
* ``build_case`` (operational build case): one point each for a candidate workflow that
  passes the 3-criteria filter, a CRM named, and at least 100 leads a month.
* ``decision_access`` (decision-maker access): signs_off 3, recommends 2, researching 0.

Tiers, total = sum of the four (0..12):

* ``not_ready`` when any of: no candidate workflow passes the filter (the real problem may
  be upstream of marketing); urgency "later" (timeline misaligned); or, with a passing
  candidate, the top gap's annual value is below a budget lower bound above 0 (gap too small
  for the cost). The recommendation names the better fit for the first of these that holds.
* ``qualified`` otherwise, when total >= 9 and every dimension scores at least 2.
* ``follow_up`` otherwise; the recommendation names what to tighten: the dimensions scoring
  below 2, or when none does, the lowest-scoring ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from audits.stack import format_usd
from workflows.candidates.filter import MIN_HOURS_PER_WEEK, FilterResult

QUALIFIED = "qualified"
FOLLOW_UP = "follow_up"
NOT_READY = "not_ready"

DEAL_SIZE = "deal_size"
URGENCY = "urgency"
BUILD_CASE = "build_case"
DECISION_ACCESS = "decision_access"

LABELS: Mapping[str, str] = MappingProxyType(
    {
        DEAL_SIZE: "Deal-size potential",
        URGENCY: "Urgency",
        BUILD_CASE: "Operational build case",
        DECISION_ACCESS: "Decision-maker access",
    }
)

REVENUE_BANDS = ("lt5m", "5-20m", "20-50m", "50-200m", "gt200m")
SMALL_REVENUE_BAND = "lt5m"
SMALL_REVENUE_DEAL_SIZE_CAP = 2

BUDGET_LOWER_BOUNDS_USD: Mapping[str, Decimal] = MappingProxyType(
    {
        "lt10k": Decimal(0),
        "10-25k": Decimal(10_000),
        "25-50k": Decimal(25_000),
        "50-100k": Decimal(50_000),
        "gt100k": Decimal(100_000),
    }
)
DEAL_SIZE_FLOOR_USD = Decimal(10_000)  # a gap worth less does not carry a build engagement
DEAL_SIZE_STRONG_FLOOR_USD = Decimal(25_000)

URGENCY_SCORES: Mapping[str, int] = MappingProxyType(
    {"30_days": 3, "60_days": 2, "this_quarter": 1, "later": 0}
)
URGENCY_REASONS: Mapping[str, str] = MappingProxyType(
    {
        "30_days": "A named timeline: move the metric within 30 days.",
        "60_days": "A named timeline: move the metric within 60 days.",
        "this_quarter": "Timeline is this quarter: a date, but a loose one.",
        "later": "No date to move the metric.",
    }
)

DECISION_ROLE_SCORES: Mapping[str, int] = MappingProxyType(
    {"signs_off": 3, "recommends": 2, "researching": 0}
)
DECISION_ROLE_REASONS: Mapping[str, str] = MappingProxyType(
    {
        "signs_off": "The submitter signs off the budget.",
        "recommends": "The submitter recommends; someone else signs off the budget.",
        "researching": "The submitter is gathering information, with no line to the budget.",
    }
)

MIN_LEAD_VOLUME = 100
MAX_SCORE = 3
MAX_TOTAL = 12
QUALIFIED_TOTAL = 9
QUALIFIED_MIN_SCORE = 2

UPSTREAM_REASON = (
    "No candidate workflow passes the 3-criteria filter: "
    "the real problem may be upstream of marketing."
)
UPSTREAM_RECOMMENDATION = (
    "Fix lead volume or offer first; revisit when a workflow costs at least "
    f"{MIN_HOURS_PER_WEEK} hours a week."
)
TIMELINE_REASON = "Timeline misaligned: no date to move the metric."
TIMELINE_RECOMMENDATION = (
    "Start with the free self-score now; revisit the audit when there is a date to move the metric."
)
SMALL_GAP_RECOMMENDATION = (
    "Start with the free self-score and a process fix before a build engagement."
)


@dataclass(frozen=True)
class QualificationInput:
    """The facts of a submission that qualification reads.

    Choice keys are plain strings (the Django layer stores the same values); ``crm`` is ""
    when there is none; ``monthly_lead_volume`` is None when not given; ``top_candidate`` is
    the best passing candidate workflow, None when none passes; ``candidate_count`` is the
    number of candidate workflows listed.
    """

    revenue_band: str
    implementation_budget: str
    urgency: str
    crm: str
    monthly_lead_volume: int | None
    decision_role: str
    top_candidate: FilterResult | None
    candidate_count: int


@dataclass(frozen=True)
class DimensionAssessment:
    """One dimension's ``score`` (0..3) and the sentence that explains it."""

    id: str
    label: str
    score: int
    reason: str


@dataclass(frozen=True)
class Qualification:
    """The computed tier.

    ``tier`` is "qualified", "follow_up" or "not_ready"; ``total`` is 0..12, the sum of the
    four ``dimensions`` (deal_size, urgency, build_case, decision_access); ``reasons`` are
    the sentences that led to the tier; ``recommendation`` says what to send.
    """

    tier: str
    total: int
    dimensions: tuple[DimensionAssessment, ...]
    reasons: tuple[str, ...]
    recommendation: str


def qualify(inp: QualificationInput) -> Qualification:
    """Score a Revenue Audit submission on the four dimensions and give its tier.

    Raises:
        ValueError: naming an unknown choice key, or for inconsistent candidate facts.
    """
    _check_input(inp)
    lower_bound = BUDGET_LOWER_BOUNDS_USD[inp.implementation_budget]
    top = inp.top_candidate
    gap_value = top.annual_cost_usd if top is not None else Decimal(0)

    dimensions = (
        assess_deal_size(inp.revenue_band, inp.implementation_budget, top),
        DimensionAssessment(
            URGENCY, LABELS[URGENCY], URGENCY_SCORES[inp.urgency], URGENCY_REASONS[inp.urgency]
        ),
        assess_build_case(inp),
        DimensionAssessment(
            DECISION_ACCESS,
            LABELS[DECISION_ACCESS],
            DECISION_ROLE_SCORES[inp.decision_role],
            DECISION_ROLE_REASONS[inp.decision_role],
        ),
    )
    total = sum(d.score for d in dimensions)

    blockers: list[tuple[str, str]] = []
    if top is None:
        blockers.append((UPSTREAM_REASON, UPSTREAM_RECOMMENDATION))
    elif lower_bound > 0 and gap_value < lower_bound:
        reason = (
            f"Gap too small for the cost: {format_usd(gap_value)} a year against a budget "
            f"from {format_usd(lower_bound)}."
        )
        blockers.append((reason, SMALL_GAP_RECOMMENDATION))
    if inp.urgency == "later":
        blockers.append((TIMELINE_REASON, TIMELINE_RECOMMENDATION))
    if blockers:
        return Qualification(
            tier=NOT_READY,
            total=total,
            dimensions=dimensions,
            reasons=tuple(reason for reason, _ in blockers),
            recommendation=blockers[0][1],
        )

    assert top is not None  # nosec B101 # noqa: S101 - no passing candidate is a blocker above
    gap = f"{top.candidate.name} ({format_usd(gap_value)} a year)"
    weak = [d for d in dimensions if d.score < QUALIFIED_MIN_SCORE]
    if total >= QUALIFIED_TOTAL and not weak:
        reasons = [
            f"Score {total} of {MAX_TOTAL}: at least {QUALIFIED_TOTAL}, with every dimension "
            f"at least {QUALIFIED_MIN_SCORE}."
        ]
        reasons += [f"{d.label} {d.score} of {MAX_SCORE}: {d.reason}" for d in dimensions]
        return Qualification(
            tier=QUALIFIED,
            total=total,
            dimensions=dimensions,
            reasons=tuple(reasons),
            recommendation=f"Send the named gap, {gap}, and a booking link.",
        )

    reasons = []
    if total < QUALIFIED_TOTAL:
        reasons.append(f"Score {total} of {MAX_TOTAL}: below {QUALIFIED_TOTAL}.")
    reasons += [
        f"{d.label} {d.score} of {MAX_SCORE}, below {QUALIFIED_MIN_SCORE}: {d.reason}" for d in weak
    ]
    if not weak:
        lowest = min(d.score for d in dimensions)
        weak = [d for d in dimensions if d.score == lowest]
        reasons += [f"{d.label} {d.score} of {MAX_SCORE}, the lowest: {d.reason}" for d in weak]
    tighten = [item for d in weak for item in _tighten_items(d.id, inp, gap_value)]
    return Qualification(
        tier=FOLLOW_UP,
        total=total,
        dimensions=dimensions,
        reasons=tuple(reasons),
        recommendation=f"Send the named gap, {gap}, and ask them to tighten {_join(tighten)}.",
    )


def assess_deal_size(
    revenue_band: str, implementation_budget: str, top_candidate: FilterResult | None
) -> DimensionAssessment:
    """Deal-size potential, 0..3: the top gap's annual value against the budget band."""
    lower_bound = BUDGET_LOWER_BOUNDS_USD[implementation_budget]
    budget = f"from {format_usd(lower_bound)}" if lower_bound else "under $10,000"
    if top_candidate is None:
        reason = "No candidate workflow passes the filter, so there is no gap to put a value on."
        return DimensionAssessment(DEAL_SIZE, LABELS[DEAL_SIZE], 0, reason)

    value = top_candidate.annual_cost_usd
    if value >= 2 * lower_bound and value >= DEAL_SIZE_STRONG_FLOOR_USD:
        score = 3
        why = f"at least {format_usd(DEAL_SIZE_STRONG_FLOOR_USD)}"
        if lower_bound:
            why += " and at least twice the budget's lower bound"
    elif value >= lower_bound and value >= DEAL_SIZE_FLOOR_USD:
        score = 2
        why = f"at least {format_usd(DEAL_SIZE_FLOOR_USD)}"
        if lower_bound:
            why += " and at least the budget's lower bound"
    elif value > 0:
        score = 1
        if value < lower_bound:
            why = "below the budget's lower bound"
        else:
            why = f"under {format_usd(DEAL_SIZE_FLOOR_USD)}, small for a build engagement"
    else:
        score = 0
        why = "nothing to recover at the stated hourly rate"
    reason = f"Top gap worth {format_usd(value)} a year against a budget {budget}: {why}."
    if revenue_band == SMALL_REVENUE_BAND and score > SMALL_REVENUE_DEAL_SIZE_CAP:
        score = SMALL_REVENUE_DEAL_SIZE_CAP
        reason += (
            f" Capped at {SMALL_REVENUE_DEAL_SIZE_CAP}: annual revenue under $5M limits what "
            "closing it is worth."
        )
    return DimensionAssessment(DEAL_SIZE, LABELS[DEAL_SIZE], score, reason)


def assess_build_case(inp: QualificationInput) -> DimensionAssessment:
    """Operational build case, 0..3: a passing candidate, a CRM, at least 100 leads a month."""
    has: list[str] = []
    missing: list[str] = []
    listed = f"{inp.candidate_count} listed"
    if inp.top_candidate is not None:
        has.append(
            "a candidate workflow that passes the 3-criteria filter "
            f"({inp.top_candidate.candidate.name})"
        )
    else:
        missing.append(f"a candidate workflow that passes the 3-criteria filter ({listed})")
    crm = inp.crm.strip()
    if crm:
        has.append(f"a CRM ({crm})")
    else:
        missing.append("a CRM")
    leads = inp.monthly_lead_volume
    if leads is not None and leads >= MIN_LEAD_VOLUME:
        has.append(f"{leads:,} leads a month")
    elif leads is None:
        missing.append(f"at least {MIN_LEAD_VOLUME} leads a month (volume not given)")
    else:
        missing.append(f"at least {MIN_LEAD_VOLUME} leads a month ({leads:,} today)")

    sentences = []
    if has:
        sentences.append(f"Has {_join(has)}.")
    if missing:
        sentences.append(f"Missing {_join(missing)}.")
    return DimensionAssessment(BUILD_CASE, LABELS[BUILD_CASE], len(has), " ".join(sentences))


def _tighten_items(dimension_id: str, inp: QualificationInput, gap_value: Decimal) -> list[str]:
    """What to tighten for a weak dimension, in the product's words."""
    if dimension_id == URGENCY:
        return ["urgency (name a date within 60 days to move the metric)"]
    if dimension_id == DEAL_SIZE:
        return [
            f"budget (the top gap is worth {format_usd(gap_value)} a year; confirm what "
            "closing it is worth and the budget for it)"
        ]
    if dimension_id == DECISION_ACCESS:
        return ["decision-maker (bring in whoever signs off the budget)"]
    items = []
    if not inp.crm.strip():
        items.append("CRM maturity (no CRM named)")
    leads = inp.monthly_lead_volume
    if leads is None:
        items.append(f"lead volume (not given; at least {MIN_LEAD_VOLUME} a month)")
    elif leads < MIN_LEAD_VOLUME:
        items.append(f"lead volume ({leads:,} a month, below {MIN_LEAD_VOLUME})")
    return items


def _check_input(inp: QualificationInput) -> None:
    _check_choice("revenue_band", inp.revenue_band, REVENUE_BANDS)
    _check_choice("implementation_budget", inp.implementation_budget, BUDGET_LOWER_BOUNDS_USD)
    _check_choice("urgency", inp.urgency, URGENCY_SCORES)
    _check_choice("decision_role", inp.decision_role, DECISION_ROLE_SCORES)
    if inp.candidate_count < 0:
        raise ValueError(f"candidate_count must be zero or more, got {inp.candidate_count}.")
    if inp.monthly_lead_volume is not None and inp.monthly_lead_volume < 0:
        raise ValueError(
            f"monthly_lead_volume must be zero or more, got {inp.monthly_lead_volume}."
        )
    if inp.top_candidate is not None:
        if not inp.top_candidate.passed:
            raise ValueError(
                f"top_candidate {inp.top_candidate.candidate.name!r} does not pass the "
                "3-criteria filter; pass None when no candidate passes."
            )
        if inp.candidate_count < 1:
            raise ValueError("candidate_count must be at least 1 when there is a top candidate.")


def _check_choice(field: str, value: str, choices: Mapping[str, object] | tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"Unknown {field} {value!r}: expected one of {', '.join(choices)}.")


def _join(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"

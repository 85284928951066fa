"""The 3-criteria filter: which candidate workflow to orchestrate first.

Pure module: standard library only, no clock. The rules are PRODUCT.md section 3. A
candidate workflow passes only if all three criteria hold, each reported with its reason:

1. ``hours`` (current human-hour cost): at least MIN_HOURS_PER_WEEK (5) human hours per
   week today, all people together; exactly 5 passes, 4.9 fails;
2. ``feasibility`` (automation feasibility): at least one step AI can credibly automate today;
3. ``revenue`` (revenue connection): within MAX_DEGREES_FROM_REVENUE (2) degrees of a revenue
   metric, where 1 means the workflow touches a revenue metric directly; 2 passes, 3 fails.

Annual human-hour cost = hours per week x loaded hourly rate (USD) x WEEKS_PER_YEAR (52),
rounded half up to whole dollars. Passing candidates rank by that cost, highest first (pick
the most painful current state, not the most exciting future one); ties go to the name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

MIN_HOURS_PER_WEEK = Decimal(5)
MAX_DEGREES_FROM_REVENUE = 2
WEEKS_PER_YEAR = 52

HOURS = "hours"
FEASIBILITY = "feasibility"
REVENUE = "revenue"

LABELS = {
    HOURS: "Current human-hour cost",
    FEASIBILITY: "Automation feasibility",
    REVENUE: "Revenue connection",
}


@dataclass(frozen=True)
class CandidateInput:
    """A candidate workflow as the team describes it today.

    ``hours_per_week`` is the total human hours per week spent on the workflow today, all
    people together; ``degrees_from_revenue`` is 1 when the workflow touches a revenue metric
    directly; ``key`` is the caller's id, passed through untouched.
    """

    name: str
    hours_per_week: Decimal
    people_involved: int
    ai_can_automate_step: bool
    degrees_from_revenue: int
    pain: str = ""
    key: str = ""


@dataclass(frozen=True)
class CriterionResult:
    """One criterion's verdict. ``id`` is "hours", "feasibility" or "revenue"; ``reason`` is a
    full sentence that carries the numbers it was decided on."""

    id: str
    label: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class FilterResult:
    """A candidate workflow through the filter.

    ``criteria`` holds the three criteria in the order hours, feasibility, revenue;
    ``passed`` is True only when all three pass; ``annual_cost_usd`` is hours per week x
    loaded hourly rate x 52 in whole USD; ``rank`` is 1-based among passing candidates
    (set by ``rank_candidates``), None for a failing candidate or an unranked one.
    """

    candidate: CandidateInput
    criteria: tuple[CriterionResult, ...]
    passed: bool
    annual_cost_usd: Decimal
    rank: int | None


def filter_candidate(candidate: CandidateInput, *, loaded_hourly_rate_usd: Decimal) -> FilterResult:
    """Put one candidate workflow through the 3-criteria filter (``rank`` is None).

    ``loaded_hourly_rate_usd`` is the fully loaded cost of one human hour, in USD.

    Raises:
        ValueError: for negative hours or rate, degrees below 1, or negative people.
    """
    _check_rate(loaded_hourly_rate_usd)
    _check_candidate(candidate)
    criteria = (
        _judge_hours(candidate.hours_per_week),
        _judge_feasibility(candidate.ai_can_automate_step),
        _judge_revenue(candidate.degrees_from_revenue),
    )
    return FilterResult(
        candidate=candidate,
        criteria=criteria,
        passed=all(c.passed for c in criteria),
        annual_cost_usd=compute_annual_cost(
            candidate.hours_per_week, loaded_hourly_rate_usd=loaded_hourly_rate_usd
        ),
        rank=None,
    )


def rank_candidates(
    candidates: Iterable[CandidateInput], *, loaded_hourly_rate_usd: Decimal
) -> tuple[FilterResult, ...]:
    """Filter every candidate workflow and rank the ones that pass.

    Passing candidates come first, by annual cost descending, then name, ranked 1..n;
    failing candidates follow in the same order with ``rank`` None. Candidates equal in
    both keep their input order.

    Raises:
        ValueError: as ``filter_candidate``, for the first bad candidate.
    """
    _check_rate(loaded_hourly_rate_usd)
    results = [
        filter_candidate(c, loaded_hourly_rate_usd=loaded_hourly_rate_usd) for c in candidates
    ]
    results.sort(key=lambda r: (not r.passed, -r.annual_cost_usd, r.candidate.name))
    # Passing results sort first, so a passing result's position is its rank.
    return tuple(
        replace(result, rank=position) if result.passed else result
        for position, result in enumerate(results, start=1)
    )


def compute_annual_cost(hours_per_week: Decimal, *, loaded_hourly_rate_usd: Decimal) -> Decimal:
    """Annual human-hour cost in whole USD: hours per week x loaded hourly rate x 52."""
    cost = hours_per_week * loaded_hourly_rate_usd * WEEKS_PER_YEAR
    return cost.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _check_rate(rate: Decimal) -> None:
    if not rate.is_finite() or rate < 0:
        raise ValueError(f"Loaded hourly rate must be zero or more USD, got {rate}.")


def _check_candidate(candidate: CandidateInput) -> None:
    hours = candidate.hours_per_week
    if not hours.is_finite() or hours < 0:
        raise ValueError(
            f"Candidate workflow {candidate.name!r}: hours per week must be zero or more, "
            f"got {hours}."
        )
    if candidate.degrees_from_revenue < 1:
        raise ValueError(
            f"Candidate workflow {candidate.name!r}: degrees from revenue must be at least 1 "
            f"(1 = touches a revenue metric directly), got {candidate.degrees_from_revenue}."
        )
    if candidate.people_involved < 0:
        raise ValueError(
            f"Candidate workflow {candidate.name!r}: people involved must be zero or more, "
            f"got {candidate.people_involved}."
        )


def _judge_hours(hours: Decimal) -> CriterionResult:
    minimum = _format_number(MIN_HOURS_PER_WEEK)
    today = f"{_format_number(hours)} {'hour' if hours == 1 else 'hours'} a week today"
    if hours >= MIN_HOURS_PER_WEEK:
        reason = f"{today}: at least {minimum}, big enough to be worth orchestrating."
        return CriterionResult(HOURS, LABELS[HOURS], True, reason)
    reason = f"{today}: below {minimum}, too small to pay back."
    return CriterionResult(HOURS, LABELS[HOURS], False, reason)


def _judge_feasibility(ai_can_automate_step: bool) -> CriterionResult:
    if ai_can_automate_step:
        reason = "AI can credibly automate at least one step today."
    else:
        reason = "No step AI can credibly automate today."
    return CriterionResult(FEASIBILITY, LABELS[FEASIBILITY], ai_can_automate_step, reason)


def _judge_revenue(degrees: int) -> CriterionResult:
    limit = MAX_DEGREES_FROM_REVENUE
    distance = f"{degrees} {'degree' if degrees == 1 else 'degrees'} from a revenue metric"
    if degrees <= limit:
        return CriterionResult(REVENUE, LABELS[REVENUE], True, f"{distance}: within {limit}.")
    reason = f"{distance}: more than {limit}, too far to show in pipeline."
    return CriterionResult(REVENUE, LABELS[REVENUE], False, reason)


def _format_number(value: Decimal) -> str:
    """``6`` for 6.00, ``4.9`` for 4.90: no trailing zeros, never scientific notation."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")

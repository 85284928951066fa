"""Reads for candidate workflows: the list through the filter, what choosing one does."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.models import Organization

from ..models import CandidateWorkflow, DataImport, Plan, Review, Step
from .filter import FilterResult, filter_candidate

DEFAULT_LOADED_RATE_USD = Decimal("85.00")


def loaded_rate_for(candidate: CandidateWorkflow) -> Decimal:
    """The loaded hourly rate (USD) the candidate's audit uses, else the default $85."""
    if candidate.audit_id and candidate.audit is not None:
        return candidate.audit.loaded_hourly_rate_usd
    return DEFAULT_LOADED_RATE_USD


@dataclass(frozen=True)
class CandidateRow:
    """A candidate with its filter result (None while details are missing)."""

    candidate: CandidateWorkflow
    result: FilterResult | None


def candidate_filter_result(candidate: CandidateWorkflow) -> FilterResult | None:
    """The candidate through the 3-criteria filter at its audit's loaded rate (None while
    its details are missing)."""
    if not candidate.is_complete:
        return None
    return filter_candidate(
        candidate.as_filter_input(), loaded_hourly_rate_usd=loaded_rate_for(candidate)
    )


def candidate_chosen_get(*, organization: Organization) -> CandidateRow | None:
    """The organization's first chosen workflow (lowest portfolio position) with its filter
    result, or None before one is chosen (one query)."""
    chosen = (
        CandidateWorkflow.objects.for_organization(organization)
        .filter(portfolio_position__isnull=False)
        .select_related("audit")
        .order_by("portfolio_position")
        .first()
    )
    return CandidateRow(chosen, candidate_filter_result(chosen)) if chosen else None


def candidate_list(*, organization: Organization) -> list[CandidateRow]:
    """The organization's candidates (one query): chosen ones first by portfolio position,
    then those passing the 3-criteria filter by annual human-hour cost, then those failing
    it, then those still missing details. Each is costed at its own audit's loaded rate."""
    candidates = CandidateWorkflow.objects.for_organization(organization).select_related("audit")
    rows = [CandidateRow(c, candidate_filter_result(c)) for c in candidates]

    def sort_key(row: CandidateRow) -> tuple:
        position = row.candidate.portfolio_position
        result = row.result
        return (
            position is None,
            position or 0,
            result is None,
            not (result and result.passed),
            -(result.annual_cost_usd if result else 0),
            row.candidate.name.lower(),
        )

    return sorted(rows, key=sort_key)


ORDINALS = {1: "first", 2: "second", 3: "third"}


def candidate_choose_consequences(
    *, candidate: CandidateWorkflow, position: int | None
) -> list[str]:
    """What marking ``candidate`` as workflow ``position`` (None: unmarking it) would do,
    as sentences for the confirmation page; empty when nothing is lost or replaced.

    Said: the workflow that would lose the position, with what it holds (steps, a plan,
    completed reviews, imported data), and a candidate that fails the 3-criteria filter.
    """
    lines: list[str] = []
    if position is None:
        holder = candidate if candidate.portfolio_position else None
    else:
        holder = (
            CandidateWorkflow.objects.filter(
                organization=candidate.organization, portfolio_position=position
            )
            .exclude(pk=candidate.pk)
            .first()
        )
    if holder is not None:
        held = []
        steps = Step.objects.filter(map__workflow=holder).count()
        if steps:
            held.append(f"{steps} mapped step{'s' if steps != 1 else ''}")
        if Plan.objects.filter(workflow=holder).exists():
            held.append("a 30-day plan")
        reviews = Review.objects.filter(workflow=holder, completed_at__isnull=False).count()
        if reviews:
            held.append(f"{reviews} completed review{'s' if reviews != 1 else ''}")
        imports = DataImport.objects.filter(workflow=holder).count()
        if imports:
            held.append(f"{imports} data upload{'s' if imports != 1 else ''}")
        what = f" It keeps {', '.join(held)}, but leaves the portfolio." if held else ""
        ordinal = ORDINALS.get(holder.portfolio_position or 0, str(holder.portfolio_position))
        lines.append(f"“{holder}” stops being your {ordinal} workflow.{what}")
    result = candidate_filter_result(candidate) if position is not None else None
    if result is not None and not result.passed:
        failing = "; ".join(c.reason for c in result.criteria if not c.passed)
        lines.append(f"“{candidate}” fails the 3-criteria filter: {failing}")
    return lines


def candidates_closing_gap(*, organization: Organization, gap: str) -> list[CandidateRow]:
    """The organization's candidates that move the benchmark dimension ``gap`` (the
    self-score's widest gap), in ``candidate_list``'s order: chosen first, then by the
    filter's annual human-hour cost."""
    return [
        r for r in candidate_list(organization=organization) if gap in r.candidate.moves_dimensions
    ]

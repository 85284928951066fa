"""Writes for candidate workflows: adding one, choosing it, feeding it the mapped hours."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from core.models import Organization

from ..models import CandidateWorkflow, DataImport, Step
from .dimensions import DIMENSION_IDS


def candidate_create(
    *, organization: Organization, candidate: CandidateWorkflow
) -> CandidateWorkflow:
    """Store ``candidate`` (unsaved, from the form) as one of the organization's."""
    candidate.organization = organization
    candidate.save()
    return candidate


@transaction.atomic
def candidate_choose(*, candidate: CandidateWorkflow, position: int | None) -> None:
    """Make ``candidate`` the organization's workflow number ``position`` (1 = first), or
    unchoose it with None; whoever held that position gives it up."""
    CandidateWorkflow.objects.filter(
        organization=candidate.organization, portfolio_position=position
    ).exclude(pk=candidate.pk).update(portfolio_position=None)
    candidate.portfolio_position = position
    candidate.save(update_fields=["portfolio_position", "updated_at"])


def candidate_hours_from_map(*, candidate: CandidateWorkflow, hours_per_week: Decimal) -> None:
    """Feed the mapped human hours per week back into the filter's first criterion."""
    candidate.hours_per_week = hours_per_week.quantize(Decimal("0.1"))
    candidate.save(update_fields=["hours_per_week", "updated_at"])


def candidate_dimensions_set(*, candidate: CandidateWorkflow, dimensions: Iterable[str]) -> bool:
    """Store the benchmark dimensions the team says ``candidate`` moves (ids of
    ``workflows.candidates.dimensions.DIMENSION_IDS``). Confirming the suggestion unchanged
    stores nothing, so the candidate keeps following its answers. Returns True when a row
    changed."""
    chosen = [d for d in DIMENSION_IDS if d in set(dimensions)]
    if not candidate.dimensions and tuple(chosen) == candidate.suggested_dimensions:
        return False
    if chosen == list(candidate.dimensions):
        return False
    candidate.dimensions = chosen
    candidate.save(update_fields=["dimensions", "updated_at"])
    return True


def candidate_delete_consequences(*, candidate: CandidateWorkflow) -> list[str]:
    """What deleting ``candidate`` takes with it, as sentences for its confirmation page."""
    out = [f"“{candidate}” leaves the candidate list."]
    steps = Step.objects.filter(map__workflow=candidate).count()
    if steps:
        out.append(f"Its maps go with it: {steps} step{'s' if steps != 1 else ''}.")
    if candidate.portfolio_position:
        out.append(
            "It is in the portfolio: its 30-day plan, reviews and uploaded data are deleted too."
        )
    if candidate.audit_id:
        out.append("It also leaves the Revenue Audit that listed it.")
    out.append("Board reports already made keep what they showed.")
    return out


@transaction.atomic
def candidate_delete(*, candidate: CandidateWorkflow) -> None:
    """Delete ``candidate`` with everything that hangs off it, and its uploaded files."""
    files = [data_import.file for data_import in DataImport.objects.filter(workflow=candidate)]

    def delete_files() -> None:
        for file in files:
            file.delete(save=False)

    transaction.on_commit(delete_files)
    candidate.delete()


def candidate_update(*, candidate: CandidateWorkflow) -> CandidateWorkflow:
    """Save the edited name and filter figures of ``candidate``."""
    candidate.save()
    return candidate

"""Writes for candidate workflows: adding one, choosing it, feeding it the mapped hours."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from core.models import Organization

from ..models import CandidateWorkflow


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

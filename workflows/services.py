"""Writes for candidate workflows and maps: choosing, steps, ordering, copying, importing."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max

from .mapping import MapInput
from .models import CandidateWorkflow, Step, WorkflowMap


def workflow_map_get_or_create(*, workflow: CandidateWorkflow, kind: str) -> WorkflowMap:
    """The workflow's map of ``kind`` ("current" or "future"), created empty on first use."""
    workflow_map, _ = WorkflowMap.objects.get_or_create(
        workflow=workflow, kind=kind, defaults={"organization": workflow.organization}
    )
    return workflow_map


@transaction.atomic
def candidate_choose(*, candidate: CandidateWorkflow, position: int | None) -> None:
    """Make ``candidate`` the organization's workflow number ``position`` (1 = first), or
    unchoose it with None; whoever held that position gives it up."""
    CandidateWorkflow.objects.filter(
        organization=candidate.organization, portfolio_position=position
    ).exclude(pk=candidate.pk).update(portfolio_position=None)
    candidate.portfolio_position = position
    candidate.save(update_fields=["portfolio_position", "updated_at"])


def step_add(*, workflow_map: WorkflowMap, step: Step) -> Step:
    """Append ``step`` (unsaved) to the end of the map."""
    last = workflow_map.steps.aggregate(last=Max("position"))["last"] or 0
    step.map = workflow_map
    step.position = last + 1
    step.save()
    return step


@transaction.atomic
def step_move(*, step: Step, direction: str) -> None:
    """Swap ``step`` with its neighbour ("up" or "down"); at either end nothing moves."""
    delta = -1 if direction == "up" else 1
    neighbour = Step.objects.filter(map=step.map, position=step.position + delta).first()
    if neighbour is None:
        return
    neighbour.position, step.position = step.position, neighbour.position
    neighbour.save(update_fields=["position", "updated_at"])
    step.save(update_fields=["position", "updated_at"])


@transaction.atomic
def step_delete(*, step: Step) -> None:
    """Remove ``step`` and close the gap in positions."""
    workflow_map, position = step.map, step.position
    step.delete()
    Step.objects.filter(map=workflow_map, position__gt=position).update(position=F("position") - 1)


@transaction.atomic
def map_replace_steps(*, workflow_map: WorkflowMap, source: MapInput, settings: bool) -> int:
    """Replace the map's steps with ``source``'s (and, when ``settings``, its trigger,
    owner, logging, KPI and runs per week). Returns the number of steps written."""
    workflow_map.steps.all().delete()
    workflow_map.confirmed_break_step = None
    if settings:
        workflow_map.trigger = source.trigger
        workflow_map.outcome_owner = source.outcome_owner
        workflow_map.outcome_logged = source.outcome_logged
        workflow_map.kpi = source.kpi
        workflow_map.runs_per_week = source.runs_per_week
    workflow_map.save()
    Step.objects.bulk_create(
        [
            Step(
                map=workflow_map,
                position=index,
                name=s.name[:200],
                actor=s.actor.value,
                tool=s.tool[:120],
                owner=s.owner[:120],
                team=s.team[:80],
                inputs=list(s.inputs),
                outputs=list(s.outputs),
                manual_transfer=s.manual_transfer,
                process_minutes=s.process_minutes,
                wait_minutes=s.wait_minutes,
                failure_route=s.failure_route.value,
                done_criteria=s.done_criteria[:500],
            )
            for index, s in enumerate(source.steps, start=1)
        ]
    )
    return len(source.steps)


def break_step_confirm(*, workflow_map: WorkflowMap, step: Step | None) -> None:
    """Record the team's break step (None returns to the suggestion)."""
    workflow_map.confirmed_break_step = step
    workflow_map.save(update_fields=["confirmed_break_step", "updated_at"])


def candidate_hours_from_map(*, candidate: CandidateWorkflow, hours_per_week: Decimal) -> None:
    """Feed the mapped human hours per week back into the filter's first criterion."""
    candidate.hours_per_week = hours_per_week.quantize(Decimal("0.1"))
    candidate.save(update_fields=["hours_per_week", "updated_at"])

"""Writes for candidate workflows and maps: choosing, steps, ordering, copying, importing."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max

from .mapping import MAP_SETTINGS, MapInput
from .models import CandidateWorkflow, DataImport, Step, WorkflowMap


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
    for data_import in DataImport.objects.filter(workflow=candidate):
        transaction.on_commit(lambda f=data_import.file: f.delete(save=False))
    candidate.delete()


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


# What "Start as a copy of the current state" takes from the current map besides its steps.
COPIED_SETTINGS = ("trigger", "outcome_owner", "outcome_logged", "kpi", "runs_per_week")
# MapInput names that differ from the model's.
_MAP_FIELDS = {"time_saved_minutes": "time_saved_per_run_minutes"}


@transaction.atomic
def map_replace_steps(
    *, workflow_map: WorkflowMap, source: MapInput, carries: Iterable[str]
) -> int:
    """Replace the map's steps with ``source``'s and set the map-level values named in
    ``carries`` (of ``mapping.MAP_SETTINGS``) from ``source``; every other value stays as
    it is, so an import never blanks what its file does not carry. ``source`` is checked
    already (the importers apply the fields' limits), so nothing is cut here. Returns the
    number of steps written."""
    workflow_map.steps.all().delete()
    workflow_map.confirmed_break_step = None
    for name in carries:
        if name not in MAP_SETTINGS:
            raise ValueError(f"{name!r} is not a map setting")
        setattr(workflow_map, _MAP_FIELDS.get(name, name), getattr(source, name))
    workflow_map.save()
    Step.objects.bulk_create(
        [
            Step(
                map=workflow_map,
                position=index,
                name=s.name,
                actor=s.actor.value,
                tool=s.tool,
                owner=s.owner,
                team=s.team,
                inputs=list(s.inputs),
                outputs=list(s.outputs),
                manual_transfer=s.manual_transfer,
                process_minutes=s.process_minutes,
                wait_minutes=s.wait_minutes,
                share_of_runs=s.share_of_runs,
                failure_route=s.failure_route.value,
                failure_target=s.failure_target,
                retry_max_tries=s.retry_max_tries,
                retry_wait_seconds=s.retry_wait_seconds,
                done_criteria=s.done_criteria,
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

"""Writes for maps: steps, ordering, copying, importing, the break step."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Max

from ..models import CandidateWorkflow, Step, WorkflowMap
from .shapes import MAP_SETTINGS, MapInput


def workflow_map_get_or_create(*, workflow: CandidateWorkflow, kind: str) -> WorkflowMap:
    """The workflow's map of ``kind`` (a ``WorkflowMap.Kind``), created empty on first use."""
    workflow_map, _ = WorkflowMap.objects.get_or_create(
        workflow=workflow, kind=kind, defaults={"organization": workflow.organization}
    )
    return workflow_map


def workflow_map_update(*, workflow_map: WorkflowMap) -> None:
    """Save the map's settings (validated by its form); the first save creates the map."""
    workflow_map.save()


def step_update(*, step: Step) -> None:
    """Save a step's fields (validated by its form)."""
    step.save()


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
    ``carries`` (of ``shapes.MAP_SETTINGS``) from ``source``; every other value stays as
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

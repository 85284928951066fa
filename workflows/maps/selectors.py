"""Reads for maps: map inputs, analyses and swimlanes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import CandidateWorkflow, Step, WorkflowMap
from .analysis import MapAnalysis, analyze_map, compare_maps
from .shapes import Actor, FailureRoute, MapInput, StepInput
from .swimlane_cache import swimlane_figure_cached


def map_input(workflow_map: WorkflowMap, steps: list[Step]) -> MapInput:
    """The pure analysis input of a stored map and its steps (in position order)."""
    return MapInput(
        name=workflow_map.workflow.name,
        trigger=workflow_map.trigger,
        outcome_owner=workflow_map.outcome_owner,
        outcome_logged=workflow_map.outcome_logged,
        kpi=workflow_map.kpi,
        runs_per_week=workflow_map.runs_per_week,
        notes=workflow_map.notes,
        time_saved_minutes=workflow_map.time_saved_per_run_minutes,
        steps=tuple(
            StepInput(
                order=index,
                name=step.name,
                actor=Actor(step.actor),
                tool=step.tool,
                owner=step.owner,
                team=step.team,
                inputs=tuple(step.inputs),
                outputs=tuple(step.outputs),
                manual_transfer=step.manual_transfer,
                process_minutes=step.process_minutes,
                wait_minutes=step.wait_minutes,
                failure_route=FailureRoute(step.failure_route),
                failure_target=step.failure_target,
                retry_max_tries=step.retry_max_tries,
                retry_wait_seconds=step.retry_wait_seconds,
                share_of_runs=step.share_of_runs,
                done_criteria=step.done_criteria,
                key=str(step.pk),
            )
            for index, step in enumerate(steps, start=1)
        ),
    )


@dataclass(frozen=True)
class MapView:
    """A map ready for the page: its steps, pure input, analysis and swimlane figure."""

    map: WorkflowMap
    steps: list[Step]
    input: MapInput
    analysis: MapAnalysis
    figure: dict[str, Any]
    break_order: int | None


def map_view(workflow_map: WorkflowMap, steps: list[Step] | None = None) -> MapView:
    """Analyse ``workflow_map`` (one query for its steps unless given)."""
    if steps is None:
        steps = list(workflow_map.steps.all())
    data = map_input(workflow_map, steps)
    analysis = analyze_map(data)
    break_order = None
    if workflow_map.confirmed_break_step_id:
        break_order = next(
            (i for i, s in enumerate(steps, 1) if s.pk == workflow_map.confirmed_break_step_id),
            None,
        )
    figure = swimlane_figure_cached(data, analysis, confirmed_break_order=break_order)
    return MapView(workflow_map, steps, data, analysis, figure, break_order)


def comparison(current: MapView | None, future: MapView | None) -> tuple:
    """Current vs future rows, empty until both maps have steps."""
    if current is None or future is None or not current.steps or not future.steps:
        return ()
    return compare_maps(current.analysis, future.analysis)


def workflow_map_get(*, workflow: CandidateWorkflow, kind: str) -> WorkflowMap:
    """The workflow's map of ``kind``, or an unsaved empty one when none is stored yet."""
    found = WorkflowMap.objects.filter(workflow=workflow, kind=kind).first()
    return found or WorkflowMap(organization=workflow.organization, workflow=workflow, kind=kind)

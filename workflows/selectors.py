"""Reads for candidate workflows and maps: filter results, map inputs and analyses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.models import Organization

from .analysis import MapAnalysis, analyze_map, compare_maps
from .filter import FilterResult, filter_candidate
from .mapping import Actor, FailureRoute, MapInput, StepInput
from .models import CandidateWorkflow, DataImport, Plan, Review, Step, WorkflowMap
from .swimlane_cache import swimlane_figure_cached

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


def candidate_list(*, organization: Organization) -> list[CandidateRow]:
    """The organization's candidates (one query): chosen ones first by portfolio position,
    then those passing the 3-criteria filter by annual human-hour cost, then those failing
    it, then those still missing details. Each is costed at its own audit's loaded rate."""
    candidates = CandidateWorkflow.objects.for_organization(organization).select_related("audit")
    rows = [
        CandidateRow(
            c,
            filter_candidate(c.as_filter_input(), loaded_hourly_rate_usd=loaded_rate_for(c))
            if c.is_complete
            else None,
        )
        for c in candidates
    ]

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
    if position is not None and candidate.is_complete:
        result = filter_candidate(
            candidate.as_filter_input(), loaded_hourly_rate_usd=loaded_rate_for(candidate)
        )
        if not result.passed:
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

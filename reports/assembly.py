"""Assemble the board report from the same data as the pages (no new numbers here).

``board_report_context`` reads the organization's latest self-score with its peers, the
first chosen workflow with its filter result and maps, the 30-day plan, and the latest
completed review's frozen snapshot. Every section either has its data or a ``missing`` note.
Charts are Plotly figure dicts; ``reports.charts`` turns them into SVG for the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from benchmark.models import Response
from benchmark.selectors import (
    definition_for_response,
    dimension_rows,
    organization_score_get,
    peer_comparison_get,
    result_radar,
)
from core.models import Organization
from workflows.candidates.selectors import candidate_chosen_get, candidates_closing_gap
from workflows.maps.charts import swimlane_parts
from workflows.maps.selectors import comparison, map_view
from workflows.models import CandidateWorkflow, Plan, Review, WorkflowMap
from workflows.plans.selectors import plan_get
from workflows.reviews.stored import snapshot_read

from .summary import executive_summary, methods_appendix


@dataclass
class ReportData:
    """Everything the print template shows, plus the figures to draw and the data dates."""

    organization: Organization
    as_of: date
    sections: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    data_dates: dict[str, str] = field(default_factory=dict)
    next_steps: list[str] = field(default_factory=list)


def self_score_section(*, response: Response) -> tuple[dict[str, Any], dict[str, Any]]:
    """A self-score as the print templates show it, and its radar figure: the board
    report's maturity section and the respondent's one-page PDF both read this.

    Returns ``(section, radar)``: ``section`` holds ``overall`` (0..100), ``tier``,
    ``ahead_withheld``, ``rows`` (``DimensionRow``, definition order), the peer group in
    words and the overall percentile, the widest ``gap`` with its points lost and weight,
    the three ``moves``, the reference points, and the "I don't know" figures (issue 15).
    """
    definition = definition_for_response(response)
    result = response.scored
    peers = peer_comparison_get(response=response, definition=definition)
    rows = dimension_rows(result=result, definition=definition, comparison=peers)
    gap = definition.dimension(result.widest_gap)
    section = {
        "overall": result.overall,
        "tier": definition.tier(result.tier),
        "ahead_withheld": result.ahead_withheld,
        "rows": rows,
        "peers": peers.description,
        "overall_percentile": peers.metrics["overall"].percentile,
        "gap": gap,
        "gap_band": next(b for b in definition.bands if b.id == result.band),
        "gap_points": result.widest_gap_points_lost,
        "gap_weight": round(result.weight(gap.id, gap.weight), 1),
        "moves": result.moves,
        "completed_at": response.completed_at,
        "references": definition.reference_points,
        "version": definition.version,
        # "I don't know" answers (issue 15): how many, and the dimensions left unscored.
        "unknowns": len(result.unknowns),
        "unscored": [definition.dimension(d).label for d in result.unscored],
        "low_confidence": result.low_confidence,
        "gate_unanswered": definition.ahead_gate.dimension_id in result.unscored,
    }
    return section, result_radar(rows, peers)


def _self_score(report: ReportData) -> None:
    score = organization_score_get(organization=report.organization)
    response = score.response if score else None
    if score is None or response is None:
        report.sections["score"] = {
            "missing": "No one in the organization has taken the self-score yet."
        }
        report.next_steps.append(
            "Take the 15-question self-score while signed in (about 5 minutes)."
        )
        return
    section, radar = self_score_section(response=response)
    gap, moves = section["gap"], section["moves"]
    section["whose"] = score.whose
    section["gap_candidates"] = candidates_closing_gap(organization=report.organization, gap=gap.id)
    report.sections["score"] = section
    report.data_dates["self-score"] = response.completed_at.date().isoformat()
    report.figures["radar"] = radar
    report.next_steps.append(
        f"Close the widest gap, {gap.label.lower()}: {moves[0].title.lower()}."
    )


def _workflow(report: ReportData) -> CandidateWorkflow | None:
    chosen = candidate_chosen_get(organization=report.organization)
    if chosen is None:
        report.sections["workflow"] = {"missing": "No first workflow is chosen yet."}
        report.next_steps.append(
            "Run the candidates through the 3-criteria filter and mark the first workflow."
        )
        return None
    workflow, result = chosen.candidate, chosen.result
    maps = {
        m.kind: map_view(m)
        for m in WorkflowMap.objects.filter(workflow=workflow).select_related("workflow")
    }
    current, future = maps.get(WorkflowMap.Kind.CURRENT), maps.get(WorkflowMap.Kind.FUTURE)
    report.sections["workflow"] = {
        "workflow": workflow,
        "filter": result,
        "current": current.analysis if current and current.steps else None,
        "future": future.analysis if future and future.steps else None,
        # The step tables: each step's actor, tool, share of runs and failure route.
        "current_steps": current.steps if current else [],
        "future_steps": future.steps if future else [],
        "comparison": comparison(current, future),
    }
    for kind, view in maps.items():
        if view.steps:
            # Print: at most four steps a part, so the text stays readable on a landscape page.
            parts = swimlane_parts(
                view.input, view.analysis, confirmed_break_order=view.break_order
            )
            for number, part in enumerate(parts, 1):
                report.figures[f"swimlane_{kind}_{number}"] = part
    return workflow


def _plan(report: ReportData, workflow: CandidateWorkflow | None) -> Plan | None:
    plan = plan_get(workflow=workflow) if workflow else None
    if plan is None:
        report.sections["plan"] = {"missing": "The 30-day plan has not been set."}
        if workflow:
            report.next_steps.append(
                "Set the 30-day plan's start date and put it in the team's calendars."
            )
        return None
    milestones = list(plan.milestones.all())
    reviews = list(Review.objects.filter(workflow=workflow))
    done = [m for m in milestones if m.done_at]
    upcoming = next((m for m in milestones if not m.done_at), None)
    report.sections["plan"] = {
        "plan": plan,
        "milestones": milestones,
        "done": len(done),
        "total": len(milestones),
        "next": upcoming,
        "reviews": reviews,
        "late": [m for m in milestones if not m.done_at and m.due_date < report.as_of],
    }
    open_review = next((r for r in reviews if not r.completed_at), None)
    if open_review:
        stage = open_review.get_stage_display().lower()
        report.next_steps.append(f"Hold the {stage} review due {open_review.due_date:%d %B %Y}.")
    return plan


def _review(report: ReportData, workflow: CandidateWorkflow | None) -> None:
    review = (
        Review.objects.filter(workflow=workflow, completed_at__isnull=False)
        .order_by("-stage")
        .first()
        if workflow
        else None
    )
    if review is None:
        report.sections["review"] = {
            "missing": "No review has been completed yet; its numbers appear here once frozen."
        }
        return
    snapshot = snapshot_read(review.frozen or {})
    report.sections["review"] = {"review": review, "snapshot": snapshot}
    report.sections["summary"] = executive_summary(
        snapshot, decision=review.get_decision_display(), stage_label=f"day-{review.stage}"
    )
    report.sections["methods"] = methods_appendix(snapshot)
    report.data_dates[f"day-{review.stage} review"] = snapshot.as_of
    for name, figure in snapshot.charts.items():
        report.figures[f"review_{name}"] = figure
    payback = snapshot.payback
    if payback and payback.is_projection and payback.projected_on:
        report.next_steps.append(
            f"Confirm payback: projected for {payback.projected_on}, not yet reached."
        )


def board_report_context(*, organization: Organization, as_of: date) -> ReportData:
    """Gather the report's sections (a fixed number of queries)."""
    report = ReportData(organization=organization, as_of=as_of)
    _self_score(report)
    workflow = _workflow(report)
    _plan(report, workflow)
    _review(report, workflow)
    return report

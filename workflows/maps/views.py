"""Views of the map editor.

The map page owns one fragment, ``map-body`` (steps, analysis, swimlane, comparison): every
step action re-renders it for htmx, or redirects back for a plain POST, so the editor works
with the keyboard and without JavaScript alike.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.confirm import confirmation_page, is_confirmed
from core.fragments import fragment, rows_version
from core.page_cache import cached_page
from core.scoping import OrgRequest

from ..access import workflow_endpoint
from ..candidates.services import candidate_hours_from_map
from ..models import CandidateWorkflow, Step, WorkflowMap
from . import services
from .forms import MapImportForm, StepForm, WorkflowMapForm
from .selectors import MapView, comparison, map_view, workflow_map_get
from .services import COPIED_SETTINGS

OTHER_KIND = {
    WorkflowMap.Kind.CURRENT: WorkflowMap.Kind.FUTURE,
    WorkflowMap.Kind.FUTURE: WorkflowMap.Kind.CURRENT,
}


def _saved_map_view(workflow: CandidateWorkflow, kind: str) -> MapView:
    """The analysed map of ``kind`` as stored (an empty one when it was never saved), for
    exports and the hours feed: no forms, no comparison, no other map."""
    stored = (
        WorkflowMap.objects.filter(workflow=workflow, kind=kind).select_related("workflow").first()
    )
    return map_view(
        stored or WorkflowMap(workflow=workflow, kind=kind), [] if stored is None else None
    )


def _page_url(workflow: CandidateWorkflow, kind: str) -> str:
    return reverse("workflows:map", args=[workflow.organization.slug, workflow.pk, kind])


def _map_context(
    request: OrgRequest,
    workflow: CandidateWorkflow,
    kind: str,
    *,
    edit_id: int | None = None,
    step_form: StepForm | None = None,
    add_form: StepForm | None = None,
    settings_form: WorkflowMapForm | None = None,
    import_form: MapImportForm | None = None,
    focus_add: bool = False,
    focus: str = "",
    saved: bool = False,
) -> dict[str, Any]:
    maps = {m.kind: m for m in WorkflowMap.objects.filter(workflow=workflow)}
    for stored in maps.values():
        stored.workflow = workflow  # the analysis input names the workflow: no query a map
    steps = list(Step.objects.filter(map__workflow=workflow).order_by("position", "pk"))
    views = {k: map_view(m, [s for s in steps if s.map_id == m.pk]) for k, m in maps.items()}
    this = maps.get(kind) or WorkflowMap(
        workflow=workflow, kind=kind, organization=workflow.organization
    )
    view = views.get(kind) or map_view(this, [])
    edit_step = next((s for s in view.steps if s.pk == edit_id), None)
    current_view = views.get(WorkflowMap.Kind.CURRENT)
    settings_form = settings_form or WorkflowMapForm(instance=this)
    add_form = add_form or StepForm(prefix="add")
    import_form = import_form or MapImportForm()
    return {
        "workflow": workflow,
        "kind": kind,
        "kind_label": WorkflowMap.Kind(kind).label,
        "other_kind": OTHER_KIND[WorkflowMap.Kind(kind)],
        "view": view,
        "base": _page_url(workflow, kind),
        "edit_step": edit_step,
        "step_form": step_form
        or (StepForm(instance=edit_step, prefix="edit") if edit_step else None),
        "add_form": add_form,
        "settings_form": settings_form,
        "import_form": import_form,
        # The three forms' fields as drawn, cached (core.fragments): the settings per
        # version of the map, the empty add and import forms once; never a bound form.
        "fragments": {
            "settings": fragment(rows_version(this), bound=settings_form.is_bound),
            "add": fragment("add", focus_add, bound=add_form.is_bound),
            "import": fragment("import", bound=import_form.is_bound),
        },
        "comparison": comparison(current_view, views.get(WorkflowMap.Kind.FUTURE)),
        "current_has_steps": bool(current_view and current_view.steps),
        "figure_json": view.figure,
        "focus_add": focus_add,
        # The DOM id app.js focuses once the page or the swapped map shows: what changed, or
        # the first field with an error, so neither the focus nor the view is lost.
        "focus": focus or ("id_edit-name" if edit_step and not step_form else ""),
        "saved": saved,
    }


def _first_error_id(form: Any) -> str:
    """The id of the first field with an error (or the form's first field)."""
    for field in form:
        if field.errors:
            return field.id_for_label or ""
    return next(iter(form)).id_for_label or ""


def _render(
    request: OrgRequest, workflow: CandidateWorkflow, kind: str, status: int = 200, **kwargs: Any
) -> HttpResponse:
    context = _map_context(request, workflow, kind, **kwargs)
    template = "workflows/workflow_map.html"
    if request.htmx:
        return render(request, f"{template}#map-body", context)
    return render(request, template, context, status=status)


def _done(
    request: OrgRequest,
    workflow: CandidateWorkflow,
    kind: str,
    anchor: str = "",
    *,
    focus: str = "",
    saved: bool = False,
) -> HttpResponse:
    if request.htmx:
        # After adding a step, focus returns to the empty name field for the next one;
        # otherwise to ``focus``, what the user just changed.
        return _render(
            request, workflow, kind, focus_add=anchor == "#add-step", focus=focus, saved=saved
        )
    return redirect(_page_url(workflow, kind) + anchor)


@cached_page
@require_GET
@workflow_endpoint
def map_page(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    """The map editor; ``?edit=<step id>`` opens that step's form, ``?step=<step id>`` (the
    edit form's Cancel) puts the focus back on that step's Edit link."""
    raw = request.GET.get("edit", "")
    back = request.GET.get("step", "")
    return _render(
        request,
        workflow,
        kind,
        edit_id=int(raw) if raw.isdigit() else None,
        focus=f"edit-link-{back}" if back.isdigit() else "",
    )


@require_POST
@workflow_endpoint
def map_settings(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    workflow_map = workflow_map_get(workflow=workflow, kind=kind)
    form = WorkflowMapForm(request.POST, instance=workflow_map)
    if not form.is_valid():
        return _render(
            request, workflow, kind, status=422, settings_form=form, focus=_first_error_id(form)
        )
    if form.has_changed():  # saving the defaults unchanged creates no map
        services.workflow_map_update(workflow_map=form.save(commit=False))
    return _done(request, workflow, kind, "#settings", focus="settings-save", saved=True)


@require_POST
@workflow_endpoint
def step_add(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    form = StepForm(request.POST, prefix="add")
    if not form.is_valid():
        return _render(
            request, workflow, kind, status=422, add_form=form, focus=_first_error_id(form)
        )
    services.step_add(
        workflow_map=services.workflow_map_get_or_create(workflow=workflow, kind=kind),
        step=form.save(commit=False),
    )
    return _done(request, workflow, kind, "#add-step")


def _step(workflow: CandidateWorkflow, kind: str, step_id: int) -> Step:
    return get_object_or_404(Step, pk=step_id, map__workflow=workflow, map__kind=kind)


@require_POST
@workflow_endpoint
def step_update(
    request: OrgRequest, workflow: CandidateWorkflow, kind: str, step_id: int
) -> HttpResponse:
    step = _step(workflow, kind, step_id)
    form = StepForm(request.POST, instance=step, prefix="edit")
    if not form.is_valid():
        return _render(
            request,
            workflow,
            kind,
            status=422,
            edit_id=step.pk,
            step_form=form,
            focus=_first_error_id(form),
        )
    services.step_update(step=form.save(commit=False))
    return _done(request, workflow, kind, f"#step-{step.pk}", focus=f"edit-link-{step.pk}")


@require_POST
@workflow_endpoint
def step_move(
    request: OrgRequest, workflow: CandidateWorkflow, kind: str, step_id: int
) -> HttpResponse:
    step = _step(workflow, kind, step_id)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.step_move(step=step, direction=direction)
    # Focus stays on the button pressed, now on the moved step; at the top or the bottom,
    # where that button is disabled, on the other one.
    order = list(Step.objects.filter(map=step.map).order_by("position", "pk").values_list("pk"))
    index = order.index((step.pk,))
    if (direction == "up" and index == 0) or (direction == "down" and index == len(order) - 1):
        direction = "down" if direction == "up" else "up"
    return _done(request, workflow, kind, f"#step-{step.pk}", focus=f"move-{direction}-{step.pk}")


@require_POST
@workflow_endpoint
def step_delete(
    request: OrgRequest, workflow: CandidateWorkflow, kind: str, step_id: int
) -> HttpResponse:
    step = _step(workflow, kind, step_id)
    if not is_confirmed(request):
        label = WorkflowMap.Kind(kind).label.lower()
        consequences = [
            f"Step {step.position} “{step.name}” leaves the {label} map, with its tool, owner, "
            "data contract, times and failure route.",
            "The steps after it move up one place.",
        ]
        if step.map.confirmed_break_step_id == step.pk:
            consequences.append("It is the team's confirmed break step: that choice is cleared.")
        return confirmation_page(
            request,
            title=f"Remove step {step.position}?",
            consequences=consequences,
            confirm_label="Remove the step",
            cancel_url=reverse("workflows:map", args=[request.organization.slug, workflow.pk, kind])
            + f"#step-{step.pk}",
        )
    services.step_delete(step=step)
    if not request.htmx:  # with htmx the map redraws in place without the step
        messages.success(request, f"Removed step “{step.name}”.")
    return _done(request, workflow, kind, "#steps", focus="steps-title")


@require_POST
@workflow_endpoint
def break_step(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    """Confirm the suggested break step, choose another, or clear the choice."""
    workflow_map = services.workflow_map_get_or_create(workflow=workflow, kind=kind)
    raw = request.POST.get("step", "")
    step = _step(workflow, kind, int(raw)) if raw.isdigit() else None
    services.break_step_confirm(workflow_map=workflow_map, step=step)
    return _done(request, workflow, kind, "#analysis", focus="break-step-choice")


@require_POST
@workflow_endpoint
def copy_current(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    """Start the future-state map as a copy of the current one (replacing its steps)."""
    if kind != WorkflowMap.Kind.FUTURE:
        return redirect(_page_url(workflow, kind))
    current = services.workflow_map_get_or_create(workflow=workflow, kind=WorkflowMap.Kind.CURRENT)
    source = map_view(current).input
    count = services.map_replace_steps(
        workflow_map=services.workflow_map_get_or_create(workflow=workflow, kind=kind),
        source=source,
        carries=COPIED_SETTINGS,
    )
    messages.success(request, f"Copied {count} steps from the current state. Now orchestrate them.")
    return _done(request, workflow, kind)


@require_POST
@workflow_endpoint
def use_hours(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    """Feed the current map's human hours per week into the filter's first criterion."""
    view = _saved_map_view(workflow, WorkflowMap.Kind.CURRENT)
    candidate_hours_from_map(candidate=workflow, hours_per_week=view.analysis.human_hours_per_week)
    messages.success(
        request,
        f"{workflow.name} now counts {view.analysis.human_hours_per_week} human hours a week.",
    )
    return redirect(_page_url(workflow, kind))

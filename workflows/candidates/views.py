"""Views of candidate workflows: the list through the 3-criteria filter, adding one, and
marking the first (second, third) workflow."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from benchmark.selectors import definition_get_current
from core.confirm import confirmation_page, is_confirmed
from core.page_cache import cached_page
from core.scoping import OrgRequest, org_view, scoped_get_or_404

from ..models import CandidateWorkflow
from . import services
from .forms import CandidateDimensionsForm, CandidateWorkflowForm
from .selectors import ORDINALS, candidate_choose_consequences, candidate_list
from .services import (
    candidate_choose,
    candidate_create,
    candidate_dimensions_set,
    candidate_update,
)


@cached_page
@require_http_methods(["GET", "POST"])
@org_view()
def candidates(request: OrgRequest) -> HttpResponse:
    """Candidate workflows through the 3-criteria filter; POST adds one."""
    form = CandidateWorkflowForm(request.POST or None)
    form.fields["name"].required = True  # a row added here has nothing else to name it by
    if request.method == "POST" and form.is_valid():
        candidate = candidate_create(
            organization=request.organization, candidate=form.save(commit=False)
        )
        messages.success(request, f"Added {candidate.name or 'the candidate'}.")
        return redirect("workflows:candidates", org_slug=request.organization.slug)
    rows = candidate_list(organization=request.organization)
    held = {r.candidate.portfolio_position: r.candidate for r in rows}
    positions = [(n, ORDINALS[n], held.get(n)) for n in ORDINALS]
    next_free = next((n for n in ORDINALS if n not in held), None)
    return render(
        request,
        "workflows/candidate_list.html",
        {
            "rows": rows,
            "form": form,
            "positions": positions,
            "next_free": next_free,
            "dimension_choices": _dimension_choices(),
        },
        status=422 if request.method == "POST" else 200,
    )


def _dimension_choices() -> list[tuple[str, str]]:
    return [(d.id, d.label) for d in definition_get_current().dimensions]


@require_POST
@org_view()
def dimensions(request: OrgRequest, workflow_id: int) -> HttpResponse:
    """Save the benchmark dimensions a candidate moves (the suggestion until edited)."""
    candidate = scoped_get_or_404(CandidateWorkflow.objects, request, pk=workflow_id)
    form = CandidateDimensionsForm(request.POST, choices=_dimension_choices())
    if not form.is_valid():
        raise BadRequest("Unknown dimension")
    if candidate_dimensions_set(candidate=candidate, dimensions=form.cleaned_data["dimensions"]):
        messages.success(request, f"Saved the dimensions “{candidate}” moves.")
    return redirect(
        reverse("workflows:candidates", args=[request.organization.slug])
        + f"#candidate-{candidate.pk}"
    )


@require_POST
@org_view()
def choose(request: OrgRequest, workflow_id: int) -> HttpResponse:
    """Mark a candidate as the first (or second...) workflow, or unchoose it."""
    candidate = scoped_get_or_404(CandidateWorkflow.objects, request, pk=workflow_id)
    raw = request.POST.get("position", "")
    if raw not in {"", "1", "2", "3"}:
        raise BadRequest("Unknown position")
    position = int(raw) if raw else None
    back = reverse("workflows:candidates", args=[request.organization.slug])
    consequences = candidate_choose_consequences(candidate=candidate, position=position)
    if consequences and not is_confirmed(request):
        ordinal = ORDINALS.get(position or 0, "")
        return confirmation_page(
            request,
            title=f"Make “{candidate}” your {ordinal} workflow?"
            if position
            else f"Unmark “{candidate}”?",
            consequences=consequences,
            confirm_label=f"Make it the {ordinal} workflow" if position else "Unmark it",
            cancel_url=back,
        )
    candidate_choose(candidate=candidate, position=position)
    if position:
        messages.success(request, f"“{candidate}” is now your {ORDINALS[position]} workflow.")
    else:
        messages.success(request, f"“{candidate}” left the portfolio; its map and data are kept.")
    return redirect(back)


@require_http_methods(["GET", "POST"])
@org_view()
def candidate_edit(request: OrgRequest, workflow_id: int) -> HttpResponse:
    """Edit a candidate's name and the figures the 3-criteria filter reads."""
    candidate = scoped_get_or_404(CandidateWorkflow.objects, request, pk=workflow_id)
    form = CandidateWorkflowForm(request.POST or None, instance=candidate)
    form.fields["name"].required = True
    if request.method == "POST" and form.is_valid():
        candidate_update(candidate=form.save(commit=False))
        messages.success(request, f"Saved {candidate.name}.")
        return redirect(
            reverse("workflows:candidates", args=[request.organization.slug])
            + f"#candidate-{candidate.pk}"
        )
    return render(
        request,
        "workflows/candidate_edit.html",
        {"candidate": candidate, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@org_view()
def candidate_delete(request: OrgRequest, workflow_id: int) -> HttpResponse:
    """Delete a candidate, after a confirmation page saying what goes with it."""
    candidate = scoped_get_or_404(CandidateWorkflow.objects, request, pk=workflow_id)
    back = reverse("workflows:candidates", args=[request.organization.slug])
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=f"Delete “{candidate}”?",
            consequences=services.candidate_delete_consequences(candidate=candidate),
            confirm_label="Delete the candidate",
            cancel_url=back + f"#candidate-{candidate.pk}",
        )
    name = str(candidate)
    services.candidate_delete(candidate=candidate)
    messages.success(request, f"Deleted “{name}”.")
    return redirect(back)

"""Views of the reviews: the page (live, or frozen once completed) and its CSV."""

from __future__ import annotations

import pandas as pd
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.confirm import confirmation_page, is_confirmed, is_going_back
from core.page_cache import cached_page
from core.scoping import OrgRequest

from ..access import workflow_endpoint
from ..data.imports import to_csv_safe
from ..models import CandidateWorkflow, Review, Step, WorkflowMap
from ..plans.selectors import plan_get
from .forms import ReviewCompleteForm
from .selectors import review_display
from .services import review_complete
from .snapshot import snapshot_rows


def _review(workflow: CandidateWorkflow, stage: int) -> Review:
    return get_object_or_404(Review, workflow=workflow, stage=stage)


@cached_page
@require_http_methods(["GET", "POST"])
@workflow_endpoint
def review_page(request: OrgRequest, workflow: CandidateWorkflow, stage: int) -> HttpResponse:
    """A review: its stage's metrics with warnings and charts; POST completes it, freezing
    the numbers, the decision and the notes."""
    plan = plan_get(workflow=workflow)
    if plan is None:
        messages.info(request, "Set the 30-day plan first: reviews are counted from go-live.")
        return redirect(
            "workflows:plan", org_slug=request.organization.slug, workflow_id=workflow.pk
        )
    review = _review(workflow, stage)
    form = ReviewCompleteForm(request.POST or None, instance=review)
    if request.method == "POST":
        if review.is_complete:
            messages.info(request, "This review was completed already; its numbers are frozen.")
            return redirect(
                "workflows:review",
                org_slug=request.organization.slug,
                workflow_id=workflow.pk,
                stage=stage,
            )
        if form.is_valid() and not is_confirmed(request):
            decision = form.cleaned_data["decision"]
            return confirmation_page(
                request,
                title=f"Complete the day-{review.stage} review?",
                consequences=[
                    "Its numbers, charts, decision "
                    f"({dict(Review.Decision.choices).get(decision, decision)}) "
                    "and notes are frozen as of today.",
                    "Data uploaded later will not change them; the board report shows "
                    "what was known today.",
                    "A completed review cannot be reopened.",
                ],
                confirm_label="Complete and freeze",
            )
        if form.is_valid() and not is_going_back(request):
            review_complete(
                review=review,
                plan=plan,
                decision=form.cleaned_data["decision"],
                notes=form.cleaned_data["notes"],
                now=timezone.now(),
            )
            messages.success(request, "Review completed. Its numbers are frozen as of today.")
            return redirect(
                "workflows:review",
                org_slug=request.organization.slug,
                workflow_id=workflow.pk,
                stage=stage,
            )
    snapshot = review_display(review=review, plan=plan, as_of=timezone.localdate())
    context = {
        "workflow": workflow,
        "plan": plan,
        "review": review,
        "reviews": Review.objects.filter(workflow=workflow).defer("frozen"),  # the tabs
        "snapshot": snapshot,
        "form": form,
        # A run log may name the step it stopped at by number: name it from the future map.
        "step_names": dict(
            Step.objects.filter(
                map__workflow=workflow, map__kind=WorkflowMap.Kind.FUTURE
            ).values_list("position", "name")
        ),
    }
    return render(
        request,
        "workflows/review_detail.html",
        context,
        status=422 if request.method == "POST" and not is_going_back(request) else 200,
    )


@require_GET
@workflow_endpoint
def review_csv(request: OrgRequest, workflow: CandidateWorkflow, stage: int) -> HttpResponse:
    """The review's numbers as CSV; cells that could run as formulas are neutralised."""
    plan = plan_get(workflow=workflow)
    if plan is None:
        raise Http404("No plan yet")
    review = _review(workflow, stage)
    snapshot = review_display(review=review, plan=plan, as_of=timezone.localdate())
    rows = snapshot_rows(snapshot.stored if snapshot else {})
    frame = pd.DataFrame(rows, columns=["section", "metric", "value"])
    response = HttpResponse(to_csv_safe(frame), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="workflow-{workflow.pk}-day-{stage}.csv"'
    )
    return response

"""Views of the 30-day plan, the reviews and the portfolio (data uploads: data_views)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.confirm import confirmation_page, is_confirmed, is_going_back
from core.links import site_host
from core.models import Membership
from core.scoping import OrgRequest, org_view

from .imports import to_csv_safe
from .models import CandidateWorkflow, Milestone, Plan, Review, Step
from .plan import CalendarItem, build_ics
from .plan_forms import PlanForm, PlanStartForm, ReviewCompleteForm
from .plan_services import milestone_mark, plan_create, plan_reschedule, review_complete
from .portfolio import portfolio_get
from .review_selectors import review_display, snapshot_rows
from .views import workflow_endpoint


def _plan_or_none(workflow: CandidateWorkflow) -> Plan | None:
    return Plan.objects.filter(workflow=workflow).first()


@require_http_methods(["GET", "POST"])
@workflow_endpoint
def plan_page(request: OrgRequest, workflow: CandidateWorkflow) -> HttpResponse:
    """The plan: start it from a date, then milestones with owners and done marks, the
    reviews, the build cost and the credit policy."""
    plan = _plan_or_none(workflow)
    if plan is None:
        # The start defaults to the next Monday: week 1 starts on a working week.
        today = timezone.localdate()
        next_monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
        form = PlanStartForm(request.POST or None, initial={"start_date": next_monday})
        if request.method == "POST" and form.is_valid():
            plan_create(
                workflow=workflow,
                start_date=form.cleaned_data["start_date"],
                timezone=form.cleaned_data["timezone"],
                owner=request.user,
            )
            messages.success(request, "The 30-day plan is set. Download it into your calendar.")
            return redirect(
                "workflows:plan", org_slug=request.organization.slug, workflow_id=workflow.pk
            )
        return render(
            request,
            "workflows/plan_start.html",
            {"workflow": workflow, "form": form},
            status=422 if request.method == "POST" else 200,
        )
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        dates = form.cleaned_data["start_date"], form.cleaned_data["go_live_date"]
        form.save()
        plan_reschedule(plan=plan, start_date=dates[0], go_live_date=dates[1])
        messages.success(request, "Plan saved.")
        return redirect(
            "workflows:plan", org_slug=request.organization.slug, workflow_id=workflow.pk
        )
    context = {
        "workflow": workflow,
        "plan": plan,
        "form": form,
        "milestones": plan.milestones.select_related("owner"),
        "reviews": Review.objects.filter(workflow=workflow).select_related("owner"),
        "members": Membership.objects.filter(organization=request.organization).select_related(
            "user"
        ),
        "today": timezone.localdate(),
    }
    return render(
        request,
        "workflows/plan_detail.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@workflow_endpoint
def milestone_update(
    request: OrgRequest, workflow: CandidateWorkflow, milestone_id: int
) -> HttpResponse:
    """Mark a milestone done or not done, or give it an owner (a member of the organization)."""
    milestone = get_object_or_404(Milestone, pk=milestone_id, plan__workflow=workflow)
    if "done" in request.POST:
        milestone_mark(milestone=milestone, done=request.POST["done"] == "1", now=timezone.now())
    if "owner" in request.POST:
        owner = Membership.objects.filter(
            organization=request.organization, user_id=request.POST["owner"] or None
        ).first()
        milestone.owner = owner.user if owner else None
        milestone.save(update_fields=["owner", "updated_at"])
    if request.htmx:
        return render(
            request,
            "workflows/_milestone_row.html",
            {
                "m": milestone,
                "workflow": workflow,
                "today": timezone.localdate(),
                "members": Membership.objects.filter(
                    organization=request.organization
                ).select_related("user"),
            },
        )
    return redirect("workflows:plan", org_slug=request.organization.slug, workflow_id=workflow.pk)


@require_GET
@workflow_endpoint
def plan_calendar(request: OrgRequest, workflow: CandidateWorkflow) -> HttpResponse:
    """The milestones and reviews as one .ics file (built with the icalendar library)."""
    plan = get_object_or_404(Plan, workflow=workflow)
    host = site_host()  # never the request's Host: the UIDs must not change with it
    items = [
        CalendarItem(
            f"milestone-{m.pk}@{host}", f"{workflow.name}: {m.title}", m.detail, m.due_date
        )
        for m in plan.milestones.all()
    ] + [
        CalendarItem(
            f"review-{r.pk}@{host}",
            f"{workflow.name}: {r.get_stage_display()} review",
            "Load the latest run log, events, opportunities and spend, then hold the review.",
            r.due_date,
        )
        for r in Review.objects.filter(workflow=workflow)
    ]
    body = build_ics(
        items, name=f"{workflow.name}: 30-day plan", tz=plan.timezone, as_of=timezone.now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workflow-{workflow.pk}-plan.ics"'
    return response


def _review(workflow: CandidateWorkflow, stage: int) -> Review:
    return get_object_or_404(Review, workflow=workflow, stage=stage)


@require_http_methods(["GET", "POST"])
@workflow_endpoint
def review_page(request: OrgRequest, workflow: CandidateWorkflow, stage: int) -> HttpResponse:
    """A review: its stage's metrics with warnings and charts; POST completes it, freezing
    the numbers, the decision and the notes."""
    plan = Plan.objects.filter(workflow=workflow).first()
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
                    f"({dict(form.fields['decision'].choices).get(decision, decision)}) "
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
        "reviews": Review.objects.filter(workflow=workflow),
        "s": snapshot,
        "form": form,
        # A run log may name the step it stopped at by number: name it from the future map.
        "step_names": dict(
            Step.objects.filter(map__workflow=workflow, map__kind="future").values_list(
                "position", "name"
            )
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
    plan = get_object_or_404(Plan, workflow=workflow)
    snapshot = (
        review_display(review=_review(workflow, stage), plan=plan, as_of=timezone.localdate()) or {}
    )
    frame = pd.DataFrame(snapshot_rows(snapshot), columns=["section", "metric", "value"])
    response = HttpResponse(to_csv_safe(frame), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="workflow-{workflow.pk}-day-{stage}.csv"'
    )
    return response


@require_GET
@org_view()
def portfolio(request: OrgRequest) -> HttpResponse:
    """Every chosen workflow: its stage, reusable components and cost per AI touch."""
    rows, chart = portfolio_get(organization=request.organization, as_of=timezone.localdate())
    return render(request, "workflows/portfolio.html", {"rows": rows, "chart": chart})

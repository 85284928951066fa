"""Views of the 30-day plan: start it, edit it, mark milestones, download its calendar."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fragments import fragment
from core.links import site_host
from core.page_cache import cached_page
from core.scoping import OrgRequest
from core.selectors import member_get, member_list

from ..access import workflow_endpoint
from ..models import CandidateWorkflow, Milestone, Review
from ..reviews.cfo_selectors import plan_baseline_get
from ..reviews.stored import baseline_read
from .forms import PlanForm, PlanStartForm
from .schedule import CalendarItem, build_ics
from .selectors import plan_form_parts, plan_get
from .services import milestone_mark, milestone_owner_set, plan_create, plan_update


@cached_page
@require_http_methods(["GET", "POST"])
@workflow_endpoint
def plan_page(request: OrgRequest, workflow: CandidateWorkflow) -> HttpResponse:
    """The plan: start it from a date, then milestones with owners and done marks, the
    reviews, the build cost and the credit policy."""
    plan = plan_get(workflow=workflow)
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
    plan_form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and plan_form.is_valid():
        plan_update(plan=plan_form.save(commit=False))
        messages.success(request, "Plan saved.")
        return redirect(
            "workflows:plan", org_slug=request.organization.slug, workflow_id=workflow.pk
        )
    context = {
        "workflow": workflow,
        "plan": plan,
        "form": plan_form,
        # The form's fields as drawn, per version of the plan and of the workflows it can
        # be compared with (core.fragments); never a form bound to a POST.
        "form_fragment": fragment(plan_form_parts(plan=plan), bound=plan_form.is_bound),
        "milestones": plan.milestones.select_related("owner"),
        # The list names each review's stage, due date and decision: its frozen snapshot
        # (tens of kB of JSON a review) stays unread.
        "reviews": Review.objects.filter(workflow=workflow).select_related("owner").defer("frozen"),
        "members": member_list(organization=request.organization),
        "today": timezone.localdate(),
        "baseline": baseline_read(plan_baseline_get(plan=plan, workflow=workflow)),
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
        member = member_get(organization=request.organization, user_id=request.POST["owner"])
        milestone_owner_set(milestone=milestone, owner=member.user if member else None)
    if request.htmx:
        return render(
            request,
            "workflows/_milestone_row.html",
            {
                "milestone": milestone,
                "workflow": workflow,
                "today": timezone.localdate(),
                "members": member_list(organization=request.organization),
            },
        )
    return redirect("workflows:plan", org_slug=request.organization.slug, workflow_id=workflow.pk)


@require_GET
@workflow_endpoint
def plan_calendar(request: OrgRequest, workflow: CandidateWorkflow) -> HttpResponse:
    """The milestones and reviews as one .ics file (built with the icalendar library)."""
    plan = plan_get(workflow=workflow)
    if plan is None:
        raise Http404("No plan yet")
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

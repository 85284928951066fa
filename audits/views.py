"""Views of the Revenue Audit around the intake: the organization's list, the consultant's
review and pipeline (the intake itself: ``intake_views``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.http import SignedInRequest
from core.links import absolute_url
from core.models import Membership, Organization
from core.page_cache import cached_page
from core.scoping import OrgRequest, org_view, scoped_get_or_404

from . import lifecycle
from .forms import ReplyForm, StatusForm, TierOverrideForm
from .models import Audit, Tier
from .selectors import audit_analysis, audit_reply_defaults, audit_rows, consultant_audit_list
from .services import audit_create, audit_reply_send, audit_status_set, audit_tier_override

CONSULTANT = [Membership.Role.CONSULTANT]


@require_http_methods(["GET", "POST"])
@org_view()
def audit_list(request: OrgRequest) -> HttpResponse:
    """The organization's audits; POST starts a new draft."""
    if request.method == "POST":
        audit = audit_create(organization=request.organization, created_by=request.user)
        return redirect("audits:intake", org_slug=request.organization.slug, audit_id=audit.pk)
    audits = Audit.objects.for_organization(request.organization)
    return render(request, "audits/audit_list.html", {"audits": audits})


@require_http_methods(["GET", "POST"])
@org_view(roles=CONSULTANT)
def review(request: OrgRequest, audit_id: int) -> HttpResponse:
    """The consultant's review: qualification with reasons, override, status and the reply."""
    audit = scoped_get_or_404(Audit.objects.select_related("organization"), request, pk=audit_id)
    tools, candidates = audit_rows(audit)
    analysis = audit_analysis(audit, tools, candidates)
    action = request.POST.get("action", "")
    override_form = TierOverrideForm(
        request.POST if action == "override" else None,
        initial={"tier": audit.tier_override, "reason": audit.override_reason},
    )
    status_form = StatusForm(request.POST if action == "status" else None, current=audit.status)
    reply_form = ReplyForm(
        request.POST if action == "reply" else None,
        tier=audit.tier,
        initial=audit_reply_defaults(audit, analysis),
    )
    if action == "override" and override_form.is_valid():
        audit_tier_override(
            audit=audit,
            tier=override_form.cleaned_data["tier"],
            reason=override_form.cleaned_data["reason"],
        )
        messages.success(request, "Tier saved.")
        return redirect("audits:review", org_slug=request.organization.slug, audit_id=audit.pk)
    if action == "status" and status_form.is_valid():
        audit_status_set(audit=audit, status=status_form.cleaned_data["status"])  # form allows it
        messages.success(request, "Status saved.")
        return redirect("audits:review", org_slug=request.organization.slug, audit_id=audit.pk)
    if action == "reply" and reply_form.is_valid():
        try:
            audit_reply_send(
                audit=audit, replied_by=request.user, now=timezone.now(), **reply_form.cleaned_data
            )
        except lifecycle.TransitionError as error:
            reply_form.add_error(None, str(error))
        else:
            messages.success(request, f"Reply sent to {reply_form.cleaned_data['recipient']}.")
            return redirect("audits:review", org_slug=request.organization.slug, audit_id=audit.pk)
    if request.method == "POST" and action not in ("override", "status", "reply"):
        raise BadRequest("Unknown action")
    context = {
        "audit": audit,
        "analysis": analysis,
        "computed_label": Tier(analysis.qualification.tier).label if analysis.qualification else "",
        "tools": tools,
        "override_form": override_form,
        "status_form": status_form,
        "reply_form": reply_form,
        "can_reply": audit.status in lifecycle.REPLY_FROM,
        "share_url": absolute_url(reverse("audits:link-intake", args=[audit.share_token])),
    }
    return render(
        request,
        "audits/audit_review.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@cached_page
@require_GET
@login_required
def pipeline(request: SignedInRequest) -> HttpResponse:
    """The consultant's audits across assigned clients, overdue first; filterable."""
    status = request.GET.get("status", "")
    tier = request.GET.get("tier", "")
    rows = consultant_audit_list(user=request.user, now=timezone.now(), status=status, tier=tier)
    clients = Membership.objects.filter(
        user=request.user,
        role=Membership.Role.CONSULTANT,
        organization__kind=Organization.Kind.CLIENT,  # not their own firm
    ).select_related("organization")
    return render(
        request,
        "audits/audit_pipeline.html",
        {
            "rows": rows,
            "clients": clients,
            "status": status if status in Audit.Status.values else "",
            "tier": tier if tier in Tier.values else "",
            "statuses": Audit.Status.choices,
            "tiers": Tier.choices,
        },
    )

"""The firm's own pages (its consultants only): link settings and the Leads list with its
CSV; and "Request a Revenue Audit" on a result page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from benchmark.models import Response
from benchmark.selectors import response_get
from benchmark.views import result_context
from core.links import absolute_url
from core.models import Membership, Organization
from core.scoping import OrgRequest, org_view
from core.selectors import firm_default
from core.throttle import rate_limit

from .forms import AuditRequestForm, FirmSettingsForm, LeadFilterForm, audit_consent_text
from .selectors import (
    branding_get,
    firm_profile_get,
    lead_firm_get,
    lead_list,
    lead_rows,
    leads_csv,
)
from .services import audit_request_send, firm_settings_save

CONSULTANT = [Membership.Role.CONSULTANT]
FIRM_ONLY = [Organization.Kind.FIRM]
LEADS_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
@org_view(roles=CONSULTANT, kinds=FIRM_ONLY)  # a client organization answers 404
def firm_settings(request: OrgRequest) -> HttpResponse:
    """The firm's name, logo, accent colour, embedding origins and consent text."""
    firm = request.organization
    profile = firm_profile_get(firm=firm)
    initial = {
        "name": firm.name,
        "accent_color": profile.accent_color,
        "embed_origins": "\n".join(profile.embed_origins),
        "consent_text": profile.consent_text,
    }
    form = FirmSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        firm_settings_save(firm=firm, **form.cleaned_data)
        messages.success(request, "Link settings saved.")
        return redirect("firms:settings", org_slug=firm.slug)
    link_path = reverse("firms:link", args=[firm.slug])
    embed_path = reverse("firms:embed", args=[firm.slug])
    context = {
        "form": form,
        "branding": branding_get(firm=firm),
        "link_url": absolute_url(link_path),
        "embed_url": absolute_url(embed_path),
        "active": "firm",
    }
    return render(
        request,
        "firms/firm_settings.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@org_view(roles=CONSULTANT, kinds=FIRM_ONLY)  # a client organization answers 404
def leads(request: OrgRequest) -> HttpResponse:
    """The firm's leads, newest first, filterable; 50 a page (two queries a page)."""
    form = LeadFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(
        lead_list(firm=request.organization, filters=filters), LEADS_PER_PAGE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": lead_rows(page.object_list),
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(filters),
        "active": "leads",
    }
    return render(request, "firms/lead_list.html", context)


@require_GET
@org_view(roles=CONSULTANT, kinds=FIRM_ONLY)  # a client organization answers 404
def leads_export(request: OrgRequest) -> HttpResponse:
    """The filtered leads as CSV (formula cells neutralised)."""
    filters = LeadFilterForm(request.GET or None).filters()
    rows = lead_rows(lead_list(firm=request.organization, filters=filters).iterator(2000))
    reply = HttpResponse(leads_csv(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y-%m-%d")
    reply["Content-Disposition"] = (
        f'attachment; filename="leads-{request.organization.slug}-{stamp}.csv"'
    )
    return reply


@require_POST
@rate_limit(group="audit-request", rate_setting="RATELIMIT_AUDIT_REQUEST")
def audit_request(request: HttpRequest, public_id: str) -> HttpResponse:
    """ "Request a Revenue Audit" from a result: a draft audit in the pipeline of the firm
    whose link the result came through (the default firm otherwise), and an emailed
    invitation to its intake, confirmed at the top of the result page. Errors re-show the
    result page with everything entered, at the form (its action ends ``#audit-request``)."""
    try:
        response = response_get(public_id=public_id)
    except Response.DoesNotExist:
        raise Http404("No such result") from None
    form = AuditRequestForm(request.POST)
    if form.is_valid():
        # Created on first use, so only by a request that goes through.
        firm = lead_firm_get(response=response) or firm_default()
        _request, created = audit_request_send(
            firm=firm,
            response=response,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            company=form.cleaned_data["company"],
            consent_text=audit_consent_text(firm.name),  # the text the page showed
        )
        messages.success(
            request,
            f"Thank you. We emailed your intake link to {form.cleaned_data['email']}."
            if created
            else f"We sent your intake link to {form.cleaned_data['email']} again.",
        )
        # To the top of the page, where the confirmation shows: the form's own fragment
        # (kept on the way back with its errors) would carry over to a redirect without one.
        return redirect(reverse("benchmark:result", args=[response.public_id]) + "#main")
    context = result_context(response, audit_form=form)
    context["result_url"] = absolute_url(reverse("benchmark:result", args=[response.public_id]))
    return render(request, "benchmark/response_result.html", context, status=422)

"""Reads of the firm's link: its branding, its leads as rows, and their CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from audits.models import Audit
from benchmark.models import BusinessModel, Response, RevenueBand, TeamSize
from benchmark.selectors import definition_get_current
from core.models import Organization

from .models import AuditRequest, FirmProfile, Lead

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def firm_profile_get(*, firm: Organization) -> FirmProfile:
    """The firm's link settings (no query when loaded with ``select_related``); an unsaved
    default profile when it has none yet."""
    try:
        return firm.firm_profile
    except FirmProfile.DoesNotExist:
        return FirmProfile(firm=firm)


def default_firm_name() -> str:
    """The name of the firm that owns the plain self-score, as ``firm_default()`` has it or
    will create it (one query, and no write on a page that only reads)."""
    stored = (
        Organization.objects.filter(slug=settings.DEFAULT_FIRM_SLUG, kind=Organization.Kind.FIRM)
        .values_list("name", flat=True)
        .first()
    )
    return stored or settings.DEFAULT_FIRM_NAME


@dataclass(frozen=True)
class Branding:
    """What a firm's pages show: ``name``, ``accent`` (``#rrggbb`` or ""), whether it has
    a logo, and the origins that may frame its embed path."""

    slug: str
    name: str
    accent: str
    has_logo: bool
    origins: tuple[str, ...]
    consent: str


def branding_get(*, firm: Organization) -> Branding:
    """The firm's branding (one query)."""
    profile = firm_profile_get(firm=firm)
    return Branding(
        slug=firm.slug,
        name=firm.name,
        accent=profile.accent_color,
        has_logo=bool(profile.logo_content_type),
        origins=tuple(profile.embed_origins),
        consent=profile.consent_for(firm.name),
    )


def lead_firm_get(*, response: Response) -> Organization | None:
    """The firm whose link ``response`` was taken through, or None (no query when the
    response came from ``benchmark.selectors.response_get``)."""
    try:
        return response.lead.firm
    except Lead.DoesNotExist:
        return None


def lead_list(*, firm: Organization, filters: Mapping[str, Any]) -> QuerySet[Lead]:
    """The firm's leads, newest first, with their responses (one query when evaluated).

    ``filters`` (cleaned ``LeadFilterForm`` values): ``tier``, ``revenue_band``,
    ``business_model``, ``team_size``, ``date_from`` / ``date_to`` (inclusive, on the
    lead's UTC date) and ``has_email`` (``"yes"`` / ``"no"``).
    """
    # The Revenue Audit the lead requested from its result, if any (its latest request):
    # the requester's work email, given with the audit form's own consent, and the audit.
    requests = AuditRequest.objects.filter(
        firm=OuterRef("firm"), response=OuterRef("response")
    ).order_by("-created_at")
    leads = (
        Lead.objects.filter(firm=firm)
        .select_related("response")
        .annotate(
            audit_email=Subquery(requests.values("email")[:1]),
            audit_consent=Subquery(requests.values("consent_text")[:1]),
            audit_pk=Subquery(requests.values("audit_id")[:1]),
            audit_org_slug=Subquery(requests.values("audit__organization__slug")[:1]),
        )
    )
    for name in ("tier", "revenue_band", "business_model", "team_size"):
        if filters.get(name):
            leads = leads.filter(**{f"response__{name}": filters[name]})
    if filters.get("date_from"):
        leads = leads.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        leads = leads.filter(created_at__date__lte=filters["date_to"])
    # An email is the self-score's (with its consent) or the audit request's (with its own).
    has_email = ~Q(email="") | Q(audit_email__isnull=False)
    if filters.get("has_email") == "yes":
        leads = leads.filter(has_email)
    elif filters.get("has_email") == "no":
        leads = leads.exclude(has_email)
    return leads


@dataclass(frozen=True)
class LeadRow:
    """One line of the Leads list and its CSV."""

    created_at: datetime
    score: float
    tier: str
    tier_label: str
    widest_gap: str
    segment: str
    email: str
    consent_text: str
    result_path: str
    # The Revenue Audit requested from this result ("" and None when none was).
    audit_path: str = ""


def segment_label(response: Response) -> str:
    """``"$5M to $20M · B2B · 6 to 15 marketers"``."""
    return " · ".join(
        [
            RevenueBand(response.revenue_band).label,
            BusinessModel(response.business_model).label,
            TeamSize(response.team_size).label + " marketers",
        ]
    )


def lead_rows(leads: Iterable[Lead]) -> list[LeadRow]:
    """``leads`` (with responses loaded) as rows; no query of its own."""
    labels = {d.id: d.label for d in definition_get_current().dimensions}
    return [
        LeadRow(
            created_at=lead.created_at,
            score=float(lead.response.overall_score),
            tier=lead.response.tier,
            tier_label=Response.Tier(lead.response.tier).label,
            widest_gap=labels.get(lead.widest_gap, lead.widest_gap),
            segment=segment_label(lead.response),
            # The email given with the self-score's consent, else the one the audit request
            # gave with its own consent.
            email=lead.email or (getattr(lead, "audit_email", None) or ""),
            consent_text=lead.consent_text
            if lead.email
            else (getattr(lead, "audit_consent", None) or ""),
            result_path=f"/results/{lead.response.public_id}/",
            audit_path=_audit_path(lead),
        )
        for lead in leads
    ]


def _audit_path(lead: Lead) -> str:
    audit_pk, org_slug = getattr(lead, "audit_pk", None), getattr(lead, "audit_org_slug", None)
    if audit_pk is None or org_slug is None:
        return ""
    return reverse("audits:review", kwargs={"org_slug": org_slug, "audit_id": audit_pk})


def _cell(value: str) -> str:
    """A text cell a spreadsheet shows as text: ``'`` before a leading ``= + - @``, tab
    or carriage return (OWASP "CSV Injection")."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


CSV_HEADER = (
    "date",
    "score",
    "tier",
    "widest_gap",
    "segment",
    "email",
    "consent_text",
    "audit_requested",
)


def leads_csv(rows: Iterable[LeadRow]) -> str:
    """The rows as CSV (the csv module's quoting, ``\\r\\n`` line ends), text cells
    neutralised against formula injection; the score stays a number."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                row.created_at.strftime("%Y-%m-%d %H:%M"),
                f"{row.score:.1f}",
                _cell(row.tier_label),
                _cell(row.widest_gap),
                _cell(row.segment),
                _cell(row.email),
                _cell(row.consent_text),
                "yes" if row.audit_path else "no",
            ]
        )
    return out.getvalue()


def audit_request_open(*, firm: Organization, email: str) -> AuditRequest | None:
    """The firm's request from ``email`` (any case) whose audit is still a draft: nobody
    has submitted through the emailed link, so the address is unverified."""
    return (
        AuditRequest.objects.filter(
            firm=firm, email__iexact=email, audit__status=Audit.Status.DRAFT
        )
        .select_related("audit")
        .order_by("created_at")
        .first()
    )

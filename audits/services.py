"""Writes for the Revenue Audit: create, autosave, rows, submit, review and reply."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from benchmark.models import Response
from core.links import absolute_url
from core.models import Organization
from workflows.models import CandidateWorkflow

from .models import REPLY_WINDOW, Audit, AuditTool, Tier
from .selectors import ASSESSMENT_QUESTION_IDS, audit_analysis, intake_sections


class AuditIncompleteError(Exception):
    """Submission refused: ``missing`` lists the sections still to fill in."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__("Still to fill in: " + ", ".join(missing))


class AuditLockedError(Exception):
    """The audit can no longer be edited by this person."""


def audit_create(*, organization: Organization, created_by: User | None) -> Audit:
    """A draft audit, its assessment pre-filled from the organization's latest self-score."""
    latest = Response.objects.for_organization(organization).order_by("-completed_at").first()
    assessment = {}
    if latest is not None:
        levels = latest.result.get("levels", {})
        assessment = {q: levels[q] for q in ASSESSMENT_QUESTION_IDS if q in levels}
    return Audit.objects.create(
        organization=organization, created_by=created_by, assessment=assessment
    )


def audit_tool_add(*, audit: Audit) -> AuditTool:
    return AuditTool.objects.create(audit=audit)


def audit_candidate_add(*, audit: Audit) -> CandidateWorkflow:
    return CandidateWorkflow.objects.create(audit=audit, organization=audit.organization)


@transaction.atomic
def audit_submit(*, audit: Audit, now: datetime) -> Audit:
    """Submit the intake: start the 24-hour reply clock and record the computed tier.

    Raises:
        AuditIncompleteError: naming every section not yet filled in.
        AuditLockedError: when it was submitted already.
    """
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != Audit.Status.DRAFT:
        raise AuditLockedError("This audit was submitted already.")
    tools = list(audit.tools.all())
    candidates = list(audit.candidates.all())
    missing = [s.label for s in intake_sections(audit, tools, candidates) if not s.done]
    if missing:
        raise AuditIncompleteError(missing)
    analysis = audit_analysis(audit, tools, candidates)
    audit.status = Audit.Status.SUBMITTED
    audit.submitted_at = now
    audit.reply_due_at = now + REPLY_WINDOW
    audit.computed_tier = analysis.qualification.tier if analysis.qualification else ""
    audit.save()
    return audit


def audit_tier_override(*, audit: Audit, tier: str, reason: str) -> None:
    """Set (or clear, with ``tier=""``) the reviewer's tier; a set tier needs a reason."""
    if tier and tier not in Tier.values:
        raise ValueError(f"unknown tier {tier!r}")
    audit.tier_override = tier
    audit.override_reason = reason.strip() if tier else ""
    audit.save(update_fields=["tier_override", "override_reason", "updated_at"])


def audit_status_set(*, audit: Audit, status: str) -> None:
    if status not in Audit.Status.values or status == Audit.Status.DRAFT:
        raise ValueError(f"cannot move an audit to {status!r}")
    audit.status = status
    audit.save(update_fields=["status", "updated_at"])


@transaction.atomic
def audit_reply_send(
    *,
    audit: Audit,
    replied_by: User,
    named_gap: str,
    gap_value_usd: Decimal,
    recommendation: str,
    booking_link: str,
    now: datetime,
) -> None:
    """Store the reply, mark the audit replied, and email it to whoever started the intake."""
    audit.named_gap = named_gap
    audit.gap_value_usd = gap_value_usd
    audit.recommendation = recommendation
    audit.booking_link = booking_link
    audit.replied_at = now
    audit.replied_by = replied_by
    audit.status = Audit.Status.REPLIED
    audit.save()
    recipient = audit.created_by.email if audit.created_by and audit.created_by.email else ""
    if not recipient:
        return
    url = absolute_url(reverse("audits:intake", args=[audit.organization.slug, audit.pk]))
    lines = [
        f"Your Revenue Audit for {audit.organization.name}: {audit.get_tier_display()}.",
        "",
        f"The gap: {named_gap}, worth about ${gap_value_usd:,.0f} a year.",
        "",
        recommendation,
    ]
    if booking_link:
        lines += ["", f"Book the next conversation: {booking_link}"]
    lines += ["", f"The audit: {url}"]
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Your Revenue Audit: {named_gap}",
            message="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient],
        )
    )

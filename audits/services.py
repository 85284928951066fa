"""Writes for the Revenue Audit: create, autosave, rows, submit, review and reply."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from benchmark.models import Response
from benchmark.scoring import UNKNOWN
from benchmark.selectors import organization_score_get
from core.links import absolute_url
from core.mail import mail_send
from core.models import Organization
from webhooks.models import EventType
from webhooks.services import webhook_event_emit_for
from workflows.models import CandidateWorkflow

from . import lifecycle
from .models import REPLY_WINDOW, Audit, AuditTool, Tier
from .selectors import (
    ASSESSMENT_QUESTION_IDS,
    audit_analysis,
    intake_sections,
)


class AuditIncompleteError(Exception):
    """Submission refused: ``missing`` lists the sections still to fill in."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__("Still to fill in: " + ", ".join(missing))


class AuditLockedError(Exception):
    """The audit can no longer be edited by this person."""


def audit_assessment_from(response: Response) -> dict[str, int | str]:
    """The intake's assessment answers (question id -> level 0..3, or ``UNKNOWN``) a
    self-score pre-fills: those of ``ASSESSMENT_QUESTION_IDS`` the response answered. An
    "I don't know" carries over as an answer: the client said so, it is not a blank."""
    scored = response.scored
    known: dict[str, int | str] = {**dict.fromkeys(scored.unknowns, UNKNOWN), **scored.levels}
    return {q: known[q] for q in ASSESSMENT_QUESTION_IDS if q in known}


def audit_create(*, organization: Organization, created_by: User | None) -> Audit:
    """A draft audit, its assessment pre-filled from the organization's latest self-score."""
    score = organization_score_get(organization=organization)
    assessment = audit_assessment_from(score.response) if score is not None else {}
    contact = {}
    if (
        created_by is not None
        and not created_by.memberships.filter(organization=organization, role="consultant").exists()
    ):
        # A client starting their own intake is its contact until they name another.
        contact = {"contact_email": created_by.email, "contact_name": created_by.get_full_name()}
    return Audit.objects.create(
        organization=organization, created_by=created_by, assessment=assessment, **contact
    )


def audit_create_from_response(
    *, organization: Organization, response: Response, contact_name: str, contact_email: str
) -> Audit:
    """A draft audit of a new client that came from a self-score result ("Request a
    Revenue Audit"): the assessment and the revenue band pre-filled from ``response``, the
    requester as its contact. The 24-hour clock starts only when it is submitted."""
    return Audit.objects.create(
        organization=organization,
        assessment=audit_assessment_from(response),
        revenue_band=response.revenue_band,
        contact_name=contact_name,
        contact_email=contact_email,
    )


def audit_update(*, audit: Audit, values: Mapping[str, Any]) -> list[str]:
    """Save the intake fields in ``values`` (each one validated already); returns their
    names. Fields not named keep what is stored."""
    return _row_update(audit, values)


def audit_assessment_save(*, audit: Audit, answers: Mapping[str, Any]) -> None:
    """Merge ``answers`` (question id -> level) into the audit's assessment."""
    if not answers:
        return
    audit.assessment = {**audit.assessment, **answers}
    audit.save(update_fields=["assessment", "updated_at"])


def audit_tool_update(*, tool: AuditTool, values: Mapping[str, Any]) -> list[str]:
    """Save the fields of an inventory row in ``values`` (validated already)."""
    return _row_update(tool, values)


def audit_candidate_update(*, candidate: CandidateWorkflow, values: Mapping[str, Any]) -> list[str]:
    """Save the fields of an intake's candidate row in ``values`` (validated already)."""
    return _row_update(candidate, values)


def _row_update(row: Audit | AuditTool | CandidateWorkflow, values: Mapping[str, Any]) -> list[str]:
    names = list(values)
    for name in names:
        setattr(row, name, values[name])
    if names:
        row.save(update_fields=[*names, "updated_at"])
    return names


def audit_tool_delete(*, tool: AuditTool) -> None:
    """Remove a row of the AI tool inventory."""
    tool.delete()


def audit_candidate_delete(*, candidate: CandidateWorkflow) -> None:
    """Remove a candidate workflow the intake added (with its maps and data)."""
    candidate.delete()


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
    try:
        new_status = lifecycle.next_status(audit.status, lifecycle.Action.SUBMIT)
    except lifecycle.TransitionError as error:
        raise AuditLockedError("This audit was submitted already.") from error
    tools = list(audit.tools.all())
    candidates = list(audit.candidates.all())
    missing = [s.label for s in intake_sections(audit, tools, candidates) if not s.done]
    if missing:
        raise AuditIncompleteError(missing)
    analysis = audit_analysis(audit, tools, candidates)
    audit.status = new_status
    audit.submitted_at = now
    audit.reply_due_at = now + REPLY_WINDOW
    audit.computed_tier = analysis.qualification.tier if analysis.qualification else ""
    audit.save()
    webhook_event_emit_for(
        organization=audit.organization,
        event_type=EventType.AUDIT_SUBMITTED,
        data={
            "audit_id": audit.pk,
            "submitted_at": now,
            "reply_due_at": audit.reply_due_at,
            "tier": audit.computed_tier,
            "url": absolute_url(reverse("audits:review", args=[audit.organization.slug, audit.pk])),
        },
    )
    return audit


def audit_tier_override(*, audit: Audit, tier: str, reason: str) -> None:
    """Set (or clear, with ``tier=""``) the reviewer's tier; a set tier needs a reason."""
    if tier and tier not in Tier.values:
        raise ValueError(f"unknown tier {tier!r}")
    audit.tier_override = tier
    audit.override_reason = reason.strip() if tier else ""
    audit.save(update_fields=["tier_override", "override_reason", "updated_at"])


def audit_status_set(*, audit: Audit, status: str) -> None:
    """Move the audit to ``status`` through the consultant's status form.

    Raises:
        lifecycle.TransitionError: when ``audits.lifecycle`` does not allow the move.
    """
    new = lifecycle.next_status(audit.status, lifecycle.Action.SET_STATUS, status)
    if new == audit.status:
        return
    audit.status = new
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
    recipient: str,
    now: datetime,
) -> None:
    """Store the reply, mark the audit replied, and email it to ``recipient``, the client's
    contact (``Audit.contact_email`` by default; see ``audit_reply_recipient``).

    The address is stored as ``replied_to`` so the page can say who received it.

    Raises:
        lifecycle.TransitionError: when the audit is a draft, won or lost.
    """
    new_status = lifecycle.next_status(audit.status, lifecycle.Action.REPLY)
    audit.named_gap = named_gap
    audit.gap_value_usd = gap_value_usd
    audit.recommendation = recommendation
    audit.booking_link = booking_link
    audit.replied_at = now
    audit.replied_by = replied_by
    audit.replied_to = recipient
    audit.status = new_status
    audit.save()
    webhook_event_emit_for(
        organization=audit.organization,
        event_type=EventType.AUDIT_REPLIED,
        data={
            "audit_id": audit.pk,
            "replied_at": now,
            "tier": audit.tier,
            "named_gap": named_gap,
            "gap_value_usd": gap_value_usd,
            "url": absolute_url(reverse("audits:review", args=[audit.organization.slug, audit.pk])),
        },
    )
    # The share link opens the audit without an account, which a contact may not have.
    url = absolute_url(reverse("audits:link-intake", args=[audit.share_token]))
    context = {
        "organization": audit.organization.name,
        "tier": audit.get_tier_display(),
        "named_gap": named_gap,
        "gap_value_usd": f"{gap_value_usd:,.0f}",
        "recommendation": recommendation,
        "booking_link": booking_link,
        "url": url,
    }
    transaction.on_commit(
        lambda: mail_send(
            to=[recipient],
            subject=f"Your Revenue Audit: {named_gap}",
            template="audit_reply",
            context=context,
        )
    )

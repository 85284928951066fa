"""Writes of the firm's link: its settings, the self-score that makes a lead, and the
audit a result requests.

The firm's CRM hears of a self-score through its link by two webhook events,
``response.completed`` and ``lead.created`` (``lead_created`` and ``response_completed``
below), emitted inside the transaction that makes the lead: they take the firm's next
sequence numbers only if the lead is stored, and their deliveries leave after the commit.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.text import slugify

from audits.services import audit_create_from_response
from benchmark.models import Response
from benchmark.peer_cache import peer_histograms_committed
from benchmark.scoring import Answer
from benchmark.services import response_email_save, response_submit
from core.links import absolute_url
from core.mail import mail_send
from core.models import Membership, Organization
from webhooks.models import EventType
from webhooks.services import webhook_event_emit

from .models import AuditRequest, FirmProfile, Lead
from .selectors import audit_request_open, firm_profile_get, segment_label
from .tokens import SelfScoreState

logger = logging.getLogger(__name__)


def firm_settings_save(
    *,
    firm: Organization,
    name: str,
    logo: tuple[bytes, str] | None,
    remove_logo: bool,
    accent_color: str,
    embed_origins: list[str],
    consent_text: str,
) -> FirmProfile:
    """Save the firm's name and link settings (every value validated by
    ``FirmSettingsForm``). ``logo`` is ``(bytes, content type)`` to replace the logo, None
    to keep it; ``remove_logo`` drops it."""
    if firm.name != name:
        firm.name = name
        firm.save(update_fields=["name", "updated_at"])
    profile = firm_profile_get(firm=firm)
    if logo is not None:
        profile.logo, profile.logo_content_type = logo
    elif remove_logo:
        profile.logo, profile.logo_content_type = b"", ""
    profile.accent_color = accent_color
    profile.embed_origins = embed_origins
    profile.consent_text = consent_text
    profile.save()
    return profile


def lead_event_data(lead: Lead) -> dict[str, Any]:
    """What the firm's CRM hears of a lead: score (0..100), tier id, widest gap (dimension
    id), segment, source, the result's URL, and the email only when given with consent."""
    response = lead.response
    data: dict[str, Any] = {
        "lead_id": lead.pk,
        "response_id": str(response.public_id),
        "score": float(response.overall_score),
        "tier": response.tier,
        "widest_gap": lead.widest_gap,
        "segment": segment_label(response),
        "source": lead.source,
        "completed_at": response.completed_at.isoformat(),
        "result_url": absolute_url(f"/results/{response.public_id}/"),
    }
    if lead.email:
        data["email"] = lead.email
    return data


def lead_created(lead: Lead) -> None:
    """Emit ``lead.created`` to ``lead.firm``: a self-score through its link made a lead.
    Call it inside the transaction that made the lead."""
    webhook_event_emit(
        firm=lead.firm, event_type=EventType.LEAD_CREATED, data=lead_event_data(lead)
    )


def response_completed(lead: Lead) -> None:
    """Emit ``response.completed`` to ``lead.firm``: a self-score through its link was
    completed and scored. Call it inside the transaction that made the lead."""
    webhook_event_emit(
        firm=lead.firm, event_type=EventType.RESPONSE_COMPLETED, data=lead_event_data(lead)
    )


def lead_create(
    *,
    firm: Organization,
    response: Response,
    nonce: str,
    source: str,
    email: str,
    consent_text: str,
    at: datetime,
) -> Lead:
    """Make ``response`` a lead of ``firm``. ``email`` (may be empty) was given with
    consent to ``consent_text`` at ``at``; without an email no consent is stored.

    Raises:
        IntegrityError: ``nonce`` or ``response`` has a lead already.
    """
    return Lead.objects.create(
        firm=firm,
        response=response,
        nonce=nonce,
        source=source,
        widest_gap=response.scored.widest_gap,
        email=email,
        consent_text=consent_text if email else "",
        consented_at=at if email else None,
    )


def firm_selfscore_submit(
    *,
    firm: Organization,
    state: SelfScoreState,
    answers: Mapping[str, Answer],
    email: str,
    source: str,
    completed_at: datetime,
) -> Response:
    """Score and store the self-score taken through ``firm``'s link, and make it the
    firm's lead. ``email`` (may be empty) was given with consent to ``state.consent``, the
    text shown; the result link is emailed to it after commit.

    Idempotent by ``state.nonce``: a replayed final POST answers with the response the
    first one made.

    Raises:
        AnswerError: an answer is missing or out of range (nothing is stored).
    """
    existing = Lead.objects.filter(nonce=state.nonce).select_related("response").first()
    if existing is not None:
        return existing.response
    try:
        with transaction.atomic():
            response = response_submit(
                profile=state.profile, answers=answers, completed_at=completed_at
            )
            lead = lead_create(
                firm=firm,
                response=response,
                nonce=state.nonce,
                source=source,
                email=email,
                consent_text=state.consent,
                at=completed_at,
            )
            if email:
                response_email_save(response=response, email=email)
            response_completed(lead)
            lead_created(lead)
    except IntegrityError:
        # The same run submitted twice at once: the other request stored it.
        return Lead.objects.select_related("response").get(nonce=state.nonce).response
    peer_histograms_committed()  # the result pages' cached peers, now the submit committed
    return response


def _client_slug(company: str) -> str:
    base = slugify(company)[:60].strip("-") or "client"
    return f"{base}-{secrets.token_hex(3)}"


def _invitation_send(request: AuditRequest) -> None:
    url = absolute_url(reverse("audits:link-intake", args=[request.audit.share_token]))
    context = {"name": request.name, "firm": request.firm.name, "company": request.company}
    transaction.on_commit(
        lambda: mail_send(
            to=[request.email],
            subject=f"Your Revenue Audit intake with {request.firm.name}",
            template="audit_request",
            context={**context, "url": url},
        )
    )


@transaction.atomic
def audit_request_send(
    *,
    firm: Organization,
    response: Response,
    name: str,
    email: str,
    company: str,
    consent_text: str,
) -> tuple[AuditRequest, bool]:
    """ "Request a Revenue Audit" from ``response``'s result page: returns the request and
    whether it is new.

    New: a client organization ``company`` in ``firm``'s pipeline (the firm's consultants
    are its consultants), a draft audit with the assessment pre-filled from the result and
    the requester as contact, and an emailed invitation to the intake's share link. The
    24-hour clock starts when the intake is submitted (``audits.services.audit_submit``).

    Repeated: a request from the same email (any case) to the same firm whose audit is
    still a draft makes nothing new; the invitation is sent again to that address.
    """
    # One request at a time per firm: two sent at once from one address make one audit.
    Organization.objects.select_for_update().filter(pk=firm.pk).first()
    existing = audit_request_open(firm=firm, email=email)
    if existing is not None:
        AuditRequest.objects.filter(pk=existing.pk).update(
            invitations_sent=existing.invitations_sent + 1
        )
        _invitation_send(existing)
        return existing, False
    client = Organization.objects.create(
        name=company, slug=_client_slug(company), kind=Organization.Kind.CLIENT, firm=firm
    )
    consultants = Membership.objects.filter(
        organization=firm, role=Membership.Role.CONSULTANT
    ).values_list("user_id", flat=True)
    Membership.objects.bulk_create(
        [
            Membership(user_id=user_id, organization=client, role=Membership.Role.CONSULTANT)
            for user_id in consultants
        ]
    )
    audit = audit_create_from_response(
        organization=client, response=response, contact_name=name, contact_email=email
    )
    request = AuditRequest.objects.create(
        firm=firm,
        response=response,
        audit=audit,
        name=name,
        email=email,
        company=company,
        consent_text=consent_text,
    )
    _invitation_send(request)
    return request, True

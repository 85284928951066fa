"""Writes for organizations, memberships and invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from .links import absolute_url
from .mail import mail_send
from .models import Invitation, Membership, Organization

INVITATION_LIFETIME = timedelta(days=7)


class InvitationError(Exception):
    """An invitation link that cannot be used; ``reason`` says why in words for the page."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, organization: Organization, email: str, role: str, invited_by: User, now: datetime
) -> tuple[Invitation, str]:
    """Create an invitation valid for 7 days and email its link; returns it and the token.

    The token (256 random bits) is only in the email; the database keeps its SHA-256.
    """
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email.strip().lower(),
        role=role,
        token_hash=_token_hash(token),
        invited_by=invited_by,
        expires_at=now + INVITATION_LIFETIME,
    )
    url = absolute_url(reverse("core:invitation-accept", args=[token]))
    context = {
        "inviter": invited_by.get_full_name() or invited_by.email,
        "organization": organization.name,
        "role": Membership.Role(role).label.lower(),
        "url": url,
    }
    transaction.on_commit(
        lambda: mail_send(
            to=[invitation.email],
            subject=f"You are invited to {organization.name} on the Maturity Benchmark",
            template="invitation",
            context=context,
        )
    )
    return invitation, token


def invitation_get(*, token: str, now: datetime) -> Invitation:
    """The usable invitation behind ``token``.

    Raises:
        InvitationError: unknown token, already used, or expired.
    """
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationError("This invitation link is not valid.")
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used. Sign in instead.")
    if invitation.expires_at <= now:
        raise InvitationError(
            "This invitation has expired. Ask whoever invited you to send a new one."
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None, now: datetime, password: str = "", full_name: str = ""
) -> Membership:
    """Use the invitation: add the membership for ``user``, or create the user first when
    ``user`` is None (with ``password``). Works once: the row is locked while accepting.

    Raises:
        InvitationError: unknown, used or expired token, or ``user`` signed in with another
            email than the invitation's.
    """
    invitation = invitation_get(token=token, now=now)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used. Sign in instead.")
    if user is None:
        if User.objects.filter(username=invitation.email).exists():
            raise InvitationError(
                "An account with this email exists. Sign in, then open the link again."
            )
        first, _, last = full_name.strip().partition(" ")
        user = User.objects.create_user(
            username=invitation.email,
            email=invitation.email,
            password=password,
            first_name=first[:150],
            last_name=last[:150],
        )
    elif user.email.lower() != invitation.email:
        raise InvitationError(
            f"This invitation is for another email address. You are signed in as {user.email}."
        )
    membership, _ = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return membership

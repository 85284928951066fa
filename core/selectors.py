"""Reads shared by the apps: an organization's members, and the consulting firms."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from .models import Membership, Organization


def member_list(*, organization: Organization) -> QuerySet[Membership]:
    """The organization's memberships with their users (one query)."""
    return Membership.objects.filter(organization=organization).select_related("user")


def member_get(*, organization: Organization, user_id: str) -> Membership | None:
    """The organization's membership of the user with id ``user_id`` (None if none)."""
    if not user_id:
        return None
    return Membership.objects.filter(organization=organization, user_id=user_id).first()


def firm_default() -> Organization:
    """The consulting firm named by ``settings.DEFAULT_FIRM_SLUG``, created on first use.

    It owns the plain public self-score and every client that came without a firm's link.

    Raises:
        ValueError: an organization with that slug exists but is not a firm.
    """
    firm, _ = Organization.objects.get_or_create(
        slug=settings.DEFAULT_FIRM_SLUG,
        defaults={"name": settings.DEFAULT_FIRM_NAME, "kind": Organization.Kind.FIRM},
    )
    if not firm.is_firm:
        raise ValueError(f"DEFAULT_FIRM_SLUG {firm.slug!r} names a client, not a firm")
    return firm


def firm_get(*, slug: str) -> Organization | None:
    """The consulting firm with ``slug``, or None if there is no firm by that slug."""
    return Organization.objects.filter(slug=slug, kind=Organization.Kind.FIRM).first()

"""Reads shared by the apps: an organization's members."""

from __future__ import annotations

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

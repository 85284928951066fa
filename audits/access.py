"""Who opens an audit's intake and how: members through ``org_view`` (the one scoping
mechanism), clients through the audit's share link. Both get an ``IntakeAccess``; whether
it may still edit is ``audits.lifecycle``'s rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.scoping import OrgRequest, org_view, scoped_get_or_404
from core.throttle import rate_limit

from . import lifecycle
from .models import Audit


@dataclass(frozen=True)
class IntakeAccess:
    """Who opened the intake and how: ``base_url`` ends with a slash, endpoints append."""

    audit: Audit
    base_url: str
    is_consultant: bool
    via_link: bool

    @property
    def can_edit(self) -> bool:
        return lifecycle.can_edit(self.audit.status, is_consultant=self.is_consultant)


IntakeView = Callable[..., HttpResponseBase]


def org_intake(view: IntakeView) -> IntakeView:
    """Serve ``view`` to members of the audit's organization (404 for anyone else)."""

    @org_view()
    @wraps(view)
    def wrapped(request: OrgRequest, audit_id: int, **kwargs: Any) -> HttpResponseBase:
        audit = scoped_get_or_404(
            Audit.objects.select_related("organization"), request, pk=audit_id
        )
        access = IntakeAccess(
            audit=audit,
            base_url=reverse("audits:intake", args=[audit.organization.slug, audit.pk]),
            is_consultant=request.membership.is_consultant,
            via_link=False,
        )
        return view(request, access, **kwargs)

    return wrapped


def link_intake(view: IntakeView) -> IntakeView:
    """Serve ``view`` to whoever holds the audit's share link (the token is the credential).
    Its writes (each autosaved field, each row added) are limited per client address."""

    @rate_limit(group="share-link-write", rate_setting="RATELIMIT_SHARE_LINK_WRITES")
    @wraps(view)
    def wrapped(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponseBase:
        audit = get_object_or_404(Audit.objects.select_related("organization"), share_token=token)
        access = IntakeAccess(
            audit=audit,
            base_url=reverse("audits:link-intake", args=[token]),
            is_consultant=False,
            via_link=True,
        )
        return view(request, access, **kwargs)

    return wrapped


def require_editable(access: IntakeAccess) -> None:
    """Refuse a write to an intake its opener may no longer edit."""
    if not access.can_edit:
        raise PermissionDenied("This audit was submitted; it can no longer be edited here.")

"""The firm's pages: a decorator that admits the firm's consultants only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http.response import HttpResponseBase

from core.models import Membership, Organization
from core.scoping import OrgRequest


def firm_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorate a view taking ``firm_slug``: require sign-in and a membership in that firm,
    set ``request.organization`` (the firm) and ``request.membership``, like
    ``core.scoping.org_view`` does for ``org_slug``.

    Raises:
        Http404: no firm by that slug holds a membership of the user (a client organization
            by that slug answers the same, never confirming it exists).
        PermissionDenied: the membership is not a consultant's.
    """

    @wraps(view)
    @login_required
    def wrapped(request: OrgRequest, firm_slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        membership = (
            Membership.objects.select_related("organization")
            .filter(
                user=request.user,
                organization__slug=firm_slug,
                organization__kind=Organization.Kind.FIRM,
            )
            .first()
        )
        if membership is None:
            raise Http404("No such firm")
        if membership.role != Membership.Role.CONSULTANT:
            raise PermissionDenied("Only the firm's consultants manage its webhooks.")
        request.organization = membership.organization
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapped

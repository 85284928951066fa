"""Organization scoping: the one mechanism every view that serves org-owned data uses.

``org_view`` resolves the organization from the URL's ``org_slug`` through the signed-in
user's memberships. A user without a membership gets 404 (never 403: the organization's
existence is not confirmed). Views then read objects through ``OrgScopedQuerySet`` filters
on ``request.organization``, so another organization's object id answers 404 too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Protocol, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from .http import SignedInRequest
from .models import Membership, Organization

_M = TypeVar("_M", bound=models.Model)
_M_co = TypeVar("_M_co", bound=models.Model, covariant=True)


class OrgScopedQuerySet(models.QuerySet[_M]):
    """QuerySet of a model with an ``organization`` foreign key."""

    def for_organization(self, organization: Organization) -> OrgScopedQuerySet[_M]:
        return self.filter(organization=organization)


class OrgRequest(SignedInRequest):
    """A request that went through ``org_view``: signed in, with its organization."""

    organization: Organization
    membership: Membership


CLIENT_ONLY = (Organization.Kind.CLIENT,)


def org_view(
    *, roles: Iterable[str] | None = None, kinds: Iterable[str] | None = CLIENT_ONLY
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Decorate a view taking ``org_slug``: require sign-in, load the membership, set
    ``request.organization`` and ``request.membership``.

    ``kinds``: the organization kinds the view serves; client pages by default (a firm has
    no dashboard, audits, workflows or board report of its own), ``None`` for both.

    Raises:
        Http404: the user has no membership in that organization, or it is of another kind
            (the same answer, so the kind is not confirmed either).
        PermissionDenied: the membership's role is not in ``roles`` (when given).
    """
    allowed = frozenset(roles) if roles is not None else None
    kind_filter = {"organization__kind__in": list(kinds)} if kinds is not None else {}

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        @login_required
        def wrapped(
            request: OrgRequest, org_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            membership = (
                Membership.objects.select_related("organization")
                .filter(user=request.user, organization__slug=org_slug, **kind_filter)
                .first()
            )
            if membership is None:
                raise Http404("No such organization")
            if allowed is not None and membership.role not in allowed:
                raise PermissionDenied("Your role cannot do this here.")
            request.organization = membership.organization
            request.membership = membership
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class OrgScoped(Protocol[_M_co]):
    """An ``OrgScopedQuerySet`` or a manager made from one."""

    def for_organization(self, organization: Organization) -> models.QuerySet[_M_co]: ...


def scoped_get_or_404(queryset: OrgScoped[_M], request: OrgRequest, **lookup: Any) -> _M:
    """The object matching ``lookup`` within the request's organization, else 404."""
    return get_object_or_404(queryset.for_organization(request.organization), **lookup)

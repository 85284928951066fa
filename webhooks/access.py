"""The firm's webhook pages: the one scoping decorator (``core.scoping.org_view``), for the
firm's consultants only."""

from __future__ import annotations

from core.models import Membership, Organization
from core.scoping import org_view

#: Decorate a view taking ``org_slug`` that only a consultant of that firm may use: a client
#: organization, or a firm the user is not in, answers 404; another role answers 403.
firm_view = org_view(roles=[Membership.Role.CONSULTANT], kinds=[Organization.Kind.FIRM])

import re
from types import SimpleNamespace

import pytest

from core.models import Membership, Organization
from firms.models import FirmProfile
from tests.factories import MembershipFactory, OrganizationFactory

PROFILE = {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}
TOKEN = re.compile(r'name="state" value="([^"]+)"')


@pytest.fixture
def firm(db):
    """A firm with one consultant, an accent colour and one embedding origin."""
    org = OrganizationFactory(name="Harbor Advisory", slug="harbor", kind=Organization.Kind.FIRM)
    consultant = MembershipFactory(organization=org, role=Membership.Role.CONSULTANT)
    FirmProfile.objects.create(
        firm=org, accent_color="#7a1f5c", embed_origins=["https://www.harbor.example"]
    )
    return SimpleNamespace(org=org, consultant=consultant)


def token_of(reply) -> str:
    found = TOKEN.search(reply.content.decode())
    assert found, reply.content.decode()[:2000]
    return found.group(1)


def take_selfscore(
    client, path, *, level="2", counts=("5", "5"), finish=None, before_finish=lambda page: None
):
    """Walk a firm's self-score at ``path`` (link or embed) with the test client; returns
    the final reply (a redirect to the result) and the token the last step carried."""
    reply = client.post(path, PROFILE)
    assert reply.status_code == 200, reply.status_code
    reply = client.post(path, {"state": token_of(reply), "paid": counts[0], "daily": counts[1]})
    for _ in range(2, 16):
        reply = client.post(path, {"state": token_of(reply), "answer": level})
        assert reply.status_code == 200
    token = token_of(reply)
    before_finish(reply.content.decode())
    return client.post(path, {"state": token, **(finish or {})}), token

import pytest

from core.models import Membership, Organization
from tests.factories import MembershipFactory, OrganizationFactory
from tests.webhooks.receiver import Receiver


@pytest.fixture
def firm(db):
    return OrganizationFactory(name="Morgan & Partners", kind=Organization.Kind.FIRM)


@pytest.fixture
def consultant(firm):
    return MembershipFactory(
        organization=firm, role=Membership.Role.CONSULTANT, user__email="casey@morgan.example"
    )


@pytest.fixture
def receiver():
    r = Receiver()
    r.start()
    yield r
    r.stop()


@pytest.fixture
def endpoint(firm, receiver):
    """An endpoint of ``firm`` subscribed to every event, pointing at ``receiver``, whose
    secret the receiver verifies with."""
    from webhooks.models import EventType
    from webhooks.services import webhook_endpoint_create

    endpoint = webhook_endpoint_create(
        firm=firm, url=receiver.url, description="CRM", event_types=EventType.values
    )
    receiver.secret = endpoint.secret
    return endpoint

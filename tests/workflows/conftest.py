"""Fixtures the workflow tests share; a module's own ``workflow`` fixture overrides this."""

import pytest

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow


@pytest.fixture
def workflow(client):
    """A candidate workflow of a client admin's organization, the admin signed in."""
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(member.user)
    return CandidateWorkflow.objects.create(
        organization=member.organization, name="Inbound follow-up"
    )

"""Candidates can be edited and deleted from the Workflows page; deleting asks first."""

import pytest

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, Step, WorkflowMap

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    membership = MembershipFactory(role=Membership.Role.MEMBER)
    client.force_login(membership.user)
    return membership


@pytest.fixture
def candidate(member):
    return CandidateWorkflow.objects.create(
        organization=member.organization, name="Lead routing", hours_per_week=3
    )


def base(candidate):
    return f"/orgs/{candidate.organization.slug}/workflows/{candidate.pk}/"


def test_the_workflows_page_links_to_edit_and_delete(client, candidate):
    page = client.get(f"/orgs/{candidate.organization.slug}/workflows/").content.decode()
    assert f'href="{base(candidate)}edit/"' in page
    assert f'action="{base(candidate)}delete/"' in page


def test_it_edits_a_candidate(client, candidate):
    page = client.get(base(candidate) + "edit/").content.decode()
    assert 'value="Lead routing"' in page
    reply = client.post(
        base(candidate) + "edit/",
        {"name": "Lead routing v2", "hours_per_week": "8", "degrees_from_revenue": "1"},
    )
    assert reply.status_code == 302 and reply["Location"].endswith(f"#candidate-{candidate.pk}")
    candidate.refresh_from_db()
    assert (candidate.name, candidate.hours_per_week) == ("Lead routing v2", 8)


def test_it_refuses_a_blank_name_and_focuses_it(client, candidate):
    reply = client.post(base(candidate) + "edit/", {"name": ""})
    assert reply.status_code == 422
    assert 'data-focus="id_name"' in reply.content.decode()
    candidate.refresh_from_db()
    assert candidate.name == "Lead routing"


def test_delete_asks_first_and_names_what_goes(client, candidate):
    current = WorkflowMap.objects.create(
        organization=candidate.organization, workflow=candidate, kind="current"
    )
    Step.objects.create(map=current, position=1, name="Look up")
    asked = client.post(base(candidate) + "delete/").content.decode()
    assert "Delete “Lead routing”?" in asked and "1 step." in asked
    assert CandidateWorkflow.objects.filter(pk=candidate.pk).exists()


def test_delete_confirmed_removes_it_and_its_maps(client, candidate):
    WorkflowMap.objects.create(
        organization=candidate.organization, workflow=candidate, kind="current"
    )
    reply = client.post(base(candidate) + "delete/", {"confirmed": "1"}, follow=True)
    assert "Deleted “Lead routing”." in reply.content.decode()
    assert not CandidateWorkflow.objects.filter(pk=candidate.pk).exists()
    assert not WorkflowMap.objects.filter(workflow_id=candidate.pk).exists()


def test_it_rejects_a_get_on_delete(client, candidate):
    assert client.get(base(candidate) + "delete/").status_code == 405

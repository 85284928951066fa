"""The swimlane figure is built once per map version, not per request (issue 13, goal 2)."""

import pytest

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.maps import charts
from workflows.models import CandidateWorkflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def workflow(client):
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(member.user)
    return CandidateWorkflow.objects.create(organization=member.organization, name="Lead routing")


@pytest.fixture
def builds(monkeypatch):
    """The swimlanes actually built, by map name and step count."""
    built = []
    real = charts.swimlane_figure

    def counting(data, analysis, **kwargs):
        built.append(len(data.steps))
        return real(data, analysis, **kwargs)

    monkeypatch.setattr(charts, "swimlane_figure", counting)
    return built


def page(workflow):
    return f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/map/current/"


def add_step(client, workflow, name):
    client.post(
        page(workflow) + "steps/add/",
        {
            "add-name": name,
            "add-actor": "human",
            "add-tool": "HubSpot",
            "add-team": "Marketing",
            "add-process_minutes": "5",
            "add-wait_minutes": "0",
            "add-failure_route": "queue",
        },
    )


def test_loading_the_map_again_builds_no_swimlane(client, workflow, builds):
    add_step(client, workflow, "Look up")
    client.get(page(workflow))
    built = len(builds)
    again = client.get(page(workflow)).content.decode()
    assert len(builds) == built
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in again and "Look up" in again


def test_an_edit_makes_a_new_version_that_is_built_once(client, workflow, builds):
    add_step(client, workflow, "Look up")
    client.get(page(workflow))
    add_step(client, workflow, "Reply")
    builds.clear()
    page_after = client.get(page(workflow)).content.decode()
    client.get(page(workflow))
    assert builds == [2]
    assert "Reply" in page_after

"""The plan form's fields are drawn once per version of the plan and of the workflows it
can be compared with (issue 13, ``core.fragments``): a load after an edit shows it, and a
POST's typed values and errors are never kept."""

from datetime import date

import pytest

from workflows.models import CandidateWorkflow, Plan
from workflows.plans.services import plan_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(workflow):
    return plan_create(workflow=workflow, start_date=date(2026, 12, 1), timezone="UTC", owner=None)


def page_of(client, plan):
    url = f"/orgs/{plan.workflow.organization.slug}/workflows/{plan.workflow_id}/plan/"
    reply = client.get(url)
    assert reply.status_code == 200
    return reply.content.decode()


def test_a_plan_changed_behind_the_forms_back_shows_on_the_next_load(client, plan):
    assert 'name="timezone" value="Europe/Berlin"' not in page_of(client, plan)
    Plan.objects.filter(pk=plan.pk).update(timezone="Europe/Berlin", build_cost_usd=12345)
    page = page_of(client, plan)
    assert 'name="timezone" value="Europe/Berlin"' in page and 'value="12345' in page


def test_a_renamed_comparison_workflow_shows_on_the_next_load(client, plan):
    other = CandidateWorkflow.objects.create(
        organization=plan.workflow.organization, name="Webinar follow-up"
    )
    assert "Webinar follow-up" in page_of(client, plan)
    CandidateWorkflow.objects.filter(pk=other.pk).update(name="Renewal nudges")
    page = page_of(client, plan)
    assert "Renewal nudges" in page and "Webinar follow-up" not in page


def test_typed_values_and_errors_of_a_post_are_not_kept(client, plan):
    page_of(client, plan)
    url = f"/orgs/{plan.workflow.organization.slug}/workflows/{plan.workflow_id}/plan/"
    refused = client.post(url, {"start_date": "2026-12-01", "timezone": "Mars/Olympus"})
    assert refused.status_code == 422 and 'value="Mars/Olympus"' in refused.content.decode()
    page = page_of(client, plan)
    assert "Mars/Olympus" not in page and "field-error" not in page

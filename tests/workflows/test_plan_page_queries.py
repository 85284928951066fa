"""The plan page answers with a fixed number of queries (issue 13): more members,
milestone owners and stored run data add none, and a frozen baseline reads no run data."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, Milestone, Plan, RunDay
from workflows.plans.services import plan_create

pytestmark = pytest.mark.django_db

# Session, user, membership, workflow, plan, milestones, members, reviews, the form's
# comparison workflows, and the four kinds of stored review data while the baseline is live;
# the form's fields are a cached fragment keyed on the comparison workflows, so a first load
# reads them twice (for the key, then for the select) and a cached one once.
MAX_QUERIES = 14


@pytest.fixture
def plan(client):
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(member.user)
    workflow = CandidateWorkflow.objects.create(
        organization=member.organization, name="Inbound follow-up"
    )
    return plan_create(
        workflow=workflow, start_date=date(2026, 12, 1), timezone="UTC", owner=member.user
    )


def plan_url(plan):
    return f"/orgs/{plan.workflow.organization.slug}/workflows/{plan.workflow_id}/plan/"


def queries_of(client, plan):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(plan_url(plan))
    assert page.status_code == 200
    return [q["sql"] for q in queries.captured_queries], page.content.decode()


def test_more_members_owners_and_run_days_add_no_query(client, plan, django_assert_max_num_queries):
    few, _ = queries_of(client, plan)
    assert len(few) <= MAX_QUERIES
    organization = plan.workflow.organization
    members = [MembershipFactory(organization=organization) for _ in range(6)]
    for milestone, member in zip(Milestone.objects.filter(plan=plan), members, strict=False):
        milestone.owner = member.user
        milestone.save()
    RunDay.objects.bulk_create(
        RunDay(
            workflow=plan.workflow,
            day=plan.start_date - timedelta(days=d),
            runs=20,
            ai_steps=40,
            steps_total=60,
            steps_succeeded=58,
        )
        for d in range(1, 40)
    )
    CandidateWorkflow.objects.bulk_create(
        CandidateWorkflow(organization=organization, name=f"Other {i}") for i in range(5)
    )
    with django_assert_max_num_queries(len(few)):
        _, page = queries_of(client, plan)
    assert members[0].user.email in page or members[0].user.get_full_name() in page
    assert "Other 4" in page  # the comparison choices were all drawn


def test_a_frozen_baseline_reads_no_run_data(client, plan):
    live, _ = queries_of(client, plan)
    assert any("workflows_runday" in sql for sql in live)
    Plan.objects.filter(pk=plan.pk).update(
        baseline={"weeks": 4, "runs_per_week": 100.0}, baseline_frozen_at=timezone.now()
    )
    frozen, page = queries_of(client, plan)
    assert not any("workflows_runday" in sql for sql in frozen)
    assert len(frozen) == len(live) - 4
    assert "frozen" in page.lower()

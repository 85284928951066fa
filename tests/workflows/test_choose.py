"""Marking a candidate as the first workflow never silently replaces the live one."""

import io

import pytest
from django.core.management import call_command

from core.models import Membership
from workflows.models import CandidateWorkflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def vp(client):
    call_command("load_demo", responses=30, stdout=io.StringIO())
    membership = Membership.objects.get(user__email="vp@demo.example")
    client.force_login(membership.user)
    return membership


def choose_url(candidate):
    return f"/orgs/{candidate.organization.slug}/workflows/{candidate.pk}/choose/"


def test_mark_on_a_failing_candidate_asks_before_replacing_the_live_workflow(client, vp):
    live = CandidateWorkflow.objects.get(organization=vp.organization, portfolio_position=1)
    other = CandidateWorkflow.objects.filter(
        organization=vp.organization, portfolio_position=None
    ).first()
    other.hours_per_week = 2  # fails criterion 1
    other.save()
    asked = client.post(choose_url(other), {"position": "1"}).content.decode()
    assert f"“{live.name}” stops being your first workflow" in asked
    assert "completed review" in asked and "a 30-day plan" in asked
    assert "fails the 3-criteria filter" in asked
    live.refresh_from_db()
    assert live.portfolio_position == 1  # nothing changed before the confirmation

    done = client.post(choose_url(other), {"position": "1", "confirmed": "1"}, follow=True)
    live.refresh_from_db()
    other.refresh_from_db()
    assert (live.portfolio_position, other.portfolio_position) == (None, 1)
    assert f"“{other.name}” is now your first workflow." in done.content.decode()


def test_the_mark_menu_starts_on_the_next_free_position(client, vp):
    page = client.get(f"/orgs/{vp.organization.slug}/workflows/").content.decode()
    assert '<option value="1">as first workflow (replaces Inbound' in page
    # The demo's second workflow is chosen already.
    assert '<option value="3" selected>as third workflow</option>' in page


def test_mark_on_a_free_position_needs_no_confirmation(client, vp):
    other = CandidateWorkflow.objects.filter(
        organization=vp.organization, portfolio_position=None
    ).first()
    other.hours_per_week, other.ai_can_automate_step, other.degrees_from_revenue = 10, True, 1
    other.save()  # passes the filter
    client.post(choose_url(other), {"position": "3"})
    other.refresh_from_db()
    assert other.portfolio_position == 3

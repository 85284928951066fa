"""Candidates carry the benchmark dimensions they move; the widest gap names them."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Membership
from reports.assembly import board_report_context
from workflows.models import CandidateWorkflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def vp(client):
    call_command("load_demo", responses=30, stdout=io.StringIO())
    membership = Membership.objects.get(user__email="vp@demo.example")
    client.force_login(membership.user)
    return membership


def test_a_candidate_shows_its_suggested_dimensions_and_saves_the_teams_choice(client, vp):
    inbound = CandidateWorkflow.objects.get(
        organization=vp.organization, name="Inbound demo-request follow-up"
    )
    page = client.get(f"/orgs/{vp.organization.slug}/workflows/").content.decode()
    assert "Moves: Workflow orchestration, Revenue measurement" in page
    assert "(suggested)" in page
    url = f"/orgs/{vp.organization.slug}/workflows/{inbound.pk}/dimensions/"
    client.post(url, {"dimensions": ["orchestration", "measurement"]})
    inbound.refresh_from_db()
    assert inbound.dimensions == []  # confirming the suggestion keeps following it
    client.post(url, {"dimensions": ["orchestration", "reporting"]})
    inbound.refresh_from_db()
    assert inbound.dimensions == ["orchestration", "reporting"]
    assert client.post(url, {"dimensions": ["no-such"]}).status_code == 400


def test_the_widest_gap_names_the_candidates_that_would_close_it(client, vp):
    report = board_report_context(organization=vp.organization, as_of=timezone.localdate())
    gap = report.sections["score"]["gap"]
    closing = [r.candidate for r in report.sections["score"]["gap_candidates"]]
    assert all(gap.id in c.moves_dimensions for c in closing)
    page = client.get(f"/orgs/{vp.organization.slug}/").content.decode()
    assert f"The widest gap: {gap.label}" in page
    other = CandidateWorkflow.objects.filter(organization=vp.organization).first()
    other.dimensions = [gap.id]
    other.save()
    page = client.get(f"/orgs/{vp.organization.slug}/").content.decode()
    assert "Candidate workflows that would close it" in page and other.name in page

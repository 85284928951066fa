"""The portfolio: chosen workflows, their stage, components and cost per AI touch."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Membership
from workflows.models import CandidateWorkflow

pytestmark = pytest.mark.django_db


def test_the_demo_portfolio_shows_the_live_workflow_and_its_components(client):
    call_command("load_demo", responses=30, stdout=io.StringIO())
    vp = Membership.objects.get(user__email="vp@demo.example")
    client.force_login(vp.user)
    url = "/orgs/northwind-demo/portfolio/"
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert "Inbound demo-request follow-up" in page
    assert "Enrichment" in page and "Message generation" in page
    assert "Live, day" in page and "Day 90: revenue review done (cut over)" in page
    assert 'data-chart="chart-portfolio"' in page
    # The demo's second workflow, with its 30-day review open.
    assert "Weekly pipeline report" in page
    # A third chosen workflow adds no queries.
    CandidateWorkflow.objects.filter(
        organization=vp.organization, name="Webinar follow-up emails"
    ).update(portfolio_position=3)
    with CaptureQueriesContext(connection) as two:
        page = client.get(url).content.decode()
    assert "Not planned yet" in page
    assert len(one) == len(two)

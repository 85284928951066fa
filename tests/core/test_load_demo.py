"""The demo data: loaded once, flagged as demo, never counted as peers."""

import io

import pytest
from django.core.management import call_command

from audits.models import Audit
from benchmark.models import PeerBucket, Response
from core.models import Membership, Organization

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    call_command("load_demo", responses=40, stdout=out)
    return out.getvalue()


def test_it_loads_a_consultant_clients_self_scores_and_audits_once():
    printed = load()
    load()
    assert Organization.objects.filter(is_demo=True, kind="client").count() == 2
    firm = Organization.objects.get(is_demo=True, kind="firm")
    assert set(firm.clients.values_list("slug", flat=True)) == {"northwind-demo", "globex-demo"}
    # The consultant is a member of the demo firm and of each of its two clients.
    assert Membership.objects.filter(role=Membership.Role.CONSULTANT).count() == 3
    assert Audit.objects.count() == 2
    assert Audit.objects.get(organization__slug="northwind-demo").named_gap
    assert Response.objects.filter(organization__isnull=True, lead__isnull=True).count() == 40
    # The demo firm's benchmark link brought six leads, three of them with an email.
    assert firm.leads.count() == 6 and firm.leads.exclude(email="").count() == 3
    assert "consultant@demo.example" in printed and "vp@demo.example" in printed


def test_no_demo_response_is_counted_as_a_real_peer():
    load()
    assert Response.objects.filter(is_demo=False).count() == 0
    assert not PeerBucket.objects.filter(pool=PeerBucket.Pool.REAL).exists()


def test_demo_opportunities_carry_stages_and_close_dates():
    from workflows.models import Opportunity

    load()
    stages = set(Opportunity.objects.values_list("stage", flat=True))
    assert stages == {"open", "won", "lost"}
    decided = Opportunity.objects.exclude(stage="open")
    assert not decided.filter(close_date__isnull=True).exists()
    assert set(decided.values_list("crm_stage", flat=True)) == {"Closed Won", "Closed Lost"}

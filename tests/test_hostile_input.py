"""Hostile text entered in the app's free-text fields stays text everywhere it is shown:
pages, chart JSON and the board report PDF. Nothing executes and nothing is fetched."""

import io
import json
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from audits.models import Audit, AuditTool
from core.models import Membership
from core.pdf import render_pdf
from reports.rendering import board_report_html
from tests.factories import MembershipFactory, response_create
from workflows.models import CandidateWorkflow, Step, WorkflowMap

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "javascript:alert(1)",
    "{{ request.user }}{% debug %}",
    '<img src="file:///etc/passwd">',
    "<style>body{background:url(file:///etc/hosts)}</style>",
    "\u202eevil\u202c",
    "emoji 📈🦷",
    "x" * 190,
]


@pytest.fixture
def hostile_org():
    """An organization whose every free-text field holds a payload."""
    member = MembershipFactory(
        role=Membership.Role.CLIENT_ADMIN,
        organization__name=PAYLOADS[0],
        user__first_name=PAYLOADS[1],
        user__last_name=PAYLOADS[3],
    )
    org = member.organization
    response_create(membership=member)
    audit = Audit.objects.create(
        organization=org,
        created_by=member.user,
        crm=PAYLOADS[4][:100],
        revenue_gap="\n".join(PAYLOADS),
    )
    AuditTool.objects.create(audit=audit, name=PAYLOADS[1][:120], integrated_with=PAYLOADS[5][:200])
    workflow = CandidateWorkflow.objects.create(
        organization=org,
        audit=audit,
        name=PAYLOADS[4],
        pain=PAYLOADS[2],
        portfolio_position=1,
        hours_per_week=8,
        people_involved=2,
        ai_can_automate_step=True,
        degrees_from_revenue=1,
    )
    workflow_map = WorkflowMap.objects.create(
        organization=org, workflow=workflow, kind="current", trigger=PAYLOADS[0], kpi=PAYLOADS[3]
    )
    for position, payload in enumerate(PAYLOADS, start=1):
        Step.objects.create(
            map=workflow_map,
            position=position,
            name=payload[:200],
            tool=PAYLOADS[5][:120],
            team=payload[:80],
            owner=PAYLOADS[6],
            done_criteria=payload,
        )
    return member, audit, workflow


def assert_inert(body: str) -> None:
    """No payload survives as markup: every < of a payload arrives escaped."""
    assert "<script>alert(1)</script>" not in body
    assert 'onerror="alert(1)"' not in body and "onerror=alert" not in body
    assert '<img src="file:///etc/passwd">' not in body
    assert "<style>body{background:url(file:" not in body
    assert "sql_queries" not in body  # {% debug %} never rendered


def test_pages_show_hostile_text_literally(client, hostile_org):
    member, audit, workflow = hostile_org
    client.force_login(member.user)
    slug = member.organization.slug
    for url in [
        f"/orgs/{slug}/",
        f"/orgs/{slug}/members/",
        f"/orgs/{slug}/audits/{audit.pk}/",
        f"/orgs/{slug}/workflows/",
        f"/orgs/{slug}/workflows/{workflow.pk}/map/current/",
        f"/orgs/{slug}/portfolio/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert_inert(body)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body or "&lt;img" in body, url


def test_chart_json_carries_escaped_labels(client, hostile_org):
    member, _audit, workflow = hostile_org
    client.force_login(member.user)
    body = client.get(
        f"/orgs/{member.organization.slug}/workflows/{workflow.pk}/map/current/"
    ).content.decode()
    raw = re.search(
        r'<script id="swimlane-data" type="application/json">(.*?)</script>', body, re.S
    ).group(1)
    figure = json.loads(raw)
    texts = json.dumps(figure)
    assert "<img" not in texts and "<script" not in texts and "<style" not in texts
    assert "&lt;img src=" in texts


def test_the_board_report_prints_hostile_text_and_reads_no_file(hostile_org, caplog):
    member, _, _ = hostile_org
    html, _ = board_report_html(organization=member.organization, as_of=timezone.localdate())
    pdf = render_pdf(html)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "<script>alert(1)</script>" in text  # printed as text
    assert "root:x:0:0" not in text
    assert not PdfReader(io.BytesIO(pdf)).attachments

"""Hostile text entered in the app's free-text fields stays text everywhere it is shown:
pages, chart JSON and the board report PDF. Nothing executes and nothing is fetched."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from audits.models import Audit, AuditTool
from core.models import Membership
from core.pdf import render_pdf
from reports.rendering import board_report_html
from tests.factories import MembershipFactory, response_create
from workflows.models import CandidateWorkflow, DataImport, Review, Step, WorkflowMap
from workflows.plans.services import plan_create

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
    response = response_create(membership=member)
    response.email = 'x"><script>alert(1)</script>@example.com'[:254]
    response.save(update_fields=["email"])
    audit = Audit.objects.create(
        organization=org,
        created_by=member.user,
        crm=PAYLOADS[4][:100],
        revenue_gap="\n".join(PAYLOADS),
        override_reason=PAYLOADS[1],
        named_gap=PAYLOADS[0],
        recommendation="\n".join(PAYLOADS),
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
        organization=org,
        workflow=workflow,
        kind="current",
        trigger=PAYLOADS[0],
        kpi=PAYLOADS[3],
        outcome_owner=PAYLOADS[5][:200],
    )
    plan = plan_create(
        workflow=workflow, start_date=date(2026, 1, 5), timezone="UTC", owner=member.user
    )
    plan.milestones.filter(pk=plan.milestones.first().pk).update(
        title=PAYLOADS[0] + "\r\nBEGIN:VEVENT\r\nSUMMARY:injected", detail=PAYLOADS[4]
    )
    Review.objects.filter(workflow=workflow, stage=30).update(notes="\n".join(PAYLOADS))
    DataImport.objects.create(
        organization=org,
        workflow=workflow,
        kind="runs",
        file=SimpleUploadedFile("runs.csv", b"run_id\n"),
        original_name=PAYLOADS[1] + ".csv",
        status="failed",
        message=PAYLOADS[0],
        problems=[{"line": 2, "column": PAYLOADS[4], "message": PAYLOADS[5]}],
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
        f"/orgs/{slug}/workflows/{workflow.pk}/plan/",
        f"/orgs/{slug}/workflows/{workflow.pk}/data/",
        f"/orgs/{slug}/workflows/{workflow.pk}/reviews/30/",
        f"/orgs/{slug}/portfolio/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert_inert(body)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body or "&lt;img" in body, url
    consultant = MembershipFactory(
        role=Membership.Role.CONSULTANT, organization=member.organization
    )
    client.force_login(consultant.user)
    for url in [f"/orgs/{slug}/audits/{audit.pk}/review/", "/consultant/audits/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert_inert(body)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


def test_the_swimlane_svg_carries_hostile_labels_as_text(client, hostile_org):
    member, _audit, workflow = hostile_org
    client.force_login(member.user)
    body = client.get(
        f"/orgs/{member.organization.slug}/workflows/{workflow.pk}/map/current/"
    ).content.decode()
    swimlane = re.search(r'<div id="swimlane".*?</svg>', body, re.S).group(0)
    assert "<img" not in swimlane and "<script" not in swimlane and "<style" not in swimlane
    assert "&lt;img src=" in swimlane


def test_the_board_report_prints_hostile_text_and_reads_no_file(hostile_org, caplog):
    member, _, _ = hostile_org
    html, _ = board_report_html(organization=member.organization, as_of=timezone.localdate())
    pdf = render_pdf(html)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    # The step table prints "emoji 📈🦷"; with no emoji font WeasyPrint embeds the font as
    # two-byte CIDs, which pypdf extracts with a NUL before each character.
    text = text.replace("\x00", "")
    assert "<script>alert(1)</script>" in text  # printed as text
    assert "root:x:0:0" not in text
    assert not PdfReader(io.BytesIO(pdf)).attachments


def test_the_calendar_keeps_hostile_titles_inside_one_event(client, hostile_org):
    member, _, workflow = hostile_org
    client.force_login(member.user)
    reply = client.get(
        f"/orgs/{member.organization.slug}/workflows/{workflow.pk}/plan/calendar.ics"
    )
    assert reply.status_code == 200
    calendar = Calendar.from_ical(reply.content)
    events = calendar.walk("VEVENT")
    summaries = [str(event["SUMMARY"]) for event in events]
    assert not any(s == "injected" for s in summaries)  # no event smuggled in
    # A title is one line: its line breaks are folded to spaces inside the one summary.
    assert any("<script>alert(1)</script> BEGIN:VEVENT SUMMARY:injected" in s for s in summaries)
    assert len(events) == workflow.plan.milestones.count() + workflow.reviews.count()


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("crm", "Hub\x00Spot", ""),  # NUL: PostgreSQL cannot store it; refused
        # Kept as typed, but for the trailing white space every text field strips.
        ("revenue_gap", "bell\x07 escape\x1b[31m tab\t", "bell\x07 escape\x1b[31m tab"),
    ],
)
def test_nul_is_refused_and_other_control_characters_are_kept_as_text(
    client, hostile_org, field, value, stored
):
    member, audit, _ = hostile_org
    Audit.objects.filter(pk=audit.pk).update(crm="", revenue_gap="")
    client.force_login(member.user)
    reply = client.post(
        f"/orgs/{member.organization.slug}/audits/{audit.pk}/field/",
        {field: value},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME=field,
    )
    assert reply.status_code == 200
    audit.refresh_from_db()
    assert getattr(audit, field) == stored
    if not stored:
        assert "Null characters are not allowed" in reply.content.decode()
    page = client.get(f"/orgs/{member.organization.slug}/audits/{audit.pk}/")
    assert page.status_code == 200


def test_the_mapping_screen_shows_a_files_hostile_headers_cells_and_mapping_names_as_text(
    client, hostile_org
):
    import csv

    from workflows.models import ColumnMapping

    member, _audit, workflow = hostile_org
    client.force_login(member.user)
    ColumnMapping.objects.create(
        organization=member.organization, kind="opportunities", name=PAYLOADS[0], mapping={}
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([PAYLOADS[0], PAYLOADS[1], "Create Date", "Amount"])
    writer.writerow([PAYLOADS[4], PAYLOADS[5], "2026-03-04", PAYLOADS[0]])
    slug = member.organization.slug
    reply = client.post(
        f"/orgs/{slug}/workflows/{workflow.pk}/data/",
        {
            "kind": "opportunities",
            "file": SimpleUploadedFile(PAYLOADS[0] + ".csv", out.getvalue().encode()),
        },
    )
    page = client.get(reply["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert_inert(body)
    assert body.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # name, header, cell, mapping

"""The board report: rendered from the same data as the pages, safe against hostile text."""

import io
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from core.models import Membership, Organization
from core.pdf import render_pdf
from reports.models import BoardReport
from reports.rendering import board_report_html, board_report_render
from reports.tasks import board_report_render_task
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, Step, WorkflowMap

pytestmark = pytest.mark.django_db

HOSTILE = '<img src="file:///etc/passwd"> <style>body{background:url(file:///etc/hosts)}</style>'


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def demo():
    call_command("load_demo", responses=40, stdout=io.StringIO())
    return Organization.objects.get(slug="northwind-demo")


def test_the_demo_report_has_every_section_and_the_numbers_of_the_pages(demo):
    report = BoardReport.objects.create(organization=demo)
    board_report_render(report=report, now=timezone.now())
    report.refresh_from_db()
    assert report.status == "done" and report.pages >= 6
    text = pdf_text(report.file.read())
    for heading in [
        "Contents",
        "Maturity: tier, score and the dimension profile",
        "The widest gap and three moves",
        "The first orchestrated workflow",
        "The 30-day plan",
        "the three revenue metrics",
        "Next steps",
    ]:
        assert heading in text
    assert "On Pace" in text
    assert "Inbound demo-request follow-up" in text
    frozen = demo.candidate_workflows.get(portfolio_position=1).reviews.get(stage=90).frozen
    assert f"${frozen['pipeline']['attributable_usd']:,.0f}" in text
    assert "Cost per AI touch" in text and "Payback period" in text
    assert "Page 2 of" in text
    assert "The orchestrated future state, step by step" in text


def test_the_map_table_shows_each_steps_failure_route_and_share_of_runs():
    member = MembershipFactory()
    workflow = CandidateWorkflow.objects.create(
        organization=member.organization, name="Lead routing", portfolio_position=1
    )
    future = WorkflowMap.objects.create(
        organization=member.organization, workflow=workflow, kind="future"
    )
    Step.objects.create(
        map=future,
        position=1,
        name="Create deal",
        actor="rule",
        tool="HubSpot",
        failure_route="queue",
        failure_target="Notify RevOps",
        retry_max_tries=3,
        retry_wait_seconds=1,
    )
    Step.objects.create(
        map=future, position=2, name="SDR escalation", actor="human", share_of_runs=15
    )
    html, _ = board_report_html(organization=member.organization, as_of=timezone.localdate())
    assert "The orchestrated future state, step by step" in html
    assert "<td>Retry ×3, 1 s apart, then queue → Notify RevOps</td>" in html
    assert '<td class="num">15%</td>' in html


def test_hostile_names_appear_as_text_and_nothing_is_fetched(caplog):
    member = MembershipFactory(organization__name=HOSTILE)
    CandidateWorkflow.objects.create(
        organization=member.organization,
        name=HOSTILE,
        portfolio_position=1,
        hours_per_week=8,
        people_involved=2,
        ai_can_automate_step=True,
        degrees_from_revenue=1,
    )
    html, _ = board_report_html(organization=member.organization, as_of=timezone.localdate())
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    with caplog.at_level(logging.WARNING, logger="core.pdf"):
        text = pdf_text(render_pdf(html))
    assert 'src="file:///etc/passwd"' in text.replace("\n", " ")
    assert "root:x:0:0" not in text
    assert "report fetcher refused" not in caplog.text  # escaped: nothing even tried to load


def test_the_fetcher_refuses_files_and_other_hosts_even_in_raw_html(caplog):
    raw = (
        '<html><head><link rel="stylesheet" href="http://example.com/x.css"></head><body>'
        '<p>before</p><img src="file:///etc/passwd"><div style="background:url(file:///etc/hosts)">x</div>'
        '<link rel="attachment" href="file:///etc/passwd"></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="core.pdf"):
        data = render_pdf(raw)
    assert "report fetcher refused file:///etc/passwd" in caplog.text
    assert "report fetcher refused http://example.com/x.css" in caplog.text
    assert b"root:x:0:0" not in data
    reader = PdfReader(io.BytesIO(data))
    assert not reader.attachments


def test_an_organization_with_no_data_gets_a_report_that_says_what_is_missing():
    member = MembershipFactory()
    report = BoardReport.objects.create(organization=member.organization)
    board_report_render(report=report, now=timezone.now())
    text = pdf_text(BoardReport.objects.get(pk=report.pk).file.read())
    assert "No one in the organization has taken the self-score yet." in text
    assert "No first workflow is chosen yet." in text
    assert "No review has been completed yet" in text


def test_one_click_makes_one_report_and_it_downloads(client, django_capture_on_commit_callbacks):
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(member.user)
    url = f"/orgs/{member.organization.slug}/reports/"
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(url)
    report = BoardReport.objects.get()
    assert reply["Location"] == f"{url}{report.pk}/"
    page = client.get(reply["Location"]).content.decode()
    assert "Download the PDF" in page
    download = client.get(f"{url}{report.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_second_click_while_rendering_joins_the_report_underway(client):
    member = MembershipFactory()
    client.force_login(member.user)
    BoardReport.objects.create(organization=member.organization, status="rendering", progress=40)
    client.post(f"/orgs/{member.organization.slug}/reports/")
    assert BoardReport.objects.count() == 1
    status = client.get(
        f"/orgs/{member.organization.slug}/reports/{BoardReport.objects.get().pk}/",
        HTTP_HX_REQUEST="true",
    )
    body = status.content.decode()
    assert body.lstrip().startswith('<div id="report-status"') and 'hx-trigger="every 1s"' in body
    assert 'value="40"' in body


def test_running_the_task_twice_makes_one_file():
    member = MembershipFactory()
    report = BoardReport.objects.create(organization=member.organization)
    board_report_render_task.delay(report.pk)
    first = BoardReport.objects.get(pk=report.pk).file.name
    board_report_render_task.delay(report.pk)
    assert BoardReport.objects.get(pk=report.pk).file.name == first


def test_a_failed_report_says_why_and_can_be_retried(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    member = MembershipFactory()
    client.force_login(member.user)
    report = BoardReport.objects.create(
        organization=member.organization,
        status="failed",
        error="The report took too long to render.",
    )
    page = client.get(f"/orgs/{member.organization.slug}/reports/{report.pk}/").content.decode()
    assert "The report took too long to render." in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/orgs/{member.organization.slug}/reports/{report.pk}/retry/")
    assert BoardReport.objects.get(pk=report.pk).status == "done"

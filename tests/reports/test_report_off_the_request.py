"""The embedded default (no broker) renders a board report in a thread, never in the click,
and a report left unfinished by a process that died is found (issue 13, goal 4)."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from reports import rendering
from reports.liveness import process_token
from reports.models import BoardReport
from reports.services import STOPPED_ERROR
from tests.factories import MembershipFactory

DEAD = process_token().rsplit(":", 2)[0] + ":999999999:1"  # this host, no such process


@pytest.fixture
def member(db):
    return MembershipFactory()


@pytest.fixture
def signed_in(client, member):
    client.force_login(member.user)
    return client


@pytest.mark.django_db(transaction=True)
def test_the_click_answers_while_the_report_renders_in_a_thread(
    signed_in, member, settings, monkeypatch
):
    settings.BOARD_REPORTS_IN_THREAD = True
    release, rendering_started = threading.Event(), threading.Event()
    real_render = rendering.board_report_render

    def slow_render(*, report, now):
        BoardReport.objects.filter(pk=report.pk).update(status="rendering", progress=10)
        rendering_started.set()
        assert release.wait(30)
        real_render(report=report, now=now)

    monkeypatch.setattr(rendering, "board_report_render", slow_render)
    url = f"/orgs/{member.organization.slug}/reports/"
    reply = signed_in.post(url)
    report = BoardReport.objects.get()
    assert reply.status_code == 302 and reply["Location"] == f"{url}{report.pk}/"
    assert rendering_started.wait(30)
    page = signed_in.get(reply["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Rendering the charts and the PDF" in page and 'value="10"' in page
    assert BoardReport.objects.get().rendered_by == process_token()
    release.set()
    for thread in threading.enumerate():
        if thread.name == f"board-report-{report.pk}":
            thread.join(60)
    assert BoardReport.objects.get().status == "done"
    assert "Download the PDF" in signed_in.get(reply["Location"]).content.decode()


def test_a_report_whose_process_died_says_so_and_offers_a_retry(signed_in, member):
    report = BoardReport.objects.create(
        organization=member.organization, status="rendering", progress=60, rendered_by=DEAD
    )
    page = signed_in.get(f"/orgs/{member.organization.slug}/reports/{report.pk}/").content.decode()
    assert STOPPED_ERROR in page and "Try again" in page
    assert BoardReport.objects.get().status == "failed"


def test_a_report_queued_in_a_process_that_died_says_so_too(signed_in, member):
    report = BoardReport.objects.create(organization=member.organization, rendered_by=DEAD)
    page = signed_in.get(f"/orgs/{member.organization.slug}/reports/{report.pk}/").content.decode()
    assert STOPPED_ERROR in page


def test_a_render_in_a_live_process_is_left_alone_while_it_moves_and_not_once_it_hangs(
    signed_in, member
):
    """A thread of this very process that stopped moving (a chart browser that hung) is
    never finished by anything: the page says so and offers the retry."""
    report = BoardReport.objects.create(
        organization=member.organization,
        status="rendering",
        progress=60,
        rendered_by=process_token(),
    )
    url = f"/orgs/{member.organization.slug}/reports/{report.pk}/"
    BoardReport.objects.filter(pk=report.pk).update(
        updated_at=timezone.now() - timedelta(minutes=2)
    )
    assert "Rendering the charts and the PDF" in signed_in.get(url).content.decode()
    BoardReport.objects.filter(pk=report.pk).update(
        updated_at=timezone.now() - timedelta(minutes=4)
    )
    page = signed_in.get(url).content.decode()
    assert STOPPED_ERROR in page and "Try again" in page
    assert BoardReport.objects.get().status == "failed"


def test_a_hung_render_that_finishes_after_all_still_files_its_pdf(signed_in, member):
    report = BoardReport.objects.create(
        organization=member.organization, status="failed", error=STOPPED_ERROR, progress=100
    )
    rendering.board_report_render(report=report, now=timezone.now())
    done = BoardReport.objects.get()
    assert done.status == "done" and done.file


def test_a_render_on_another_host_that_stopped_moving_counts_as_stopped(signed_in, member):
    report = BoardReport.objects.create(
        organization=member.organization,
        status="rendering",
        progress=60,
        rendered_by="worker-7:4242:1234",
    )
    url = f"/orgs/{member.organization.slug}/reports/{report.pk}/"
    assert "Rendering the charts" in signed_in.get(url).content.decode()
    BoardReport.objects.filter(pk=report.pk).update(
        updated_at=timezone.now() - timedelta(minutes=4)
    )
    assert STOPPED_ERROR in signed_in.get(url).content.decode()


def test_asking_again_redoes_a_report_whose_process_died(
    signed_in, member, django_capture_on_commit_callbacks
):
    report = BoardReport.objects.create(
        organization=member.organization, status="rendering", progress=60, rendered_by=DEAD
    )
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(f"/orgs/{member.organization.slug}/reports/")
    redone = BoardReport.objects.get()
    assert redone.pk == report.pk and redone.status == "done" and redone.file


@pytest.mark.django_db(transaction=True)
def test_a_render_thread_that_gives_up_leaves_the_report_failed_with_a_retry(
    signed_in, member, settings, monkeypatch
):
    """An OSError is retried by a worker's task; in a thread nothing would come back to the
    report, which would say "Rendering" for as long as the web process lives."""
    settings.BOARD_REPORTS_IN_THREAD = True

    def render_fails(*, report, now):
        BoardReport.objects.filter(pk=report.pk).update(status="rendering", progress=10)
        raise OSError("No space left on device")

    monkeypatch.setattr(rendering, "board_report_render", render_fails)
    url = f"/orgs/{member.organization.slug}/reports/"
    detail = signed_in.post(url)["Location"]
    report = BoardReport.objects.get()
    for thread in threading.enumerate():
        if thread.name == f"board-report-{report.pk}":
            thread.join(60)
    report.refresh_from_db()
    error = "The report could not be rendered (OSError)."
    assert (report.status, report.error) == ("failed", error)
    page = signed_in.get(detail).content.decode()
    assert error in page and "Try again" in page

"""The upload limit holds before a body is stored, and each organization's kept files
stay within its storage quota."""

import html
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from core.models import Membership
from reports.models import BoardReport
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, DataImport

pytestmark = pytest.mark.django_db

LIMIT = 100_000


@pytest.fixture
def member(client):
    membership = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(membership.user)
    return membership


@pytest.fixture
def workflow(member):
    return CandidateWorkflow.objects.create(organization=member.organization, name="Inbound")


@pytest.fixture
def stored(monkeypatch, settings):
    """Bytes written to the upload's temporary file (every upload goes to one here, as a
    large one does in production)."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    seen = {"bytes": 0}
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        seen["bytes"] += len(raw_data)
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    return seen


def data_url(workflow):
    return f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/data/"


def upload(client, workflow, size, name="runs.csv"):
    content = b"run_id\n" + b"r\n" * ((size - 7) // 2)
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(data_url(workflow), {"kind": "runs", "file": file})


def test_it_refuses_by_content_length_before_reading_the_file(client, workflow, settings, stored):
    settings.DATA_IMPORT_MAX_BYTES = LIMIT
    reply = upload(client, workflow, 4 * LIMIT)
    assert reply.status_code == 413
    body = reply.content.decode()
    assert "This file is too large" in body and "100 KB" in body
    assert stored["bytes"] == 0  # nothing parsed, nothing written
    assert not DataImport.objects.exists()


def test_it_stops_reading_at_the_limit_when_the_length_does_not_show_it(
    client, workflow, settings, stored
):
    settings.DATA_IMPORT_MAX_BYTES = LIMIT
    reply = upload(client, workflow, LIMIT + 20_000)  # within the multipart allowance
    assert reply.status_code == 413
    assert "This file is too large" in reply.content.decode()
    assert stored["bytes"] <= LIMIT  # the rest was read and thrown away
    assert not DataImport.objects.exists()


def test_it_takes_an_upload_within_the_limit(client, workflow, settings):
    settings.DATA_IMPORT_MAX_BYTES = LIMIT
    reply = upload(client, workflow, LIMIT - 1_000)
    assert reply.status_code == 302
    assert DataImport.objects.count() == 1


def test_the_upload_page_says_both_limits(client, workflow):
    body = html.unescape(client.get(data_url(workflow)).content.decode())
    assert "Files up to 200 MB each." in body
    assert "Your organization's files use 0 MB of its 2 GB" in body


def test_it_refuses_an_upload_past_the_quota_and_says_what_uses_the_space(
    client, workflow, settings
):
    settings.ORGANIZATION_STORAGE_QUOTA_BYTES = 50_000
    DataImport.objects.create(
        organization=workflow.organization,
        workflow=workflow,
        kind="runs",
        file=ContentFile(b"x" * 30_000, name="old.csv"),
        original_name="old.csv",
    )
    reply = upload(client, workflow, 30_000)
    assert reply.status_code == 302
    assert DataImport.objects.count() == 1
    page = html.unescape(client.get(reply["Location"]).content.decode())
    assert "Not stored: Your organization's files use 30 KB of its 50 KB" in page
    assert "uploaded data files 30 KB (1)" in page
    assert "Delete superseded board reports" in page
    # A smaller file still fits.
    assert upload(client, workflow, 10_000).status_code == 302
    assert DataImport.objects.count() == 2


def done_report(organization, size, when):
    report = BoardReport.objects.create(organization=organization, status="done")
    report.file.save(f"report-{when}.pdf", ContentFile(b"%" * size))
    BoardReport.objects.filter(pk=report.pk).update(created_at=when)
    return report


def test_it_refuses_a_new_report_at_the_quota(client, member, settings):
    settings.ORGANIZATION_STORAGE_QUOTA_BYTES = 20_000
    done_report(member.organization, 25_000, "2026-01-01T00:00:00Z")
    reply = client.post(f"/orgs/{member.organization.slug}/reports/", follow=True)
    assert BoardReport.objects.count() == 1
    body = html.unescape(reply.content.decode())
    assert "board report PDFs 25 KB (1)" in body
    assert "The space is used up" in body


def test_a_superseded_report_is_deleted_after_confirmation(client, member):
    old = done_report(member.organization, 40_000, "2026-01-01T00:00:00Z")
    new = done_report(member.organization, 40_000, "2026-02-01T00:00:00Z")
    reports = f"/orgs/{member.organization.slug}/reports/"
    listing = client.get(reports).content.decode()
    assert f"{reports}{old.pk}/delete/" in listing
    assert f"{reports}{new.pk}/delete/" not in listing

    confirm = client.get(f"{reports}{old.pk}/delete/")
    assert confirm.status_code == 200 and "Delete this board report?" in confirm.content.decode()
    assert BoardReport.objects.filter(pk=old.pk).exists()  # asking deletes nothing

    path = old.file.path
    reply = client.post(f"{reports}{old.pk}/delete/", follow=True)
    assert "Report deleted: 40 KB freed." in reply.content.decode()
    assert not BoardReport.objects.filter(pk=old.pk).exists()
    assert not os.path.exists(path)


def test_the_newest_report_cannot_be_deleted(client, member):
    only = done_report(member.organization, 1_000, "2026-01-01T00:00:00Z")
    client.post(f"/orgs/{member.organization.slug}/reports/{only.pk}/delete/")
    assert BoardReport.objects.filter(pk=only.pk).exists()


def test_a_member_cannot_delete_reports(client, member):
    old = done_report(member.organization, 1_000, "2026-01-01T00:00:00Z")
    done_report(member.organization, 1_000, "2026-02-01T00:00:00Z")
    plain = MembershipFactory(organization=member.organization, role=Membership.Role.MEMBER)
    client.force_login(plain.user)
    assert (
        client.post(f"/orgs/{member.organization.slug}/reports/{old.pk}/delete/").status_code == 403
    )
    assert BoardReport.objects.filter(pk=old.pk).exists()

"""Uploading review data: columns matched, then processed in the background, bad rows
listed, nothing doubled, and no import ever stuck."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.html_forms import form_values, option_value
from workflows.models import (
    DataImport,
    DownstreamEvent,
    Opportunity,
    RunDay,
    SpendMonth,
)

pytestmark = pytest.mark.django_db


def upload(client, workflow, kind, content, name="data.csv", **extra):
    """Upload a file on the data page (it then waits for its columns to be matched)."""
    file = SimpleUploadedFile(
        name, content.encode() if isinstance(content, str) else content, content_type="text/csv"
    )
    return client.post(
        f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/data/",
        {"kind": kind, "file": file, **extra},
    )


def mapping_url(workflow, data_import_id):
    slug = workflow.organization.slug
    return f"/orgs/{slug}/workflows/{workflow.pk}/data/{data_import_id}/mapping/"


def confirm(client, workflow, data_import_id, **changes):
    """Confirm the mapping screen as it shows (the suggested mapping), with ``changes``."""
    url = mapping_url(workflow, data_import_id)
    values = form_values(client.get(url).content.decode(), url)
    return client.post(url, {**values, **changes, "action": "confirm"})


def import_file(client, workflow, kind, content, name="data.csv", **changes):
    """Upload a file and confirm its mapping screen: the import is queued."""
    reply = upload(client, workflow, kind, content, name)
    assert reply.status_code == 302, reply.content.decode()[:500]
    data_import = DataImport.objects.latest("pk")
    assert reply["Location"] == mapping_url(workflow, data_import.pk)
    return confirm(client, workflow, data_import.pk, **changes)


def day(offset):
    return (timezone.localdate() - timedelta(days=offset)).isoformat()


RUN_LOG = (
    "run_id,started_at,ended_at,status,arm,steps_total,steps_succeeded,ai_steps,stopped_at_step\n"
    f"r1,{day(3)}T09:00:00Z,{day(3)}T09:00:09Z,succeeded,orchestrated,4,4,3,\n"
    f"r2,{day(3)}T10:00:00Z,{day(3)}T10:01:00Z,failed,orchestrated,4,2,1,Draft reply\n"
    f"r3,{day(2)}T09:00:00Z,{day(2)}T09:47:00Z,succeeded,baseline,4,4,0,\n"
)


def test_a_run_log_is_stored_as_daily_aggregates(
    client, workflow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = import_file(client, workflow, "runs", RUN_LOG)
    assert reply.status_code == 302 and "?watch=" in reply["Location"]
    data_import = DataImport.objects.get()
    assert (data_import.status, data_import.row_count, data_import.progress) == ("done", 3, 100)
    assert sum(RunDay.objects.values_list("runs", flat=True)) == 3
    assert data_import.file.read().decode().startswith("run_id,")  # the original file is kept


def test_uploading_the_same_runs_again_does_not_double_them(
    client, workflow, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            import_file(client, workflow, "runs", RUN_LOG)
    assert sum(RunDay.objects.values_list("runs", flat=True)) == 3


def test_bad_rows_are_listed_by_line_and_nothing_is_stored(
    client, workflow, django_capture_on_commit_callbacks
):
    bad = RUN_LOG + f"r4,{day(1)}T09:00:00Z,,sideways,orchestrated,4,9,1,\n"
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, workflow, "runs", bad)
    data_import = DataImport.objects.get()
    assert data_import.status == "failed"
    assert any(p["line"] == 5 for p in data_import.problems)
    assert not RunDay.objects.exists()
    page = client.get(
        f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/data/"
    ).content.decode()
    assert "Line 5" in page and "Nothing from this file was stored" in page


@pytest.mark.parametrize(
    "content", [b"", b"\x1f\x8b\x08\x00binary", b"PK\x03\x04zip", b"\xef\xbb\xbfa,b\n\xff\xfe\n"]
)
def test_empty_binary_or_broken_files_are_refused_at_once(
    client, workflow, content, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        reply = upload(client, workflow, "runs", content)
    if reply.status_code == 422:
        assert "file is empty" in reply.content.decode()
        return
    data_import = DataImport.objects.get()
    assert reply["Location"].endswith(f"/data/?watch={data_import.pk}")
    assert (data_import.status, data_import.failure) == ("failed", "invalid")
    page = client.get(reply["Location"]).content.decode()
    assert "Not imported" in page and "Match the columns" not in page
    assert not queued and not RunDay.objects.exists()


def test_a_file_with_foreign_columns_cannot_be_confirmed_until_they_are_matched(
    client, workflow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        upload(client, workflow, "runs", b"just,some\nwrong,columns\n")
        data_import = DataImport.objects.get()
        reply = confirm(client, workflow, data_import.pk)

    assert reply.status_code == 422
    body = reply.content.decode()
    assert "Fix this before you confirm" in body
    assert (
        "Choose the column that holds: run_id, started_at, status, arm, steps_total, "
        "steps_succeeded, ai_steps."
    ) in body
    assert not queued
    assert DataImport.objects.get().status == "mapping"


def test_a_hubspot_deals_export_imports_with_its_own_headers(
    client, workflow, django_capture_on_commit_callbacks
):
    export = (
        '"Record ID","Deal Name","Deal Stage","Create Date","Amount","AI Touch","AI Touch Date","Deal owner"\n'
        f'"00123","Acme renewal","Qualified","{day(10)} 14:22","$12,500.00","AI-generated","{day(12)}","Dana"\n'
        f'"00124","Globex","Appointment","{day(9)} 09:01","3,000","","","Sam"\n'
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, workflow, "opportunities", export)
    assert DataImport.objects.get().status == "done", DataImport.objects.get().message
    first = Opportunity.objects.get(opportunity_id="00123")
    assert (float(first.amount_usd), first.ai_flag) == (12500.0, "generated")
    assert Opportunity.objects.get(opportunity_id="00124").ai_flag == "none"


def test_events_and_spend_upsert(client, workflow, django_capture_on_commit_callbacks):
    events = f"event_id,occurred_at,kind,arm\ne1,{day(2)}T11:00:00Z,booked call,orchestrated\n"
    spend = "month,category,amount_usd\n" + f"{day(40)[:7]},subscription,1290\n"
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, workflow, "events", events)
        import_file(client, workflow, "events", events)
        import_file(client, workflow, "spend", spend)
    assert DownstreamEvent.objects.get().kind == "booked_call"
    assert float(SpendMonth.objects.get().amount_usd) == 1290.0


def test_an_oversize_upload_is_refused_before_parsing(client, workflow, settings):
    settings.DATA_IMPORT_MAX_BYTES = 100
    reply = upload(client, workflow, "runs", RUN_LOG)
    assert (
        reply.status_code == 413
    )  # refused as it streams in (tests/workflows/test_upload_limits.py)
    assert "This file is too large" in reply.content.decode()
    assert not DataImport.objects.exists()


def test_the_status_row_polls_until_done(client, workflow):
    data_import = DataImport.objects.create(
        organization=workflow.organization,
        workflow=workflow,
        kind="runs",
        file=SimpleUploadedFile("x.csv", b"x"),
        original_name="x.csv",
        progress=40,
        status="processing",
    )
    url = f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/data/{data_import.pk}/"
    body = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="40"' in body
    DataImport.objects.filter(pk=data_import.pk).update(status="done", progress=100, row_count=7)
    body = client.get(url).content.decode()
    assert "every 1s" not in body and "Imported" in body


@pytest.mark.parametrize(("label", "month"), [("MM/DD/YYYY", 3), ("DD/MM/YYYY", 4)])
def test_choosing_a_slash_date_format_imports_the_dates_that_way(
    client, workflow, django_capture_on_commit_callbacks, label, month
):
    export = 'Record ID,Create Date,Amount,AI Touch\n00123,03/04/2025,"$12,500.00",AI-generated\n'
    upload(client, workflow, "opportunities", export)
    url = mapping_url(workflow, DataImport.objects.get().pk)
    chosen = option_value(client.get(url).content.decode(), url, "date_format", label)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, workflow, DataImport.objects.get().pk, date_format=chosen)

    data_import = DataImport.objects.get()
    assert data_import.status == "done", data_import.message
    assert Opportunity.objects.get().created_date.month == month
    page = client.get(f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/data/")
    assert "Processing" not in page.content.decode()


# --- background job failures -------------------------------------------------------------


def data_url(workflow, suffix=""):
    return f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/data/{suffix}"


def test_an_unexpected_error_leaves_the_import_failed_with_a_reason_and_a_retry_button(
    client, workflow, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise TypeError("a bug")

    monkeypatch.setattr("workflows.data.processing._parse_and_store", broken)
    with django_capture_on_commit_callbacks(execute=True):
        reply = import_file(client, workflow, "runs", RUN_LOG)
    assert reply.status_code == 302

    data_import = DataImport.objects.get()
    assert (data_import.status, data_import.failure) == ("failed", "error")
    page = client.get(data_url(workflow)).content.decode()
    assert "The import stopped on an unexpected error (TypeError)" in page
    assert "Processing" not in page
    retry = data_url(workflow, f"{data_import.pk}/retry/")
    form = re.search(rf'<form method="post" action="{retry}">(.*?)</form>', page, re.S)
    assert form and "csrfmiddlewaretoken" in form.group(1) and ">Retry</button>" in form.group(1)

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    data_import.refresh_from_db()
    assert (data_import.status, data_import.row_count, data_import.message) == ("done", 3, "")


def test_a_transient_error_is_retried_and_then_imports(
    client, workflow, django_capture_on_commit_callbacks, monkeypatch
):
    from workflows.data import processing as data_services

    real = data_services._parse_and_store
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("storage briefly away")
        return real(*args, **kwargs)

    monkeypatch.setattr("workflows.data.processing._parse_and_store", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, workflow, "runs", RUN_LOG)

    assert len(calls) == 2
    assert DataImport.objects.get().status == "done"


def test_a_file_that_fails_validation_is_not_retried_and_offers_no_retry(
    client, workflow, django_capture_on_commit_callbacks, monkeypatch
):
    from workflows.data import processing as data_services

    real = data_services._parse_and_store
    calls = []

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr("workflows.data.processing._parse_and_store", counted)
    bad = RUN_LOG + f"r4,{day(1)}T09:00:00Z,,sideways,orchestrated,4,9,1,\n"
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, workflow, "runs", bad)

    data_import = DataImport.objects.get()
    assert (len(calls), data_import.status, data_import.failure) == (1, "failed", "invalid")
    assert ">Retry</button>" not in client.get(data_url(workflow)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(data_url(workflow, f"{data_import.pk}/retry/"))
    assert DataImport.objects.get().status == "failed" and len(calls) == 1


def stuck_import(workflow, minutes_ago):
    data_import = DataImport.objects.create(
        organization=workflow.organization,
        workflow=workflow,
        kind="runs",
        file=SimpleUploadedFile("runs.csv", RUN_LOG.encode()),
        original_name="runs.csv",
        status="processing",
        progress=25,
    )
    DataImport.objects.filter(pk=data_import.pk).update(
        updated_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return data_import


@pytest.mark.parametrize("where", ["status poll", "data page"])
def test_an_import_stuck_in_processing_is_failed_when_it_is_read(client, workflow, where):
    stuck = stuck_import(workflow, minutes_ago=16)
    live = stuck_import(workflow, minutes_ago=1)
    url = data_url(workflow, f"{stuck.pk}/") if where == "status poll" else data_url(workflow)

    body = client.get(url).content.decode()

    assert "Processing · 25%" not in body.split(f'id="import-{live.pk}"')[0]
    assert "The import stopped before it finished" in body and ">Retry</button>" in body
    stuck.refresh_from_db()
    live.refresh_from_db()
    assert (stuck.status, stuck.failure) == ("failed", "stalled")
    assert live.status == "processing"


def test_the_beat_sweep_fails_stuck_imports_and_resends_queued_ones(
    workflow, settings, monkeypatch
):
    from workflows import tasks

    settings.DATA_IMPORT_STALE_SECONDS = 60
    stuck = stuck_import(workflow, minutes_ago=2)
    waiting = stuck_import(workflow, minutes_ago=3)
    DataImport.objects.filter(pk=waiting.pk).update(status="queued", progress=0)
    sent = []
    monkeypatch.setattr(tasks.data_import_process_task, "delay", sent.append)

    assert tasks.data_imports_requeue() == 1

    assert sent == [waiting.pk]
    stuck.refresh_from_db()
    assert (stuck.status, stuck.failure, stuck.progress) == ("failed", "stalled", 100)


def test_a_transient_error_that_persists_ends_failed_with_retry(
    client, workflow, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []

    def down(*args, **kwargs):
        calls.append(1)
        raise OSError("storage away")

    monkeypatch.setattr("workflows.data.processing._parse_and_store", down)
    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, workflow, "runs", RUN_LOG)

    data_import = DataImport.objects.get()
    assert len(calls) == 4  # the first try and 3 retries
    assert (data_import.status, data_import.failure) == ("failed", "error")
    assert "failed 4 times on a temporary error (OSError)" in data_import.message
    assert data_import.can_retry

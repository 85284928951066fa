"""Where each day's runs come from: one source per day, live first. A CSV upload never wipes
runs that arrived through the API, and no run is counted twice, in either order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from workflows.data.selectors import data_counts, review_frames
from workflows.ingest.services import ingest_endpoint_create
from workflows.models import DataImport, IngestedRun, RunDay

from .ingest_helpers import post_signed, run_body
from .test_data_uploads import import_file

pytestmark = pytest.mark.django_db


def at(days_ago, hour):
    today = timezone.now().astimezone(UTC).date()
    moment = datetime(today.year, today.month, today.day, hour, tzinfo=UTC)
    return moment - timedelta(days=days_ago)


# The platform's own export: the same two runs of day 3 that were pushed, and a run of day 2.
CSV = (
    "run_id,started_at,ended_at,status,arm,steps_total,steps_succeeded,ai_steps,stopped_at_step\n"
    f"r1,{at(3, 9).isoformat()},,succeeded,orchestrated,4,4,3,\n"
    f"r2,{at(3, 10).isoformat()},,failed,orchestrated,4,2,1,Draft reply\n"
    f"r3,{at(2, 9).isoformat()},,succeeded,baseline,4,4,0,\n"
)


@pytest.fixture
def endpoint(workflow):
    return ingest_endpoint_create(workflow=workflow, organization=workflow.organization)


def push_day_3(endpoint):
    for run_id, hour, status in (("r1", 9, "succeeded"), ("r2", 10, "failed")):
        body = run_body(run_id, started=at(3, hour), status=status)
        if status == "failed":
            body.update(steps_succeeded=2, ai_steps=1, stopped_at_step="Draft reply")
        assert post_signed(endpoint, "runs", body).status_code == 201


def upload(client, workflow, capture):
    with capture(execute=True):
        import_file(client, workflow, "runs", CSV)
    return DataImport.objects.latest("pk")


def counted_by_day(workflow):
    frame = review_frames(workflow=workflow).runs_daily
    return frame.groupby("day")["runs"].sum().to_dict()


def test_api_then_csv_counts_each_run_once_and_keeps_the_pushed_runs(
    client, workflow, endpoint, django_capture_on_commit_callbacks
):
    push_day_3(endpoint)
    data_import = upload(client, workflow, django_capture_on_commit_callbacks)
    assert data_import.status == "done"
    assert "already have live runs" in data_import.message
    assert IngestedRun.objects.count() == 2  # nothing pushed was wiped
    assert counted_by_day(workflow) == {at(3, 0).date(): 2, at(2, 0).date(): 1}
    assert data_counts(workflow=workflow)["runs"] == 3  # not 5


def test_csv_then_api_counts_each_run_once_and_keeps_the_csv_for_other_days(
    client, workflow, endpoint, django_capture_on_commit_callbacks
):
    upload(client, workflow, django_capture_on_commit_callbacks)
    assert counted_by_day(workflow) == {at(3, 0).date(): 2, at(2, 0).date(): 1}
    push_day_3(endpoint)
    assert counted_by_day(workflow) == {at(3, 0).date(): 2, at(2, 0).date(): 1}
    # The CSV's rows of day 3 are still stored, only not counted.
    assert RunDay.objects.filter(source="csv", day=at(3, 0).date()).exists()


def test_a_second_csv_replaces_only_csv_rows(
    client, workflow, endpoint, django_capture_on_commit_callbacks
):
    push_day_3(endpoint)
    upload(client, workflow, django_capture_on_commit_callbacks)
    upload(client, workflow, django_capture_on_commit_callbacks)
    assert RunDay.objects.filter(source="live").count() == 2
    assert data_counts(workflow=workflow)["runs"] == 3


def test_the_data_page_shows_the_rule_the_last_runs_and_each_days_source(
    client, workflow, endpoint, django_capture_on_commit_callbacks
):
    push_day_3(endpoint)
    upload(client, workflow, django_capture_on_commit_callbacks)
    url = f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/data/"
    page = client.get(url).content.decode()
    assert "one source per day, live first" in page
    assert "Live (pushed or pulled)" in page and "CSV upload" in page
    assert page.count("Pushed to the ingest API") == 2
    assert str(endpoint.key) in page  # the ingest URL


def test_the_data_page_reads_a_fixed_number_of_queries(client, workflow, endpoint):
    url = f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/data/"
    push_day_3(endpoint)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(30):
        post_signed(endpoint, "runs", run_body(f"more-{i}", started=at(i % 5, 8)))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)

"""Pulling runs from n8n's public API: only new executions, a cursor, failed runs with the
step they stopped at, the key encrypted, and user-given URLs held to SECURITY.md's rules."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings

from core.secrets import secret_decrypt
from workflows.data.selectors import review_frames
from workflows.ingest.pull import n8n_connection_save, n8n_executions_pull
from workflows.models import IngestedRun, N8nConnection
from workflows.tasks import n8n_pull_all

from .fake_n8n import API_KEY, FakeN8n, execution

pytestmark = pytest.mark.django_db


@pytest.fixture
def n8n():
    executions = [
        execution(1),
        execution(2),
        execution(3, "error", failed_node="Draft reply"),
        execution(4),
        execution(5, "waiting"),
        execution(6, workflow_id="other"),
    ]
    with FakeN8n(executions) as server:
        yield server


def connect(workflow, n8n, key=API_KEY):
    return n8n_connection_save(
        workflow=workflow,
        base_url=n8n.base_url,
        n8n_workflow_id="wf1",
        arm="orchestrated",
        api_key=key,
    )


def test_a_pull_adds_the_finished_executions_of_the_chosen_workflow(workflow, n8n):
    result = n8n_executions_pull(connection=connect(workflow, n8n))
    assert (result.added, result.error, result.pages) == (4, "", 3)  # two a page
    runs = {r.run_id: r for r in IngestedRun.objects.filter(workflow=workflow)}
    assert set(runs) == {"n8n-1", "n8n-2", "n8n-3", "n8n-4"}  # not the waiting one
    failed = runs["n8n-3"]
    # Steps are the map's: the Webhook trigger is not one of them.
    assert (failed.status, failed.stopped_at_step, failed.steps_total) == (
        "failed",
        "Draft reply",
        1,
    )
    assert (failed.steps_succeeded, failed.ai_steps, failed.channel) == (0, 1, "n8n")
    assert (runs["n8n-1"].steps_total, runs["n8n-1"].ai_steps, runs["n8n-1"].stopped_at_step) == (
        2,
        1,
        "",
    )
    daily = review_frames(workflow=workflow).runs_daily
    assert daily["runs"].sum() == 4
    assert daily[daily.status == "failed"]["stopped_at_step"].tolist() == ["Draft reply"]
    assert all(q["workflowId"] == ["wf1"] and q["includeData"] == ["true"] for q in n8n.requests)


def test_a_second_pull_adds_only_new_executions(workflow, n8n):
    connection = connect(workflow, n8n)
    n8n_executions_pull(connection=connection)
    connection.refresh_from_db()
    assert connection.cursor == "4"  # not past the waiting execution 5
    again = n8n_executions_pull(connection=connection)
    assert again.added == 0
    n8n.executions[4] = execution(5)  # it finished
    n8n.executions.append(execution(7))
    latest = n8n_executions_pull(connection=connection)
    assert latest.added == 2 and latest.cursor == "7"
    assert IngestedRun.objects.filter(workflow=workflow).count() == 6
    n8n.requests.clear()
    n8n_executions_pull(connection=connection)
    assert len(n8n.requests) == 1  # it stops at the cursor, not at the last page


def test_a_refused_key_stores_nothing_and_says_so(workflow, n8n):
    connection = connect(workflow, n8n, key="wrong")
    result = n8n_executions_pull(connection=connection)
    assert result.error == "The server refused the API key." and result.added == 0
    connection.refresh_from_db()
    assert connection.last_error == result.error and connection.cursor == ""
    assert not IngestedRun.objects.exists()


@override_settings(OUTBOUND_ALLOWED_NETWORKS=[])
def test_a_loopback_address_is_refused_without_the_allowlist(workflow, n8n):
    connection = N8nConnection.objects.create(
        organization=workflow.organization,
        workflow=workflow,
        base_url=n8n.base_url,
        n8n_workflow_id="wf1",
        api_key_encrypted="x",
    )
    result = n8n_executions_pull(connection=connection)
    assert "private network" in result.error
    assert "127.0.0.1" not in result.error
    assert n8n.requests == []


def test_the_key_is_stored_encrypted_and_keys_rotate(workflow, n8n, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SECRET_ENCRYPTION_KEYS = [old]
    connection = connect(workflow, n8n)
    assert API_KEY not in connection.api_key_encrypted
    settings.SECRET_ENCRYPTION_KEYS = [new, old]  # new first: it encrypts, both decrypt
    call_command("secrets_reencrypt")
    settings.SECRET_ENCRYPTION_KEYS = [new]  # the old key dropped
    connection.refresh_from_db()
    assert secret_decrypt(connection.api_key_encrypted) == API_KEY
    assert n8n_executions_pull(connection=connection).added == 4


def test_the_form_and_the_pull_now_button(
    client, workflow, n8n, django_capture_on_commit_callbacks
):
    base = f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/data/"
    refused = client.post(
        base + "n8n/",
        {
            "base_url": "http://10.0.0.5",
            "n8n_workflow_id": "wf1",
            "api_key": "k",
            "arm": "orchestrated",
        },
    )
    assert refused.status_code == 422
    assert "private network" in refused.content.decode()
    saved = client.post(
        base + "n8n/",
        {"base_url": n8n.base_url, "n8n_workflow_id": "wf1", "api_key": API_KEY, "arm": "baseline"},
    )
    assert saved.status_code == 302
    page = client.get(base).content.decode()
    assert API_KEY not in page and "Not pulled yet" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(base + "n8n/pull/").status_code == 302
    page = client.get(base).content.decode()
    assert "4 new runs" in page and page.count("Pulled from n8n") == 4
    assert set(IngestedRun.objects.values_list("arm", flat=True)) == {"baseline"}


def test_beat_pulls_every_connection_on_a_schedule(workflow, n8n, settings):
    entry = settings.CELERY_BEAT_SCHEDULE["n8n-pull-all"]
    assert entry["task"] == "workflows.tasks.n8n_pull_all"
    assert entry["schedule"] == settings.N8N_PULL_INTERVAL_SECONDS
    connect(workflow, n8n)
    assert n8n_pull_all.delay().get() == 1  # eager here: the pull ran
    assert IngestedRun.objects.filter(workflow=workflow).count() == 4

"""Pull a workflow's runs from n8n's public API: ``n8n_executions_pull``.

The request is n8n's documented list call (github.com/n8n-io/n8n,
packages/cli/src/public-api/v1/handlers/executions/executions.handler.ts, ``getExecutions``,
and its spec/ folder): ``GET <base>/api/v1/executions?workflowId=<id>&includeData=true
&limit=100[&cursor=<nextCursor>]`` with the key in ``X-N8N-API-KEY``. n8n answers newest
first (id descending) and leaves out executions still running; ``nextCursor`` is null on
the last page. The execution -> run reading is ``workflows.ingest.n8n_runs``.

The connection's ``cursor`` is the id of the newest execution taken. A pull reads pages
until it meets an execution at or below the cursor (or the last page, or MAX_PAGES), adds
the finished ones it has not stored (by run id, "n8n-<id>"), and moves the cursor to the
newest id read, but not past an unfinished one (waiting, new, unknown), which a later pull
takes once it has finished. The base URL is a user-given URL (``core.outbound``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.outbound import OutboundError, get_json, url_check
from core.secrets import SecretUnreadable, secret_decrypt, secret_encrypt

from ..models import CandidateWorkflow, IngestedRun, N8nConnection
from .n8n_runs import execution_number, is_finished, run_from_execution
from .payloads import RunRecord
from .services import runs_ingest_new

logger = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_PAGES = 50
EXECUTIONS_PATH = "/api/v1/executions"


@dataclass(frozen=True)
class PullResult:
    """What one pull did: ``added`` runs stored, ``known`` finished executions already
    stored, ``unreadable`` executions that could not be read as runs, ``pages`` fetched,
    the ``cursor`` after it, and ``error`` (a sentence for the user; "" when it worked)."""

    added: int = 0
    known: int = 0
    unreadable: int = 0
    pages: int = 0
    cursor: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def n8n_connection_save(
    *,
    workflow: CandidateWorkflow,
    base_url: str,
    n8n_workflow_id: str,
    arm: str,
    api_key: str = "",
) -> N8nConnection:
    """Create or change the workflow's n8n connection. ``api_key`` "" keeps the stored key
    (required when there is none: ValueError). The key is stored encrypted and never shown
    again. A new base URL or n8n workflow starts again from no cursor."""
    connection = N8nConnection.objects.filter(workflow=workflow).first()
    if connection is None:
        if not api_key:
            raise ValueError("an API key is required")
        connection = N8nConnection(organization=workflow.organization, workflow=workflow)
    elif (connection.base_url, connection.n8n_workflow_id) != (base_url, n8n_workflow_id):
        connection.cursor = ""
    connection.base_url = base_url
    connection.n8n_workflow_id = n8n_workflow_id
    connection.arm = arm
    if api_key:
        connection.api_key_encrypted = secret_encrypt(api_key)
    connection.save()
    return connection


def _fetch(connection: N8nConnection) -> tuple[list[dict[str, Any]], int, int | None, str]:
    """The new executions, pages read, the lowest unfinished id met, and a warning."""
    target = url_check(connection.base_url)
    try:
        key = secret_decrypt(connection.api_key_encrypted)
    except SecretUnreadable as exc:
        raise OutboundError("The stored API key cannot be read; enter it again.") from exc
    floor = int(connection.cursor) if connection.cursor else 0
    found: list[dict[str, Any]] = []
    unfinished: int | None = None
    cursor: str | None = None
    for page_number in range(1, MAX_PAGES + 1):
        query = {
            "workflowId": connection.n8n_workflow_id,
            "includeData": "true",
            "limit": str(PAGE_SIZE),
        }
        if cursor:
            query["cursor"] = cursor
        page = get_json(target, EXECUTIONS_PATH, query=query, headers={"X-N8N-API-KEY": key})
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise OutboundError("The server's answer is not n8n's list of executions.")
        reached_old = False
        for execution in page["data"]:
            try:
                number = execution_number(execution)
            except (ValueError, AttributeError):
                continue
            if number <= floor:
                reached_old = True
                break
            if not is_finished(execution):
                unfinished = number if unfinished is None else min(unfinished, number)
                continue
            found.append(execution)
        next_cursor = page.get("nextCursor")
        if reached_old or not isinstance(next_cursor, str) or not next_cursor:
            return found, page_number, unfinished, ""
        cursor = next_cursor
    return (
        found,
        MAX_PAGES,
        unfinished,
        f"More than {MAX_PAGES * PAGE_SIZE} new executions: the oldest of them were skipped.",
    )


def n8n_executions_pull(*, connection: N8nConnection) -> PullResult:
    """Pull the new executions of the connection's n8n workflow into runs of its workflow.

    Returns a PullResult and records it on the connection (``last_pulled_at``,
    ``last_added``, ``last_error``); a refused URL, an unreachable server, a refused key or
    an answer of the wrong shape is ``PullResult.error`` (nothing stored, cursor kept),
    never an exception. Idempotent: pulling again adds nothing new.
    """
    now = timezone.now()
    try:
        executions, pages, unfinished, warning = _fetch(connection)
    except OutboundError as exc:
        N8nConnection.objects.filter(pk=connection.pk).update(
            last_pulled_at=now, last_added=0, last_error=exc.message[:300]
        )
        return PullResult(error=exc.message, cursor=connection.cursor)
    runs: list[RunRecord] = []
    unreadable = 0
    for execution in executions:
        try:
            runs.append(
                run_from_execution(execution, arm=connection.arm, latest=now + timedelta(days=1))
            )
        except (ValueError, TypeError, AttributeError):
            unreadable += 1
    newest = max((execution_number(e) for e in executions), default=0)
    with transaction.atomic():
        locked = N8nConnection.objects.select_for_update().get(pk=connection.pk)
        added = runs_ingest_new(
            workflow=locked.workflow, runs=runs, channel=IngestedRun.Channel.N8N, now=now
        )
        floor = int(locked.cursor) if locked.cursor else 0
        ceiling = newest if unfinished is None else min(newest, unfinished - 1)
        locked.cursor = str(max(floor, ceiling)) if max(floor, ceiling) else ""
        locked.last_pulled_at = now
        locked.last_added = added
        locked.last_error = warning
        locked.save(update_fields=["cursor", "last_pulled_at", "last_added", "last_error"])
    connection.refresh_from_db()
    return PullResult(
        added=added,
        known=len(runs) - added,
        unreadable=unreadable,
        pages=pages,
        cursor=locked.cursor,
        error="",
    )

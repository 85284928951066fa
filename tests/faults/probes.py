"""What the fault tests look at from outside the app: rows in its database, files in its
media folder, messages in its broker, each read directly (psycopg, the file system, redis)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import redis
from psycopg.rows import dict_row


def wait_until(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Call ``check`` every 0.1 s until it is true; ``AssertionError`` naming ``what`` after
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def query(deployment, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
    """Rows of ``sql`` on the deployment's database, one short connection per call."""
    with psycopg.connect(deployment.database_url, row_factory=dict_row) as conn:
        return conn.execute(sql, params).fetchall()


def report_row(deployment, report_id: int) -> dict[str, Any]:
    """The board report's row: status, progress, file, finished_at, updated_at."""
    [row] = query(
        deployment,
        "SELECT status, progress, file, finished_at, updated_at"
        " FROM reports_boardreport WHERE id = %s",
        (report_id,),
    )
    return row


def report_files(deployment, report_id: int) -> list[Path]:
    """Every PDF on disk for the report: the task names it ``board-report-...-<id>.pdf``,
    and a second render under the same name would get ``_<7 characters>`` from the storage."""
    name = re.compile(rf"board-report-.*-{report_id}(_[0-9A-Za-z]{{7}})?\.pdf")
    return sorted(p for p in deployment.media_root.rglob("*.pdf") if name.fullmatch(p.name))


def queue_is_empty(deployment) -> bool:
    """No message waiting in the default queue and none taken but not yet acknowledged."""
    client = redis.Redis.from_url(deployment.redis.url())
    return client.llen("celery") == 0 and client.hlen("unacked") == 0

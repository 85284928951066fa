"""A chosen workflow's cost per AI touch on the portfolio, computed once per version of its
run log and spend, then read from the cache (issue 13).

``metrics.cost_per_ai_touch`` is pandas work of several milliseconds a workflow, and the
portfolio asks for it on every load although the run log and the spend change only with an
import or a received run. The key is a hash of everything the figure is computed from: the
workflow's counted run-log rows and spend rows as read, its go-live date, the day asked
about, and the metric code itself. An import, a received run, a new go-live date or a new
day makes a new key, so a stale figure is never served and nothing needs invalidating. The
key names the workflow (one organization's) and the database, so no other organization or
deployment sharing the Redis can read it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache as memoize
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.cache import caches

from ..data.imports.runlog import DAILY_COLUMNS
from ..data.selectors import SPEND_COLUMNS
from ..reviews import metrics
from ..reviews.metrics._common import round_or_none

# Entries are content-keyed, so a long life serves no stale figure; it only bounds memory.
TIMEOUT_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class WorkflowCost:
    """A workflow's cost per AI touch from go-live to the day asked about.

    ``cost_per_touch_usd``: USD per AI-driven step (None when no AI step ran);
    ``ai_steps``: AI-driven steps in the window; ``months`` / ``monthly_usd``: the first
    day of each month with a cost (ISO dates) and its USD per AI touch (4 decimals).
    """

    cost_per_touch_usd: float | None
    ai_steps: int
    months: tuple[str, ...]
    monthly_usd: tuple[float | None, ...]


@memoize
def _code_version() -> str:
    code = b"".join(
        path.read_bytes() for path in sorted(Path(metrics.__file__).parent.glob("*.py"))
    )
    return hashlib.sha256(code + Path(__file__).read_bytes()).hexdigest()[:16]


def workflow_cost_key(
    *,
    workflow_id: int,
    go_live_date: date,
    as_of: date,
    runs: Sequence[tuple[Any, ...]],
    spend: Sequence[tuple[Any, ...]],
) -> str:
    """The cache key of a workflow's cost: ``runs`` rows in ``DAILY_COLUMNS`` order and
    ``spend`` rows in ``SPEND_COLUMNS`` order, each in the order read."""
    text = repr((go_live_date, as_of, tuple(runs), tuple(spend)))
    digest = hashlib.sha256(text.encode()).hexdigest()
    database = settings.DATABASES["default"]["NAME"]
    return f"portfolio:cost:{database}:{workflow_id}:{_code_version()}:{digest}"


def _compute(
    *,
    go_live_date: date,
    as_of: date,
    runs: Sequence[tuple[Any, ...]],
    spend: Sequence[tuple[Any, ...]],
) -> WorkflowCost:
    runs_frame = pd.DataFrame.from_records(list(runs), columns=list(DAILY_COLUMNS))
    spend_frame = pd.DataFrame.from_records(list(spend), columns=list(SPEND_COLUMNS))
    if len(spend_frame):
        spend_frame["amount_usd"] = spend_frame["amount_usd"].astype(float)
    cost = metrics.cost_per_ai_touch(spend_frame, runs_frame, start=go_live_date, end=as_of)
    monthly = cost.monthly.dropna(subset=["cost_per_touch_usd"])
    return WorkflowCost(
        cost_per_touch_usd=cost.cost_per_touch_usd,
        ai_steps=cost.ai_steps,
        months=tuple(pd.Timestamp(m).date().isoformat() for m in monthly["month"]),
        monthly_usd=tuple(round_or_none(v, 4) for v in monthly["cost_per_touch_usd"]),
    )


def workflow_cost_cached(
    *,
    workflow_id: int,
    go_live_date: date,
    as_of: date,
    runs: Sequence[tuple[Any, ...]],
    spend: Sequence[tuple[Any, ...]],
) -> WorkflowCost:
    """The cost per AI touch of ``runs`` (counted run-log rows, ``DAILY_COLUMNS``) and
    ``spend`` (``SPEND_COLUMNS``) from ``go_live_date`` to ``as_of``, from the ``pages``
    cache when this version of the data was computed before (a miss when Redis is down)."""
    key = workflow_cost_key(
        workflow_id=workflow_id, go_live_date=go_live_date, as_of=as_of, runs=runs, spend=spend
    )
    pages = caches["pages"]
    found = pages.get(key)
    if isinstance(found, WorkflowCost):
        return found
    cost = _compute(go_live_date=go_live_date, as_of=as_of, runs=runs, spend=spend)
    pages.set(key, cost, TIMEOUT_SECONDS)
    return cost

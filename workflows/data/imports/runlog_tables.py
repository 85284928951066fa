"""The run log's two tables, built from its checked and typed columns: the runs, one row per
run, and the daily sums (``RunLogImport`` in ``runlog`` describes both).

Pure module: pandas, pyarrow, numpy and the standard library. The million-row budget
(``runlog``'s docstring) is why the daily sums are bincounts over one integer key per run
rather than a pandas groupby. ``typed`` below is what ``runlog``'s checks return: started_at
and ended_at (pyarrow timestamps), status and arm (int codes into STATUSES and ARMS), the
three counts (int64 numpy arrays), stopped_at_step (sorted names, a code per row) and,
once checked, run_id (pyarrow strings). ``keep`` (bool per row, or None for all) leaves out
the exact repeats.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workflows.data.imports.values import to_numpy

# The canonical spellings, in code order: the categories of the status and arm columns.
STATUSES = ("succeeded", "failed", "running")
ARMS = ("orchestrated", "baseline")
DAILY_COLUMNS = (
    "day",
    "arm",
    "status",
    "stopped_at_step",
    "runs",
    "ai_steps",
    "steps_total",
    "steps_succeeded",
)
_ALPHABETICAL_STATUS = np.argsort(np.argsort(STATUSES))  # code -> rank of its name
_ALPHABETICAL_ARM = np.argsort(np.argsort(ARMS))


def runs_frame(typed: dict[str, Any], keep: np.ndarray | None) -> pd.DataFrame:
    """The runs table; without run_id when ``typed`` has none yet (the caller inserts it)."""
    step_names, step_codes = typed["stopped_at_step"]
    columns = {
        "run_id": typed["run_id"].to_pandas() if "run_id" in typed else None,
        "started_at": _utc_series(typed["started_at"]),
        "ended_at": _utc_series(typed["ended_at"]),
        "status": pd.Categorical.from_codes(typed["status"], categories=STATUSES),
        "arm": pd.Categorical.from_codes(typed["arm"], categories=ARMS),
        "steps_total": typed["steps_total"],
        "steps_succeeded": typed["steps_succeeded"],
        "ai_steps": typed["ai_steps"],
        "stopped_at_step": _labels(tuple(step_names), step_codes),
    }
    frame = pd.DataFrame({k: v for k, v in columns.items() if v is not None}, copy=False)
    if keep is not None:
        frame = frame.loc[keep].reset_index(drop=True)
    return frame


def _labels(names: tuple[str, ...], codes: np.ndarray) -> pd.Series:
    # large_string is how pandas stores str columns, so to_pandas need not convert.
    return pc.take(pa.array(names, pa.large_string()), pa.array(codes)).to_pandas()


def _utc_series(values: pa.ChunkedArray) -> pd.Series:
    nanoseconds = to_numpy(pc.cast(values, pa.int64()), np.iinfo(np.int64).min)
    return pd.Series(nanoseconds.view("M8[ns]"), copy=False).dt.tz_localize("UTC")


def daily_frame(typed: dict[str, Any], keep: np.ndarray | None) -> pd.DataFrame:
    """Sums by (day, arm, status, stopped_at_step) from integer group keys: one bincount
    per sum instead of a pandas groupby over every run."""
    # One int64 key per run: day, arm, status and step codes in mixed radix, computed in
    # place (a million-row temporary each step would cost more than the arithmetic).
    key = to_numpy(pc.cast(typed["started_at"], pa.int64()), 0)
    key = key if key.flags.writeable else key.copy()
    np.floor_divide(key, 86_400 * 1_000_000_000, out=key)
    step_names, step = typed["stopped_at_step"]
    arm, status = typed["arm"], typed["status"]
    values = {name: typed[name] for name in ("ai_steps", "steps_total", "steps_succeeded")}
    if keep is not None:
        key, step, arm, status = key[keep], step[keep], arm[keep], status[keep]
        values = {name: column[keep] for name, column in values.items()}
    first_day = int(key.min()) if key.size else 0
    width = len(step_names)
    key -= first_day
    key *= len(ARMS)
    key += arm
    key *= len(STATUSES)
    key += status
    key *= width
    key += step
    groups, sums = _group_sums(key, values)
    step_code = groups % width
    rest = groups // width
    status_code = rest % len(STATUSES)
    rest //= len(STATUSES)
    arm_code = rest % len(ARMS)
    day_number = rest // len(ARMS) + first_day
    # Step names are sorted already; sort the few groups by day, then arm and status names.
    order = np.lexsort(
        (step_code, _ALPHABETICAL_STATUS[status_code], _ALPHABETICAL_ARM[arm_code], day_number)
    )
    days = day_number[order].astype("M8[D]").astype(object)
    return pd.DataFrame(
        {
            "day": pd.Series(days, dtype=object),
            "arm": _labels(ARMS, arm_code[order]),
            "status": _labels(STATUSES, status_code[order]),
            "stopped_at_step": _labels(tuple(step_names), step_code[order]),
            **{name: column[order] for name, column in sums.items()},
        }
    )


def _group_sums(
    key: np.ndarray, values: dict[str, np.ndarray]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The distinct keys (ascending) and, per key, the row count ("runs") and sums (int64).

    The sums are added up in int64 with ``np.add.at``, exact and faster than a weighted
    ``np.bincount``, which converts every value to a float first."""
    span = int(key.max()) + 1 if key.size else 0
    if span <= 4 * key.size + 1024:
        counts = np.bincount(key, minlength=span)
        groups = np.flatnonzero(counts)
        sums = {"runs": counts[groups].astype(np.int64)}
        for name, column in values.items():
            sums[name] = _sums(key, column, span)[groups]
    else:
        codes, groups = pd.factorize(key, sort=True)
        sums = {"runs": np.bincount(codes, minlength=groups.size).astype(np.int64)}
        for name, column in values.items():
            sums[name] = _sums(codes, column, groups.size)
    return np.asarray(groups), sums


def _sums(key: np.ndarray, values: np.ndarray, span: int) -> np.ndarray:
    """The sum of ``values`` for each key from 0 to ``span`` - 1, as int64."""
    sums = np.zeros(span, dtype=np.int64)
    np.add.at(sums, key, values)
    return sums

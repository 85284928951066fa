"""The run log: one row per run of a workflow, orchestrated or baseline (PRODUCT.md section 3).

Pure module: pandas, pyarrow, numpy and the standard library; no clock (``as_of`` is today).
Issue 13's budget: a million-row run log imports in at most 1.5 times the time of a bare
``pandas.read_csv(engine="pyarrow")`` of the same file (tests/perf/runlog_import_perf.py).
So the upload's UTF-8 bytes are parsed in place (``read_upload_utf8``: no str in between),
pyarrow's parallel reader types the columns as it parses, every check is an array
operation, repeated run ids are looked for on a second core, and the daily sums are
bincounts over one integer key per run. Only when something is wrong is the file read
again as text, to name each bad value as it was written.

Columns (header names match case-insensitively, spaces and hyphens as underscores; other
columns are ignored; a ``mapping`` names them otherwise, see ``layout``):

================  ==========================================================================
run_id            required, non-empty; unique (an exact repeat of a row is counted once)
started_at        required, ISO 8601 date-time, with or without zone (none = UTC)
ended_at          optional column and value; not before started_at
status            succeeded | failed | running (also success, ok; error, failure)
arm               orchestrated | baseline (also orch, base)
steps_total       whole number 0..MAX_STEPS
steps_succeeded   whole number, at most steps_total
ai_steps          whole number, at most steps_total: AI-driven steps executed
stopped_at_step   optional: the step where the run stopped, as written
================  ==========================================================================

Date-times must fall between 2000-01-01 and the end of the day after ``as_of``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workflows.data.imports.errors import Problems
from workflows.data.imports.header import ISO_TIMESTAMP
from workflows.data.imports.layout import US, is_identity, locale_of, read_mapped
from workflows.data.imports.runlog_tables import (
    ARMS,
    DAILY_COLUMNS,
    STATUSES,
    daily_frame,
    runs_frame,
)
from workflows.data.imports.table import Rows, read_rows
from workflows.data.imports.timestamps import parse_timestamps
from workflows.data.imports.upload import CsvBytes
from workflows.data.imports.values import (
    NULL_CODE,
    dictionary_map,
    duplicate_rows,
    parse_choice,
    parse_counts,
    require,
    rows_where,
    show,
    surely_unique_as_trimmed,
    to_numpy,
)

__all__ = [
    "ARMS",
    "ARM_ALIASES",
    "DAILY_COLUMNS",
    "MAX_STEPS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "RUN_LOG_COLUMNS",
    "STATUSES",
    "STATUS_ALIASES",
    "RunLogImport",
    "parse_run_log",
]

RUN_LOG_COLUMNS = (
    "run_id",
    "started_at",
    "ended_at",
    "status",
    "arm",
    "steps_total",
    "steps_succeeded",
    "ai_steps",
    "stopped_at_step",
)
OPTIONAL_COLUMNS = ("ended_at", "stopped_at_step")
REQUIRED_COLUMNS = tuple(c for c in RUN_LOG_COLUMNS if c not in OPTIONAL_COLUMNS)

STATUS_ALIASES = {"success": "succeeded", "ok": "succeeded", "error": "failed", "failure": "failed"}
ARM_ALIASES = {"orch": "orchestrated", "base": "baseline"}
MAX_STEPS = 10_000
WANTED = {column: (column,) for column in RUN_LOG_COLUMNS}
_NAMES = pa.dictionary(pa.int32(), pa.string())
# What the fast reader converts while it parses; any value that does not convert sends the
# file to the exact checks on text.
FAST_TYPES = {
    "started_at": ISO_TIMESTAMP,
    "ended_at": ISO_TIMESTAMP,
    "status": _NAMES,
    "arm": _NAMES,
    "steps_total": pa.int64(),
    "steps_succeeded": pa.int64(),
    "ai_steps": pa.int64(),
    "stopped_at_step": _NAMES,
}


@dataclass(frozen=True)
class RunLogImport:
    """A checked run log.

    ``runs``: one row per run, in file order: run_id (str), started_at and ended_at
    (datetime64[ns, UTC]; ended_at NaT when empty), status and arm (pandas Categorical of
    STATUSES and ARMS, the canonical spellings above), steps_total, steps_succeeded,
    ai_steps (int64), stopped_at_step (str, "" when empty).

    ``daily``: runs grouped by (day = started_at's UTC date as ``datetime.date``, arm,
    status, stopped_at_step) with runs (count) and the sums of ai_steps, steps_total and
    steps_succeeded (int64), sorted by those four keys.

    ``row_count`` is the number of runs (rows of ``runs``); ``duplicate_ids`` counts rows
    left out because they repeated an earlier row exactly (same run_id, same values).
    """

    runs: pd.DataFrame
    daily: pd.DataFrame
    row_count: int
    duplicate_ids: int


def parse_run_log(
    text: str | CsvBytes,
    *,
    as_of: date,
    mapping: Mapping[str, str] | None = None,
    key_columns: Sequence[str] = (),
    locale: str = US.code,
) -> RunLogImport:
    """Check and type a run log CSV: a RunLogImport.

    ``text`` is what ``read_upload_utf8`` returns (the upload's UTF-8 bytes, read in place:
    the fast path) or the text ``read_upload`` returns; both give the same result and the
    same problems.

    ``mapping`` (our column -> header as written), ``key_columns`` (make run_id from these
    when it is not mapped) and ``locale`` are as ``layout`` describes; without them the file
    names its columns as ours and is read on the fast path the performance budget measures.

    Raises:
        ValueError: ``mapping`` names a column we do not have, or an unknown ``locale``.
        CsvImportError: the file cannot be read as a CSV, lacks a required column, has no
            data rows, or has any bad row; every problem is listed with its line number
            (header = line 1) and column, and nothing is returned.
    """
    chosen = locale_of(locale)
    if mapping is not None and set(mapping) == set(RUN_LOG_COLUMNS) and is_identity(mapping):
        mapping = None  # every column named as ours: the very same read as without a mapping

    def read(problems: Problems, types: Mapping[str, pa.DataType] | None) -> Rows:
        if mapping is None and not key_columns and chosen is US:
            return read_rows(
                text, WANTED, required=REQUIRED_COLUMNS, problems=problems, types=types
            )
        return read_mapped(
            text,
            columns=RUN_LOG_COLUMNS,
            mapping=mapping,
            required=REQUIRED_COLUMNS,
            problems=problems,
            key="run_id",
            key_columns=key_columns,
            locale=chosen,
            types=types,
        )

    problems = Problems()
    rows = read(problems, FAST_TYPES)
    result = _import(rows, problems, as_of)
    if problems and rows.typed:
        # Some value is out of bounds: read the file again as text so every problem is
        # reported with the value as written, exactly as a file that failed to convert.
        problems = Problems()
        rows = read(problems, None)
        result = _import(rows, problems, as_of)
    problems.raise_if_any()
    if result is None:  # pragma: no cover - _import returns None only with problems
        raise RuntimeError("run log import failed without a problem")
    return result


def _import(rows: Rows, problems: Problems, as_of: date) -> RunLogImport | None:
    """Check every row; the import, or None when ``problems`` has some."""
    columns = dict(rows.columns)
    for column in OPTIONAL_COLUMNS:
        if column not in columns:
            columns[column] = pa.chunked_array([pa.nulls(len(rows), pa.string())])
    # Looking for repeated run ids is the costliest check, so it runs on a second core while
    # this one checks the other values. Then, hoping for no repeats, the second core builds
    # the runs table while this one sums the days.
    with ThreadPoolExecutor(max_workers=1) as pool:
        repeats_job = pool.submit(_repeated_run_ids, columns["run_id"])
        typed = _check_values(columns, problems, as_of)
        runs_job = None if problems else pool.submit(runs_frame, typed, None)
        daily = None if problems else daily_frame(typed, None)
        run_ids, later, first = repeats_job.result()
        runs = runs_job.result() if runs_job else None
    require(run_ids, "run_id", problems)
    exact = _exact_repeats(typed, later, first)
    conflicting = ~exact
    problems.add_rows(
        later[conflicting],
        "run_id",
        _repeat_message(run_ids, later[conflicting], first[conflicting], problems),
    )
    if problems or runs is None or daily is None:
        return None
    typed["run_id"] = run_ids
    runs.insert(0, "run_id", run_ids.to_pandas())
    if exact.any():
        keep = np.ones(len(rows), dtype=bool)
        keep[later[exact]] = False
        runs, daily = runs_frame(typed, keep), daily_frame(typed, keep)
    return RunLogImport(runs=runs, daily=daily, row_count=len(runs), duplicate_ids=int(exact.sum()))


def _repeated_run_ids(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray, np.ndarray]:
    """The trimmed run ids, the rows repeating an earlier id, and the rows they repeat."""
    if surely_unique_as_trimmed(column):  # the usual file: nothing to trim, no repeat
        none = np.zeros(0, np.int64)
        return column, none, none
    run_ids = _run_ids(column)
    return (run_ids, *duplicate_rows(run_ids))


def _run_ids(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Run ids without surrounding spaces; null where empty."""
    run_ids = pc.ascii_trim_whitespace(column)
    if len(run_ids) and pc.min(pc.binary_length(run_ids)).as_py() == 0:
        empty = pc.equal(pc.binary_length(run_ids), 0)
        run_ids = pc.if_else(empty, pa.scalar(None, pa.string()), run_ids)
    return run_ids


def _check_values(
    columns: dict[str, pa.ChunkedArray], problems: Problems, as_of: date
) -> dict[str, Any]:
    """Every per-row check but those of run_id; returns the typed columns but run_id
    (placeholders where bad)."""
    require(columns["started_at"], "started_at", problems)
    started = parse_timestamps(columns["started_at"], "started_at", problems, as_of=as_of)
    ended = parse_timestamps(columns["ended_at"], "ended_at", problems, as_of=as_of)
    status = parse_choice(
        columns["status"], "status", problems, aliases=STATUS_ALIASES, choices=STATUSES
    )
    arm = parse_choice(columns["arm"], "arm", problems, aliases=ARM_ALIASES, choices=ARMS)
    counts = {
        name: parse_counts(columns[name], name, problems, maximum=MAX_STEPS)
        for name in ("steps_total", "steps_succeeded", "ai_steps")
    }
    total = counts["steps_total"]
    for name in ("steps_succeeded", "ai_steps"):
        over = np.flatnonzero(counts[name] > total)
        over = over[total[over] >= 0]  # where steps_total is known
        problems.add_rows(
            over,
            name,
            _more_than_total(counts[name], total),
        )
    backwards = pc.less(ended, started)
    if pc.any(backwards).as_py():
        problems.add_rows(
            rows_where(backwards),
            "ended_at",
            lambda row: (
                f"{show(columns['ended_at'], row)} is before started_at "
                f"{show(columns['started_at'], row)}."
            ),
        )
    return {
        "started_at": started,
        "ended_at": ended,
        "status": status,
        "arm": arm,
        **counts,
        "stopped_at_step": _steps(columns["stopped_at_step"]),
    }


def _steps(column: pa.ChunkedArray) -> tuple[list[str], np.ndarray]:
    """stopped_at_step as sorted distinct names (trimmed, "" for empty) and a code per row."""
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    written = {
        (value or "").strip() for chunk in column.chunks for value in chunk.dictionary.to_pylist()
    }
    names = sorted({*written, ""})
    position = {name: index for index, name in enumerate(names)}
    codes = dictionary_map(
        column,
        lambda value: position[(value or "").strip()],
        null_code=position[""],
        dtype=np.int32,
    )
    return names, codes


def _exact_repeats(typed: dict[str, Any], later: np.ndarray, first: np.ndarray) -> np.ndarray:
    """For each repeated run id, whether its row means exactly what the first row means
    (same times, status, arm, counts and step, however they were written)."""
    same = np.ones(later.size, dtype=bool)
    if not later.size:
        return same
    for name in ("started_at", "ended_at"):
        values = to_numpy(pc.cast(typed[name], pa.int64()), NULL_CODE)
        same &= values[later] == values[first]
    for name in ("status", "arm", "steps_total", "steps_succeeded", "ai_steps"):
        same &= typed[name][later] == typed[name][first]
    codes = typed["stopped_at_step"][1]
    result: np.ndarray = same & (codes[later] == codes[first])
    return result


def _more_than_total(counts: np.ndarray, total: np.ndarray) -> Callable[[int], str]:
    def message(row: int) -> str:
        return f"{counts[row]} is more than steps_total ({total[row]})."

    return message


def _repeat_message(
    run_ids: Any, later: np.ndarray, first: np.ndarray, problems: Problems
) -> Callable[[int], str]:
    first_of = dict(zip(later.tolist(), first.tolist(), strict=True))

    def message(row: int) -> str:
        line = problems.line_of(first_of[row])
        return (
            f"run_id {show(run_ids, row)} is also on line {line} with different values; "
            "each run needs its own run_id."
        )

    return message

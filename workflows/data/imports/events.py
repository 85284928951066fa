"""Downstream events: booked calls, opportunities and closed-won deals, tied to runs or
triggers (PRODUCT.md section 3, the day-60 review).

Pure module: pandas, pyarrow, numpy and the standard library; no clock.

Columns: occurred_at (ISO 8601 date-time, no zone = UTC), kind, arm (orchestrated |
baseline, also orch | base), and optionally event_id and run_id. Header names match
case-insensitively, spaces and hyphens as underscores; other columns are ignored. A
``mapping`` names them otherwise, and ``key_columns`` make a stable event_id (``layout``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workflows.data.imports.errors import Problems
from workflows.data.imports.layout import US, locale_of, read_mapped
from workflows.data.imports.runlog import ARM_ALIASES, ARMS
from workflows.data.imports.timestamps import parse_timestamps
from workflows.data.imports.values import duplicate_rows, parse_choice, require, show

EVENT_COLUMNS = ("occurred_at", "kind", "arm", "event_id", "run_id")
REQUIRED_COLUMNS = ("occurred_at", "kind", "arm")
EVENT_KINDS = ("booked_call", "opportunity", "closed_won")
KIND_ALIASES = {
    "meeting booked": "booked_call",
    "booked call": "booked_call",
    "call booked": "booked_call",
    "meeting": "booked_call",
    "opp": "opportunity",
    "opportunity created": "opportunity",
    "won": "closed_won",
    "closed won": "closed_won",
}


def parse_events(
    text: str,
    *,
    as_of: date,
    mapping: Mapping[str, str] | None = None,
    key_columns: Sequence[str] = (),
    locale: str = US.code,
) -> pd.DataFrame:
    """Check and type a downstream-events CSV.

    Returns one row per event, in file order, with columns occurred_at (datetime64[ns,
    UTC]), kind (str: booked_call | opportunity | closed_won; "meeting booked", "booked
    call" and "meeting" mean booked_call, "opp" and "opportunity created" opportunity,
    "won" and "closed won" closed_won), arm (str: orchestrated | baseline), event_id (str; the
    line number when the column or the cell is empty) and run_id (str as written, "" when
    empty). occurred_at must fall between 2000-01-01 and the day after ``as_of``.

    Raises:
        ValueError: ``mapping`` names a column we do not have, or an unknown ``locale``.
        CsvImportError: unreadable file, missing column, no data rows, or any bad row (empty
            or malformed value, a repeated event_id), each listed with its line.
    """
    problems = Problems()
    rows = read_mapped(
        text,
        columns=EVENT_COLUMNS,
        mapping=mapping,
        required=REQUIRED_COLUMNS,
        problems=problems,
        key="event_id",
        key_columns=key_columns,
        locale=locale_of(locale),
    )
    count = len(rows)
    occurred = parse_timestamps(rows.columns["occurred_at"], "occurred_at", problems, as_of=as_of)
    require(rows.columns["occurred_at"], "occurred_at", problems)
    kind = parse_choice(
        rows.columns["kind"], "kind", problems, aliases=KIND_ALIASES, choices=EVENT_KINDS
    )
    arm = parse_choice(rows.columns["arm"], "arm", problems, aliases=ARM_ALIASES, choices=ARMS)
    event_ids = _event_ids(rows.columns.get("event_id"), rows.lines)
    later, first = duplicate_rows(event_ids)
    first_of = dict(zip(later.tolist(), first.tolist(), strict=True))
    problems.add_rows(
        later,
        "event_id",
        lambda row: (
            f"event_id {show(event_ids, row)} is also on line {problems.line_of(first_of[row])}."
        ),
    )
    problems.raise_if_any()
    run_ids = rows.columns.get("run_id")
    return pd.DataFrame(
        {
            "occurred_at": occurred.to_pandas() if count else pd.Series([], dtype="M8[ns, UTC]"),
            "kind": pd.Series(np.asarray(EVENT_KINDS, dtype=object)[kind], dtype="str"),
            "arm": pd.Series(np.asarray(ARMS, dtype=object)[arm], dtype="str"),
            "event_id": pd.Series(event_ids.to_pandas(), dtype="str"),
            "run_id": pd.Series(
                [""] * count
                if run_ids is None
                else pc.fill_null(pc.utf8_trim_whitespace(run_ids), "").to_pandas(),
                dtype="str",
            ),
        }
    )


def _event_ids(given: pa.ChunkedArray | None, lines: np.ndarray) -> pa.ChunkedArray:
    """The event ids as written (trimmed), the line number where there is none."""
    generated = pa.array(lines.astype(str), pa.string())
    if given is None:
        return pa.chunked_array([generated], pa.string())
    trimmed = pc.utf8_trim_whitespace(given.combine_chunks())
    empty = pc.fill_null(pc.equal(trimmed, ""), True)
    return pa.chunked_array([pc.if_else(empty, generated, trimmed)], pa.string())

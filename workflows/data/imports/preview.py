"""Parse an upload of any kind with the user's settings, and preview its first rows.

Pure module: pandas and the standard library. ``parse_upload`` is what the background import
runs; ``preview_upload`` runs the same parser on a file's first rows so the mapping screen
shows each value as it will be stored, and each problem on the cell it belongs to, before
anything is queued.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from workflows.data.imports.errors import CsvImportError, RowProblem
from workflows.data.imports.events import parse_events
from workflows.data.imports.fields import (
    EVENTS,
    FIELDS,
    KEY_FIELDS,
    OPPORTUNITIES,
    RUNS,
    SPEND,
    suggest_settings,
)
from workflows.data.imports.layout import Head, ImportSettings, locale_of, read_head
from workflows.data.imports.opportunities import PRESETS, parse_opportunities
from workflows.data.imports.runlog import RunLogImport, parse_run_log
from workflows.data.imports.spend import parse_spend
from workflows.data.imports.upload import CsvBytes

# The columns the preview shows per kind (as the parser returns them), and where a problem
# with a field the preview does not show as a column is shown.
PREVIEW_COLUMNS = {
    RUNS: (
        "run_id",
        "started_at",
        "ended_at",
        "status",
        "arm",
        "steps_total",
        "steps_succeeded",
        "ai_steps",
        "stopped_at_step",
    ),
    EVENTS: ("event_id", "occurred_at", "kind", "arm", "run_id"),
    OPPORTUNITIES: (
        "opportunity_id",
        "created_date",
        "amount_usd",
        "stage",
        "close_date",
        "ai_flag",
        "touch_date",
    ),
    SPEND: ("month", "category", "amount_usd"),
}
_SHOWN_AT = {
    "is_won": "stage",
    "is_closed": "stage",
    "hours": "amount_usd",
    "rate_usd": "amount_usd",
}
_AMOUNTS = frozenset({"amount_usd"})


@dataclass(frozen=True)
class ParsedUpload:
    """A checked upload: one row per stored row (``rows``), and for a run log the whole
    RunLogImport (its daily sums are what is stored)."""

    kind: str
    rows: pd.DataFrame
    row_count: int
    run_log: RunLogImport | None = None
    carried: frozenset[str] | None = None  # fields the file maps (None: all of them)


def parse_upload(
    kind: str,
    text: str | CsvBytes,
    settings: ImportSettings,
    *,
    as_of: date,
    legacy_preset: str = "",
) -> ParsedUpload:
    """Check and type an upload of ``kind`` with ``settings``.

    ``text`` is the upload as ``read_upload_utf8`` (a run log is read from those bytes in
    place; the other kinds, a few thousand rows, are decoded first) or ``read_upload``
    returns it.

    Opportunities always go through a mapping: without one (an import queued before the
    mapping screen), ``legacy_preset``'s or else the one suggested from the headers.

    Raises:
        CsvImportError: anything wrong with the file, every bad row named by line.
        ValueError: an unknown kind, or settings naming unknown fields (a caller's bug).
    """
    if kind == RUNS:
        result = parse_run_log(
            text,
            as_of=as_of,
            mapping=settings.mapping,
            key_columns=settings.key_columns,
            locale=settings.locale,
        )
        return ParsedUpload(kind, result.runs, result.row_count, result)
    if isinstance(text, CsvBytes):
        text = text.decode()
    if kind == EVENTS:
        frame = parse_events(
            text,
            as_of=as_of,
            mapping=settings.mapping,
            key_columns=settings.key_columns,
            locale=settings.locale,
        )
        return ParsedUpload(kind, frame, len(frame))
    if kind == OPPORTUNITIES:
        mapping = settings.mapping
        if mapping is None:
            mapping = PRESETS.get(legacy_preset)
        if mapping is None:
            head = read_head(text, locale=locale_of(settings.locale), rows=0)
            settings = suggest_settings(kind, head.headers, locale=settings.locale)
            mapping = settings.mapping or {}
        frame = parse_opportunities(
            text,
            mapping=mapping,
            date_format=settings.date_format,
            as_of=as_of,
            key_columns=settings.key_columns,
            locale=settings.locale,
        )
        carried = frozenset(field for field, column in mapping.items() if column)
        return ParsedUpload(kind, frame, len(frame), carried=carried)
    if kind == SPEND:
        frame = parse_spend(text, as_of=as_of, mapping=settings.mapping, locale=settings.locale)
        return ParsedUpload(kind, frame, len(frame))
    raise ValueError(f"Unknown upload kind {kind!r}")


@dataclass(frozen=True)
class PreviewCell:
    """One parsed value as it will be stored (``text``, "" when empty) and the problems
    found in it."""

    text: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreviewRow:
    line: int
    cells: tuple[PreviewCell, ...]
    problems: tuple[str, ...] = ()  # about the row as a whole


@dataclass(frozen=True)
class Preview:
    """The first rows parsed with the chosen settings: ``columns`` (our names, with their
    ``labels``), one PreviewRow per row, and ``file_problems``, those about the whole file or
    mapping (a required field not chosen, a column chosen twice, no data rows), which stop
    the import being confirmed."""

    columns: tuple[str, ...]
    labels: tuple[str, ...]
    rows: tuple[PreviewRow, ...]
    file_problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def row_problem_count(self) -> int:
        return sum(
            len(row.problems) + sum(len(cell.problems) for cell in row.cells) for row in self.rows
        )


def preview_upload(kind: str, head: Head, settings: ImportSettings, *, as_of: date) -> Preview:
    """Parse ``head``'s rows with ``settings``: each value as it will be stored, and each
    problem on the row and cell it belongs to.

    The rows are parsed together (so dates are read in one order, as the whole file's will
    be); when that fails, each row is parsed alone as well so the good rows still show their
    values. A problem with the whole file comes back in ``file_problems`` instead.
    """
    columns = PREVIEW_COLUMNS[kind]
    labels_by_name = {f.name: f.label for f in FIELDS[kind]}
    labels = tuple(labels_by_name.get(name, name) for name in columns)
    notes = _notes(kind, settings)
    if head.problems:
        return Preview(columns, labels, (), tuple(p.describe() for p in head.problems), notes)
    if not head.rows:
        return Preview(columns, labels, (), ("The file has a header row but no data rows.",))
    values: dict[int, pd.Series] = {}
    problems: dict[int, list[RowProblem]] = {}
    try:
        parsed = parse_upload(kind, head.sample, settings, as_of=as_of)
    except CsvImportError as error:
        whole = [p for p in error.problems if p.line is None or p.line == 1]
        if whole:
            return Preview(columns, labels, (), tuple(p.describe() for p in whole), notes)
        for problem in error.problems:
            problems.setdefault(problem.line or 0, []).append(problem)
    else:
        if len(parsed.rows) == len(head.rows):
            values = {line: parsed.rows.iloc[i] for i, (line, _) in enumerate(head.rows)}
    for index, (line, _) in enumerate(head.rows):
        if line in values:
            continue
        try:
            alone = parse_upload(kind, head.row_alone(index), settings, as_of=as_of)
        except CsvImportError as error:
            if line not in problems:
                problems[line] = [p for p in error.problems if p.line == line]
        else:
            if len(alone.rows):
                values[line] = alone.rows.iloc[0]
    rows = tuple(
        _preview_row(line, values.get(line), problems.get(line, []), columns)
        for line, _ in head.rows
    )
    return Preview(columns, labels, rows, (), notes)


def _preview_row(
    line: int, values: pd.Series | None, problems: list[RowProblem], columns: tuple[str, ...]
) -> PreviewRow:
    by_column: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        column = _SHOWN_AT.get(problem.column or "", problem.column)
        if column in columns:
            by_column.setdefault(column, []).append(problem.message)
        else:
            general.append(problem.describe().removeprefix(f"Line {line}: "))
    cells = tuple(
        PreviewCell(
            "" if values is None or name in by_column else _show(name, values, values.get(name)),
            tuple(by_column.get(name, ())),
        )
        for name in columns
    )
    return PreviewRow(line, cells, tuple(general))


def _show(name: str, row: pd.Series, value: Any) -> str:
    """A stored value as the preview shows it."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if name == "stage" and row.get("crm_stage"):
        return f"{value} ({row['crm_stage']})"
    if name in _AMOUNTS:
        return f"{float(value):,.2f}"
    if isinstance(value, pd.Timestamp | datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _notes(kind: str, settings: ImportSettings) -> tuple[str, ...]:
    mapping = settings.mapping or {}
    notes = []
    if kind == OPPORTUNITIES:
        if not mapping.get("ai_flag"):
            notes.append("No AI touch column: every opportunity counts as non-AI (none).")
        if not mapping.get("stage") and not mapping.get("is_won"):
            notes.append("No stage column: every opportunity counts as open.")
    key_columns = ", ".join(f'"{column}"' for column in settings.key_columns)
    if key_columns and not mapping.get(KEY_FIELDS.get(kind, "")):
        notes.append(
            f"Each row's key is made from {key_columns}: uploading the same rows again "
            "updates them; a row whose values there change becomes a new row."
        )
    return tuple(notes)


def _key_field(kind: str) -> str:
    return {RUNS: "run_id", EVENTS: "event_id", OPPORTUNITIES: "opportunity_id"}.get(kind, "")

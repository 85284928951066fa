"""The fields of each upload kind, and the column mapping suggested for a file.

Pure module: the standard library. The mapping screen shows, for each field, the file's
column suggested for it: a CRM preset's header when the file matches a preset (HubSpot,
Salesforce), else the first header that is the field's name, label or a usual synonym
(English, and the German Excel exports of HubSpot and Salesforce). A file with no id column
gets key columns suggested (a deal's name and created date), see ``layout``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from workflows.data.imports.events import EVENT_COLUMNS
from workflows.data.imports.events import REQUIRED_COLUMNS as EVENT_REQUIRED
from workflows.data.imports.header import normalise_header
from workflows.data.imports.layout import ImportSettings
from workflows.data.imports.opportunities import OPPORTUNITY_FIELDS, PRESET_KEY_COLUMNS, PRESETS
from workflows.data.imports.opportunities import REQUIRED_FIELDS as OPPORTUNITY_REQUIRED
from workflows.data.imports.runlog import REQUIRED_COLUMNS as RUN_LOG_REQUIRED
from workflows.data.imports.runlog import RUN_LOG_COLUMNS
from workflows.data.imports.spend import REQUIRED_COLUMNS as SPEND_REQUIRED
from workflows.data.imports.spend import SPEND_COLUMNS

RUNS, EVENTS, OPPORTUNITIES, SPEND = "runs", "events", "opportunities", "spend"
KINDS = (RUNS, EVENTS, OPPORTUNITIES, SPEND)
# The field that identifies a row, which key columns can stand in for.
KEY_FIELDS = {RUNS: "run_id", EVENTS: "event_id", OPPORTUNITIES: "opportunity_id"}
# Columns that name a deal, for a key made of its name and created date.
_NAME_HEADERS = ("Opportunity Name", "Deal Name", "Name", "Verkaufschance", "Dealname")


@dataclass(frozen=True)
class Field:
    """One field of an upload kind: ``name`` (ours), ``label`` and ``help`` for the user,
    whether the file must have it, and header names that suggest it."""

    name: str
    label: str
    required: bool
    help: str
    synonyms: tuple[str, ...] = ()


def _fields(
    columns: Sequence[str], required: Iterable[str], specs: Mapping[str, tuple[Any, ...]]
) -> tuple[Field, ...]:
    needed = set(required)
    return tuple(Field(c, specs[c][0], c in needed, specs[c][1], specs[c][2]) for c in columns)


FIELDS: dict[str, tuple[Field, ...]] = {
    RUNS: _fields(
        RUN_LOG_COLUMNS,
        RUN_LOG_REQUIRED,
        {
            "run_id": ("Run id", "One id per run.", ("Run", "Execution ID", "ID")),
            "started_at": (
                "Started at",
                "ISO 8601 date-time; no zone means UTC.",
                ("Start", "Started", "Start time", "StartedAt"),
            ),
            "ended_at": ("Ended at", "ISO 8601 date-time.", ("End", "Ended", "Stopped at")),
            "status": ("Status", "succeeded, failed or running.", ("State", "Result")),
            "arm": ("Arm", "orchestrated or baseline.", ("Variant", "Group", "Mode")),
            "steps_total": ("Steps in total", "A whole number.", ("Steps", "Total steps")),
            "steps_succeeded": ("Steps succeeded", "A whole number.", ("Succeeded steps",)),
            "ai_steps": (
                "AI-driven steps executed",
                "A whole number.",
                ("AI steps executed", "AI driven steps"),
            ),
            "stopped_at_step": ("Stopped at step", "The step's name.", ("Failed step",)),
        },
    ),
    EVENTS: _fields(
        EVENT_COLUMNS,
        EVENT_REQUIRED,
        {
            "occurred_at": (
                "Occurred at",
                "ISO 8601 date-time.",
                ("Timestamp", "Date", "Time", "Event time"),
            ),
            "kind": (
                "Kind",
                "booked_call, opportunity or closed_won.",
                ("Type", "Event", "Event type"),
            ),
            "arm": ("Arm", "orchestrated or baseline.", ("Variant", "Group")),
            "event_id": (
                "Event id",
                "Without one, a row's key is its line, or the key columns below.",
                ("ID", "Event"),
            ),
            "run_id": ("Run id", "The run that led to it.", ("Run",)),
        },
    ),
    OPPORTUNITIES: _fields(
        OPPORTUNITY_FIELDS,
        OPPORTUNITY_REQUIRED,
        {
            "opportunity_id": (
                "Opportunity id",
                "Kept as written. Without one, choose key columns below.",
                ("Record ID", "Opportunity ID", "Deal ID", "ID"),
            ),
            "created_date": (
                "Created date",
                "When the opportunity was created.",
                ("Create Date", "Created Date", "Created", "Erstellt am", "Erstellungsdatum"),
            ),
            "amount_usd": (
                "Amount (USD)",
                "Taken as US dollars.",
                ("Amount", "Deal Value", "Value", "Betrag"),
            ),
            "ai_flag": (
                "AI touch",
                "AI-generated, AI-assisted, AI-scored or none. Without it, every deal is none.",
                ("AI Touch", "AI Flag", "KI-Kontakt"),
            ),
            "touch_date": (
                "AI touch date",
                "For time-decay weighting.",
                ("AI Touch Date", "KI-Kontakt am"),
            ),
            "stage": (
                "Stage",
                "Closed Won is won, Closed Lost lost, anything else open.",
                ("Deal Stage", "Stage", "Phase", "Verkaufsphase"),
            ),
            "close_date": (
                "Close date",
                "Expected or actual.",
                ("Close Date", "Closed Date", "Abschlussdatum"),
            ),
            "is_won": ("Is won", "With Is closed: Salesforce's pair.", ("Won", "IsWon")),
            "is_closed": ("Is closed", "With Is won.", ("Closed", "IsClosed")),
        },
    ),
    SPEND: _fields(
        SPEND_COLUMNS,
        SPEND_REQUIRED,
        {
            "month": ("Month", "2026-03, or a date in the month.", ("Period", "Monat")),
            "category": (
                "Category",
                "subscription, model_usage or maintenance.",
                ("Type", "Kategorie"),
            ),
            "amount_usd": ("Amount (USD)", "Taken as US dollars.", ("Amount", "Cost", "Betrag")),
            "hours": ("Hours", "Maintenance time.", ("Stunden",)),
            "rate_usd": ("Rate (USD an hour)", "Maintenance rate.", ("Rate", "Hourly rate")),
        },
    ),
}


@dataclass(frozen=True)
class BuiltinMapping:
    """A mapping the app ships with (a CRM preset), offered beside the saved ones."""

    code: str
    label: str
    settings: ImportSettings


BUILTIN_MAPPINGS: dict[str, tuple[BuiltinMapping, ...]] = {kind: () for kind in KINDS} | {
    OPPORTUNITIES: (
        BuiltinMapping(
            "hubspot",
            "HubSpot deals export",
            ImportSettings(
                mapping=PRESETS["hubspot"],
                key_columns=PRESET_KEY_COLUMNS["hubspot"],
                name="HubSpot deals export",
            ),
        ),
        BuiltinMapping(
            "salesforce",
            "Salesforce opportunity report",
            ImportSettings(
                mapping=PRESETS["salesforce"],
                key_columns=PRESET_KEY_COLUMNS["salesforce"],
                name="Salesforce opportunity report",
            ),
        ),
    )
}


def builtin_mapping(kind: str, code: str) -> BuiltinMapping | None:
    return next((m for m in BUILTIN_MAPPINGS.get(kind, ()) if m.code == code), None)


def fit_to_headers(settings: ImportSettings, headers: Sequence[str]) -> ImportSettings:
    """``settings`` with each mapped header and key column spelled as this file writes it;
    fields and key columns the file lacks are left out (a saved mapping met a new file)."""
    written: dict[str, str] = {}
    for header in headers:
        if header.strip():
            written.setdefault(normalise_header(header), header)
    mapping = {
        name: written[normalise_header(header)]
        for name, header in (settings.mapping or {}).items()
        if header and normalise_header(header) in written
    }
    keys = tuple(
        written[normalise_header(h)] for h in settings.key_columns if normalise_header(h) in written
    )
    return replace(
        settings,
        mapping=mapping,
        key_columns=keys if len(keys) == len(settings.key_columns) else (),
    )


def suggest_settings(kind: str, headers: Sequence[str], *, locale: str) -> ImportSettings:
    """The mapping suggested for a file with these headers (see the module docstring): a
    preset's headers when at least two of them are in the file (the one matching most
    wins), then each remaining field's name, label or synonym, each header used once.

    Raises:
        ValueError: an unknown ``kind`` (a caller's bug).
    """
    if kind not in FIELDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    written: dict[str, str] = {}
    for header in headers:
        if header.strip():
            written.setdefault(normalise_header(header), header)
    base = ImportSettings(mapping={}, locale=locale)
    best = 1
    for builtin in BUILTIN_MAPPINGS[kind]:
        fitted = fit_to_headers(builtin.settings, headers)
        if len(fitted.mapping or {}) > best:
            best = len(fitted.mapping or {})
            base = replace(fitted, locale=locale)
    mapping = dict(base.mapping or {})
    used = {normalise_header(h) for h in mapping.values()}
    for field in FIELDS[kind]:
        if field.name in mapping:
            continue
        for candidate in (field.name, field.label, *field.synonyms):
            key = normalise_header(candidate)
            if key in written and key not in used:
                mapping[field.name] = written[key]
                used.add(key)
                break
    key_columns = base.key_columns
    key_field = KEY_FIELDS.get(kind)
    if key_field and key_field in mapping:
        key_columns = ()
    elif kind == OPPORTUNITIES and not key_columns and "created_date" in mapping:
        name = next(
            (written[k] for h in _NAME_HEADERS if (k := normalise_header(h)) in written), None
        )
        key_columns = (name, mapping["created_date"]) if name else ()
    return replace(base, mapping=mapping, key_columns=key_columns)

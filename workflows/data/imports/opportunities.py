"""Opportunities from a CRM export, with a column mapping (PRODUCT.md section 3, day 90).

Pure module: pandas, pyarrow, numpy and the standard library; no clock.

A CRM writes its own headers, so the caller passes a mapping from our field to the header
in the file; ``PRESETS`` holds the mappings for a HubSpot deals export and a Salesforce
opportunity report, and ``suggest_mapping`` picks one from a file's headers.

Fields (OPPORTUNITY_FIELDS): opportunity_id (kept exactly as written: "00123" stays
"00123"; or made from ``key_columns``, see ``layout``), created_date, amount_usd, and
optionally ai_flag (how AI touched the deal: AI-generated, AI-assisted, AI-scored or none,
as the public attribution method defines them; without the column every deal is none),
touch_date (the AI touch's date, for time-decay weighting), stage (the CRM's stage name),
close_date (expected or actual), and the pair is_won / is_closed as Salesforce exports them.

Each opportunity is open, won or lost (STAGES). From is_won / is_closed when both are
mapped: not closed is open, closed and won is won, closed and not won is lost. Otherwise
from the stage name: HubSpot's "closedwon" / "Closed Won" and Salesforce's "Closed Won" are
won, "closedlost" / "Closed Lost" lost (also plain "Won" / "Lost" and the German labels),
anything else, or no stage column, open.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workflows.data.imports.dates import parse_dates
from workflows.data.imports.errors import CsvImportError, Problems
from workflows.data.imports.header import normalise_header
from workflows.data.imports.layout import US, locale_of, read_mapped
from workflows.data.imports.values import (
    BAD_CODE,
    NULL_CODE,
    duplicate_rows,
    normalise_choice,
    parse_amounts,
    parse_choice,
    require,
    show,
    trimmed,
)

OPPORTUNITY_FIELDS = (
    "opportunity_id",
    "created_date",
    "amount_usd",
    "ai_flag",
    "touch_date",
    "stage",
    "close_date",
    "is_won",
    "is_closed",
)
REQUIRED_FIELDS = ("opportunity_id", "created_date", "amount_usd")
# The columns of the frame parse_opportunities returns.
OPPORTUNITY_COLUMNS = (
    "opportunity_id",
    "created_date",
    "amount_usd",
    "ai_flag",
    "touch_date",
    "stage",
    "crm_stage",
    "close_date",
)
OPEN, WON, LOST = "open", "won", "lost"
STAGES = (OPEN, WON, LOST)
# Stage names with everything but letters taken out, lower case.
WON_STAGES = frozenset(
    {"closedwon", "won", "gewonnen", "abgeschlossenundgewonnen", "geschlossenundgewonnen"}
)
LOST_STAGES = frozenset(
    {"closedlost", "lost", "verloren", "abgeschlossenundverloren", "geschlossenundverloren"}
)
PRESETS: dict[str, dict[str, str]] = {
    # HubSpot, CRM > Deals > Export: "AI Touch" and "AI Touch Date" are our custom deal
    # properties; HubSpot writes dates as "2026-03-04 14:22" and amounts as plain numbers,
    # and the deal stage by its label ("Closed Won"), or by its id ("closedwon") via the API.
    "hubspot": {
        "opportunity_id": "Record ID",
        "created_date": "Create Date",
        "amount_usd": "Amount",
        "ai_flag": "AI Touch",
        "touch_date": "AI Touch Date",
        "stage": "Deal Stage",
        "close_date": "Close Date",
    },
    # Salesforce opportunity report, Export > Details only > CSV: the custom fields
    # AI_Touch__c and AI_Touch_Date__c appear under their labels; dates follow the user's
    # locale (3/4/2026 in the US), amounts read "$12,500.00" or "USD 12,500.00". A report
    # without the "Opportunity ID" column is keyed by PRESET_KEY_COLUMNS instead.
    "salesforce": {
        "opportunity_id": "Opportunity ID",
        "created_date": "Created Date",
        "amount_usd": "Amount",
        "ai_flag": "AI Touch",
        "touch_date": "AI Touch Date",
        "stage": "Stage",
        "close_date": "Close Date",
    },
}
PRESET_KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "hubspot": ("Deal Name", "Create Date"),
    "salesforce": ("Opportunity Name", "Created Date"),
}
AI_FLAGS = ("generated", "assisted", "scored", "none")
AI_FLAG_ALIASES = {
    "ai generated": "generated",
    "aigenerated": "generated",
    "ai assisted": "assisted",
    "aiassisted": "assisted",
    "ai scored": "scored",
    "aiscored": "scored",
    "no": "none",
    "false": "none",
    "no ai": "none",
    "non ai": "none",
    # German exports (Excel, HubSpot and Salesforce in German).
    "ki generiert": "generated",
    "ki unterstützt": "assisted",
    "ki bewertet": "scored",
    "keine": "none",
    "nein": "none",
}
# Says that AI touched the deal but not how, so it cannot be credited either way.
_VAGUE_FLAGS = frozenset({"yes", "true", "y", "1", "ai", "x"})
_BOOLEANS = ("false", "true")
_BOOLEAN_ALIASES = {
    "0": "false",
    "no": "false",
    "n": "false",
    "unchecked": "false",
    "1": "true",
    "yes": "true",
    "y": "true",
    "x": "true",
    "checked": "true",
}
_NOT_LETTERS = re.compile(r"[^a-z]")


def parse_opportunities(
    text: str,
    *,
    mapping: Mapping[str, str],
    date_format: str | None = None,
    as_of: date,
    key_columns: Sequence[str] = (),
    locale: str = US.code,
) -> pd.DataFrame:
    """Check and type a CRM export of opportunities.

    ``mapping`` maps our field (OPPORTUNITY_FIELDS) to the header in the file, matched
    case-insensitively with spaces, hyphens and underscores alike (a Salesforce API name's
    ``__c`` suffix is ignored); the optional fields may be left out, and opportunity_id too
    when ``key_columns`` name the columns to make it from. ``date_format`` is "MM/DD/YYYY",
    "DD/MM/YYYY" or None (ISO and dotted dates are always accepted; see
    ``dates.parse_dates``). ``locale`` is a ``layout.LOCALES`` code.

    Returns one row per opportunity, in file order, with OPPORTUNITY_COLUMNS:
    opportunity_id (str as written, trimmed, or the made key), created_date
    (``datetime.date``), amount_usd (float64, USD, >= 0), ai_flag (str: generated |
    assisted | scored | none; blank is none; "AI-generated", "AI assisted", "ai_scored" and
    the like are accepted, "yes"/"true" are refused as they do not say which), touch_date
    (``datetime.date`` or NaT), stage (open | won | lost), crm_stage (the stage as written,
    "" without one) and close_date (``datetime.date`` or NaT; may lie in the future).

    Raises:
        ValueError: ``mapping`` names a field we do not have, or ``date_format`` or
            ``locale`` is not one of the choices (a caller's bug, not the file's).
        CsvImportError: a required field is not mapped, only one of is_won / is_closed is,
            a mapped header is missing, no data rows, ambiguous slash dates without
            ``date_format``, or any bad row (empty id, repeated id, bad date, negative or
            malformed amount, unknown AI flag, a won deal that is not closed).
    """
    unknown = sorted(set(mapping) - set(OPPORTUNITY_FIELDS))
    if unknown:
        raise ValueError(f"Unknown fields in mapping: {', '.join(unknown)}")
    keyed = bool(key_columns) and not mapping.get("opportunity_id")
    unmapped = [
        field
        for field in REQUIRED_FIELDS
        if not mapping.get(field) and not (field == "opportunity_id" and keyed)
    ]
    if unmapped:
        raise CsvImportError.single(f"Choose the column that holds: {', '.join(unmapped)}.", line=1)
    if bool(mapping.get("is_won")) != bool(mapping.get("is_closed")):
        raise CsvImportError.single(
            "Choose the columns for both is_won and is_closed, or neither: one alone does not "
            "say whether a deal is open, won or lost.",
            line=1,
        )
    chosen = locale_of(locale)
    problems = Problems()
    rows = read_mapped(
        text,
        columns=OPPORTUNITY_FIELDS,
        mapping=mapping,
        required=REQUIRED_FIELDS,
        problems=problems,
        key="opportunity_id",
        key_columns=key_columns,
        locale=chosen,
    )
    columns = rows.columns
    ids = pc.utf8_trim_whitespace(columns["opportunity_id"])
    ids = pc.if_else(pc.equal(ids, ""), pa.scalar(None, pa.string()), ids)
    require(ids, "opportunity_id", problems)
    later, first = duplicate_rows(ids)
    first_of = dict(zip(later.tolist(), first.tolist(), strict=True))
    made_from = " and ".join(f'"{header}"' for header in dict.fromkeys(key_columns))
    problems.add_rows(
        later,
        "opportunity_id",
        lambda row: (
            f"The same {made_from} as line {problems.line_of(first_of[row])}: each "
            "opportunity once (its key is made from those columns)."
            if keyed
            else f"{show(ids, row)} is also on line {problems.line_of(first_of[row])}: "
            "each opportunity once."
        ),
    )
    date_columns = {"created_date": columns["created_date"]}
    for optional in ("touch_date", "close_date"):
        if optional in columns:
            date_columns[optional] = columns[optional]
    require(columns["created_date"], "created_date", problems)
    dates = parse_dates(
        date_columns,
        problems,
        date_format=date_format,
        as_of=as_of,
        ahead=frozenset({"close_date"}),
    )
    amounts = parse_amounts(
        columns["amount_usd"], "amount_usd", problems, decimal_comma=chosen.decimal_comma
    )
    count = len(rows)
    flags = (
        _parse_flags(columns["ai_flag"], problems)
        if "ai_flag" in columns
        else np.full(count, AI_FLAGS.index("none"))
    )
    stages, crm_stage = _parse_stages(columns, problems, count)
    problems.raise_if_any()
    missing = np.full(count, np.datetime64("NaT", "D"))
    return pd.DataFrame(
        {
            "opportunity_id": pd.Series(ids.to_pandas(), dtype="str"),
            "created_date": _as_dates(dates["created_date"]),
            "amount_usd": amounts.astype(np.float64),
            "ai_flag": pd.Series(np.asarray(AI_FLAGS, dtype=object)[flags], dtype="str"),
            "touch_date": _as_dates(dates.get("touch_date", missing)),
            "stage": pd.Series(np.asarray(STAGES, dtype=object)[stages], dtype="str"),
            "crm_stage": pd.Series(crm_stage, dtype="str"),
            "close_date": _as_dates(dates.get("close_date", missing)),
        }
    )


def stage_of(name: str | None) -> str:
    """open, won or lost for a CRM stage name (see the module docstring)."""
    key = _NOT_LETTERS.sub("", (name or "").lower())
    if key in WON_STAGES:
        return WON
    if key in LOST_STAGES:
        return LOST
    return OPEN


def _parse_stages(
    columns: Mapping[str, pa.ChunkedArray], problems: Problems, count: int
) -> tuple[np.ndarray, list[str]]:
    """A STAGES index per row, and the stage names as written ("" where none)."""
    names: list[str] = [""] * count
    codes = np.full(count, STAGES.index(OPEN))
    if "stage" in columns:
        text = trimmed(columns["stage"])
        names = [value or "" for value in text.to_pylist()]
        lookup = {name: STAGES.index(stage_of(name)) for name in set(names)}
        codes = np.array([lookup[name] for name in names], dtype=np.int64)
    if "is_won" in columns and "is_closed" in columns:
        won = _parse_boolean(columns["is_won"], "is_won", problems)
        closed = _parse_boolean(columns["is_closed"], "is_closed", problems)
        codes = np.where(closed, np.where(won, STAGES.index(WON), STAGES.index(LOST)), 0)
        problems.add_rows(
            np.flatnonzero(won & ~closed),
            "is_won",
            "The deal is won but not closed: a won deal is closed. Check is_closed.",
        )
    return codes, names


def _parse_boolean(column: pa.ChunkedArray, name: str, problems: Problems) -> np.ndarray:
    """True / false (also 1 / 0, yes / no, x; blank is false) -> bool per row."""
    checked = Problems(problems.lines)
    codes = parse_choice(
        column, name, checked, aliases=_BOOLEAN_ALIASES, choices=_BOOLEANS, required=False
    )
    problems.add_rows(
        np.flatnonzero(codes == BAD_CODE),
        name,
        lambda row: f"{show(column, row)} is not true or false: use 1 or 0, true or false.",
    )
    is_true: np.ndarray = codes == _BOOLEANS.index("true")
    return is_true


def _parse_flags(column: pa.ChunkedArray, problems: Problems) -> np.ndarray:
    checked = Problems(problems.lines)
    codes = parse_choice(
        column,
        "ai_flag",
        checked,
        aliases=AI_FLAG_ALIASES,
        choices=AI_FLAGS,
        required=False,
    )

    def message(row: int) -> str:
        value = column[row].as_py() or ""
        if normalise_choice(value) in _VAGUE_FLAGS:
            return (
                f"{show(column, row)} does not say how AI touched the deal: use AI-generated, "
                "AI-assisted, AI-scored or none."
            )
        return (
            f"{show(column, row)} is not an AI flag: use AI-generated, AI-assisted, AI-scored "
            "or none (blank means none)."
        )

    problems.add_rows(np.flatnonzero(codes == BAD_CODE), "ai_flag", message)
    return np.where(codes == NULL_CODE, AI_FLAGS.index("none"), codes)


def _as_dates(days: np.ndarray) -> pd.Series:
    """datetime64[D] -> an object column of ``datetime.date``, NaT where missing."""
    series = pd.Series(days.astype("M8[s]"))
    return series.dt.date.where(series.notna(), pd.NaT).astype(object)


def suggest_mapping(headers: list[str]) -> tuple[str | None, dict[str, str]]:
    """The preset that fits a file's header row best, and the mapping to use.

    A preset fits when the headers it needs for the required fields are all there; among
    those, the one matching the most headers wins. The mapping holds the headers as written
    in the file, only for fields found. When no preset fits, the name is None and the
    mapping holds the headers that are our field names themselves (possibly none).
    """
    written: dict[str, str] = {}
    for header in headers:
        written.setdefault(normalise_header(header), header)
    best: tuple[int, str, dict[str, str]] | None = None
    for name, preset in PRESETS.items():
        found = {
            field: written[normalise_header(header)]
            for field, header in preset.items()
            if normalise_header(header) in written
        }
        fits = all(field in found for field in REQUIRED_FIELDS)
        if fits and (best is None or len(found) > best[0]):
            best = (len(found), name, found)
    if best is not None:
        return best[1], best[2]
    return None, {field: written[field] for field in OPPORTUNITY_FIELDS if field in written}

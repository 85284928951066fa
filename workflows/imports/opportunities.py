"""Opportunities from a CRM export, with a column mapping (PRODUCT.md section 3, day 90).

Pure module: pandas, pyarrow, numpy and the standard library; no clock.

A CRM writes its own headers, so the caller passes a mapping from our field to the header
in the file; ``PRESETS`` holds the mappings for a HubSpot deals export and a Salesforce
opportunity report, and ``suggest_mapping`` picks one from a file's headers.

Fields: opportunity_id (kept exactly as written: "00123" stays "00123"), created_date,
amount_usd, ai_flag (how AI touched the deal: AI-generated, AI-assisted, AI-scored or none,
as the public attribution method defines them) and optionally touch_date (the AI touch's
date, for time-decay weighting).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workflows.imports.errors import CsvImportError, Problems
from workflows.imports.table import normalise_header, read_rows
from workflows.imports.values import (
    BAD_CODE,
    NULL_CODE,
    duplicate_rows,
    normalise_choice,
    parse_amounts,
    parse_choice,
    parse_dates,
    require,
    show,
)

OPPORTUNITY_FIELDS = ("opportunity_id", "created_date", "amount_usd", "ai_flag", "touch_date")
REQUIRED_FIELDS = ("opportunity_id", "created_date", "amount_usd", "ai_flag")
PRESETS: dict[str, dict[str, str]] = {
    # HubSpot, CRM > Deals > Export: "AI Touch" and "AI Touch Date" are our custom deal
    # properties; HubSpot writes dates as "2026-03-04 14:22" and amounts as plain numbers.
    "hubspot": {
        "opportunity_id": "Record ID",
        "created_date": "Create Date",
        "amount_usd": "Amount",
        "ai_flag": "AI Touch",
        "touch_date": "AI Touch Date",
    },
    # Salesforce opportunity report, Export > Details only > CSV: the custom fields
    # AI_Touch__c and AI_Touch_Date__c appear under their labels; dates follow the user's
    # locale (3/4/2026 in the US), amounts read "$12,500.00" or "USD 12,500.00".
    "salesforce": {
        "opportunity_id": "Opportunity ID",
        "created_date": "Created Date",
        "amount_usd": "Amount",
        "ai_flag": "AI Touch",
        "touch_date": "AI Touch Date",
    },
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
}
# Says that AI touched the deal but not how, so it cannot be credited either way.
_VAGUE_FLAGS = frozenset({"yes", "true", "y", "1", "ai", "x"})


def parse_opportunities(
    text: str,
    *,
    mapping: Mapping[str, str],
    date_format: str | None = None,
    as_of: date,
) -> pd.DataFrame:
    """Check and type a CRM export of opportunities.

    ``mapping`` maps our field (OPPORTUNITY_FIELDS) to the header in the file, matched
    case-insensitively with spaces, hyphens and underscores alike (a Salesforce API name's
    ``__c`` suffix is ignored); touch_date may be left out. ``date_format`` is "MM/DD/YYYY",
    "DD/MM/YYYY" or None (ISO dates are always accepted; see ``values.parse_dates``).

    Returns one row per opportunity, in file order: opportunity_id (str as written, trimmed),
    created_date (``datetime.date``), amount_usd (float64, USD, >= 0), ai_flag (str:
    generated | assisted | scored | none; blank is none; "AI-generated", "AI assisted",
    "ai_scored" and the like are accepted, "yes"/"true" are refused as they do not say
    which), touch_date (``datetime.date`` or NaT).

    Raises:
        ValueError: ``mapping`` names a field we do not have, or ``date_format`` is not one
            of the two formats (a caller's bug, not the file's).
        CsvImportError: a required field is not mapped, a mapped header is missing, no
            data rows, ambiguous slash dates without ``date_format``, or any bad row (empty
            id, repeated id, bad date, negative or malformed amount, unknown AI flag).
    """
    unknown = sorted(set(mapping) - set(OPPORTUNITY_FIELDS))
    if unknown:
        raise ValueError(f"Unknown fields in mapping: {', '.join(unknown)}")
    unmapped = [field for field in REQUIRED_FIELDS if not mapping.get(field)]
    if unmapped:
        raise CsvImportError.single(f"Choose the column that holds: {', '.join(unmapped)}.", line=1)
    problems = Problems()
    wanted = {field: (header,) for field, header in mapping.items() if header}
    rows = read_rows(text, wanted, required=REQUIRED_FIELDS, problems=problems)
    columns = rows.columns
    ids = pc.utf8_trim_whitespace(columns["opportunity_id"])
    ids = pc.if_else(pc.equal(ids, ""), pa.scalar(None, pa.string()), ids)
    require(ids, "opportunity_id", problems)
    later, first = duplicate_rows(ids)
    first_of = dict(zip(later.tolist(), first.tolist(), strict=True))
    problems.add_rows(
        later,
        "opportunity_id",
        lambda row: (
            f"{show(ids, row)} is also on line {problems.line_of(first_of[row])}: "
            "each opportunity once."
        ),
    )
    date_columns = {"created_date": columns["created_date"]}
    if "touch_date" in columns:
        date_columns["touch_date"] = columns["touch_date"]
    require(columns["created_date"], "created_date", problems)
    dates = parse_dates(date_columns, problems, date_format=date_format, as_of=as_of)
    amounts = parse_amounts(columns["amount_usd"], "amount_usd", problems)
    flags = _parse_flags(columns["ai_flag"], problems)
    problems.raise_if_any()
    touch = dates.get("touch_date", np.full(len(rows), np.datetime64("NaT", "D")))
    return pd.DataFrame(
        {
            "opportunity_id": pd.Series(ids.to_pandas(), dtype="str"),
            "created_date": _as_dates(dates["created_date"]),
            "amount_usd": amounts.astype(np.float64),
            "ai_flag": pd.Series(np.asarray(AI_FLAGS, dtype=object)[flags], dtype="str"),
            "touch_date": _as_dates(touch),
        }
    )


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
        fits = all(field in found for field in REQUIRED_FIELDS if field != "ai_flag")
        if fits and (best is None or len(found) > best[0]):
            best = (len(found), name, found)
    if best is not None:
        return best[1], best[2]
    return None, {field: written[field] for field in OPPORTUNITY_FIELDS if field in written}

"""AI spend by month: tool subscriptions, model usage and maintenance time (PRODUCT.md
section 3, cost per AI touch and payback).

Pure module: pandas, pyarrow, numpy and the standard library; no clock.

Columns: month (``2026-03``, or any ISO date in the month), category, amount_usd, and
optionally hours and rate_usd for maintenance time (amount = hours x rate when the amount is
blank). Header names match case-insensitively, spaces and hyphens as underscores; a
``mapping`` names them otherwise, and the European ``locale`` reads ``1.290,50`` (``layout``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from workflows.data.imports.dates import parse_months
from workflows.data.imports.errors import Problems
from workflows.data.imports.layout import US, locale_of, read_mapped
from workflows.data.imports.values import parse_amounts, parse_choice, parse_decimals

SPEND_COLUMNS = ("month", "category", "amount_usd", "hours", "rate_usd")
REQUIRED_COLUMNS = ("month", "category", "amount_usd")
SPEND_CATEGORIES = ("subscription", "model_usage", "maintenance")
CATEGORY_ALIASES = {
    "subscriptions": "subscription",
    "tool subscription": "subscription",
    "tool subscriptions": "subscription",
    "model": "model_usage",
    "model usage": "model_usage",
    "api usage": "model_usage",
    "maintenance time": "maintenance",
}
CENT = 0.005
MAX_HOURS = 10_000  # per line; more is a typo


def parse_spend(
    text: str,
    *,
    as_of: date,
    mapping: Mapping[str, str] | None = None,
    locale: str = US.code,
) -> pd.DataFrame:
    """Check and type an AI spend CSV.

    Returns one row per line, in file order: month (``datetime.date``, the 1st of the
    month), category (str: subscription | model_usage | maintenance; "subscriptions",
    "model usage", "api usage" and the like are accepted) and amount_usd (float64, USD,
    >= 0). A maintenance row may leave amount_usd blank and give hours and rate_usd
    instead; when it gives all three, they must agree to the cent. Months after ``as_of``'s
    month are refused.

    Raises:
        ValueError: ``mapping`` names a column we do not have, or an unknown ``locale``.
        CsvImportError: unreadable file, missing column, no data rows, or any bad row (bad
            month or category, missing, negative or malformed amount, hours or rate).
    """
    problems = Problems()
    chosen = locale_of(locale)
    comma = chosen.decimal_comma
    rows = read_mapped(
        text,
        columns=SPEND_COLUMNS,
        mapping=mapping,
        required=REQUIRED_COLUMNS,
        problems=problems,
        locale=chosen,
    )
    columns = rows.columns
    months = parse_months(columns["month"], "month", problems, as_of=as_of)
    category = parse_choice(
        columns["category"],
        "category",
        problems,
        aliases=CATEGORY_ALIASES,
        choices=SPEND_CATEGORIES,
    )
    amount = parse_amounts(
        columns["amount_usd"], "amount_usd", problems, required=False, decimal_comma=comma
    )
    hours = np.full(len(rows), np.nan)
    rate = np.full(len(rows), np.nan)
    if "hours" in columns:
        hours = parse_decimals(
            columns["hours"], "hours", problems, maximum=MAX_HOURS, decimal_comma=comma
        )
    if "rate_usd" in columns:
        rate = parse_amounts(
            columns["rate_usd"], "rate_usd", problems, required=False, decimal_comma=comma
        )
    computed = hours * rate
    maintenance = category == SPEND_CATEGORIES.index("maintenance")
    blank = columns["amount_usd"].is_null().to_numpy(zero_copy_only=False)
    from_time = maintenance & blank & ~np.isnan(computed)
    missing = blank & ~from_time
    problems.add_rows(
        np.flatnonzero(missing & maintenance),
        "amount_usd",
        "This value is empty: give the amount, or hours and rate_usd.",
    )
    problems.add_rows(np.flatnonzero(missing & ~maintenance), "amount_usd", "This value is empty.")
    disagree = maintenance & ~blank & ~np.isnan(computed) & (np.abs(amount - computed) > CENT)
    problems.add_rows(
        np.flatnonzero(disagree),
        "amount_usd",
        lambda row: (
            f"{amount[row]:,.2f} does not match hours x rate_usd "
            f"({hours[row]:g} x {rate[row]:,.2f} = {computed[row]:,.2f})."
        ),
    )
    problems.raise_if_any()
    amount = np.where(from_time, np.round(computed, 2), amount)
    return pd.DataFrame(
        {
            "month": pd.Series(months.astype("M8[s]")).dt.date.astype(object),
            "category": pd.Series(
                np.asarray(SPEND_CATEGORIES, dtype=object)[category], dtype="str"
            ),
            "amount_usd": amount.astype(np.float64),
        }
    )

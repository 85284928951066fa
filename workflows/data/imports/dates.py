"""Reading timestamps, dates and months from CSV columns, with the date order (MM/DD or
DD/MM) chosen or inferred.

Pure module: pyarrow, numpy and the standard library; no Django, no clock (pass ``as_of``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from workflows.data.imports.errors import Problems
from workflows.data.imports.timestamps import (
    EARLIEST,
    MAX_YEARS_AHEAD,
    _before_2000,
    _days_from_civil,
    _digits,
    _valid_calendar_date,
    future_limit,
)
from workflows.data.imports.values import (
    require,
    show,
    to_numpy,
    trimmed,
)

NOT_A_DATE = np.datetime64("NaT", "D")


_CALENDAR_DATE = (
    r"(?i)^(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
    r"|(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<sy>\d{4})"
    r"(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?)?"
    r"|(?P<dd>\d{1,2})\.(?P<dm>\d{1,2})\.(?P<dy>\d{4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?)$"
)


_MONTH = r"^(?P<y>\d{4})-(?P<mo>\d{1,2})(?:-(?P<d>\d{1,2})(?:[T ].*)?)?$"


MDY = "MM/DD/YYYY"


DMY = "DD/MM/YYYY"


DATE_FORMATS = (MDY, DMY)


# The one definition of the date formats a user may choose: the upload form offers exactly
# these values and ``parse_dates`` accepts exactly these ("" means detect).
DATE_FORMAT_CHOICES = (
    ("", "Detect: ISO (2026-03-04), or slash dates that read only one way"),
    (MDY, "MM/DD/YYYY (US: 3/4/2026 is 4 March)"),
    (DMY, "DD/MM/YYYY (3/4/2026 is 3 April)"),
)


# What the upload form posted before it shared DATE_FORMAT_CHOICES; an import queued then
# still names its format this way.
_LEGACY_DATE_FORMATS = {"%m/%d/%Y": MDY, "%d/%m/%Y": DMY}


_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


AMBIGUOUS_DATES = (
    "Dates like 03/04/2026 are ambiguous: choose the date format (MM/DD/YYYY or DD/MM/YYYY)"
)


def parse_dates(
    columns: Mapping[str, pa.ChunkedArray],
    problems: Problems,
    *,
    date_format: str | None,
    as_of: date,
    ahead: frozenset[str] = frozenset(),
) -> dict[str, np.ndarray]:
    """Calendar dates -> datetime64[D] (NaT in empty or bad rows), one array per column.

    ISO dates (``2026-03-04``, also with a time as HubSpot writes ``2026-03-04 14:22``) are
    always accepted; the date is taken as written, any time and zone ignored. Slash dates
    (``3/4/2026``, ``03/04/2026 2:22 PM``) follow ``date_format`` (MM/DD/YYYY or
    DD/MM/YYYY). Without one, a slash date whose two first parts could both be the month is
    ambiguous and refused with AMBIGUOUS_DATES (one problem for the whole file); other slash
    dates are read the only way they can be, and a file mixing both orders is refused. Dotted
    dates (``04.03.2026``, as Excel writes them in Germany and much of Europe) are always day
    first, whatever ``date_format`` says. Dates must fall between 2000-01-01 and the day after
    ``as_of``; those of the columns named in ``ahead`` (an expected close date) up to
    MAX_YEARS_AHEAD years after it.

    Raises:
        ValueError: ``date_format`` is not one of DATE_FORMAT_CHOICES' values (a caller's bug).
    """
    order = date_order(date_format)
    parsed = {name: _split_dates(column) for name, column in columns.items()}
    if order is None:
        order = _infer_order(parsed, problems)
        if order is None:
            return {name: np.full(len(c), NOT_A_DATE) for name, c in columns.items()}
    return {
        name: _dates_in_order(
            columns[name], name, parts, order, problems, as_of, ahead=name in ahead
        )
        for name, parts in parsed.items()
    }


def date_order(date_format: str | None) -> str | None:
    """MDY, DMY or None (detect) for a value of DATE_FORMAT_CHOICES ("" or None: detect;
    case does not matter; the strftime spellings the upload form once posted are read too).

    Raises:
        ValueError: any other value (a caller's bug, not the file's).
    """
    if not date_format:
        return None
    order = _LEGACY_DATE_FORMATS.get(date_format, date_format.upper())
    if order not in DATE_FORMATS:
        raise ValueError(f"date_format must be one of {DATE_FORMATS} or None, got {date_format!r}")
    return order


def _split_dates(column: pa.ChunkedArray) -> dict[str, np.ndarray]:
    text = trimmed(column)
    parts = pc.extract_regex(text, _CALENDAR_DATE)
    iso = to_numpy(pc.struct_field(parts, "iy"), "") != "" if len(text) else np.zeros(0, bool)
    return {
        "present": to_numpy(pc.is_valid(text), False) if len(text) else np.zeros(0, bool),
        "matched": to_numpy(pc.is_valid(parts), False) if len(text) else np.zeros(0, bool),
        "iso": iso,
        "dotted": (
            to_numpy(pc.struct_field(parts, "dy"), "") != "" if len(text) else np.zeros(0, bool)
        ),
        **{
            key: _digits(parts, key) for key in ("iy", "im", "id", "a", "b", "sy", "dd", "dm", "dy")
        },
    }


def _infer_order(parsed: Mapping[str, dict[str, np.ndarray]], problems: Problems) -> str | None:
    """MDY or DMY from slash dates that can only be read one way; None (with a problem) when
    a slash date could be read both ways or the file mixes the orders."""
    ambiguous_rows: dict[str, np.ndarray] = {}
    seen: dict[str, tuple[int, str]] = {}
    for name, parts in parsed.items():
        slash = parts["matched"] & ~parts["iso"] & ~parts["dotted"]
        a, b = parts["a"], parts["b"]
        # 03/03/2026 reads the same both ways, so only different parts up to 12 are ambiguous.
        ambiguous_rows[name] = np.flatnonzero(
            slash & (a >= 1) & (a <= 12) & (b >= 1) & (b <= 12) & (a != b)
        )
        for order, evidence in ((DMY, slash & (a > 12) & (b <= 12)), (MDY, slash & (b > 12))):
            for row in np.flatnonzero(evidence)[:1]:
                line = problems.line_of(int(row))
                if order not in seen or line < seen[order][0]:
                    seen[order] = (line, name)
    count = sum(rows.size for rows in ambiguous_rows.values())
    if count:
        line, name, row = min(
            (problems.line_of(int(rows[0])), name, int(rows[0]))
            for name, rows in ambiguous_rows.items()
            if rows.size
        )
        first, second, shown_year = (int(parsed[name][key][row]) for key in ("a", "b", "sy"))
        either = f"{_spoken(shown_year, first, second)} or {_spoken(shown_year, second, first)}"
        others = f"; {count:,} dates in the file could be read both ways" if count > 1 else ""
        problems.add(line, name, f"{AMBIGUOUS_DATES}. This one could be {either}{others}.")
        return None
    if len(seen) == 2:
        (mdy_line, mdy_name), (dmy_line, _) = seen[MDY], seen[DMY]
        problems.add(
            max(mdy_line, dmy_line),
            mdy_name,
            f"The file mixes date formats: line {mdy_line} is MM/DD/YYYY and line {dmy_line} "
            "is DD/MM/YYYY. Choose the date format and correct the other dates.",
        )
        return None
    return next(iter(seen), MDY)


def _spoken(year: int, month: int, day: int) -> str:
    """``4 March 2026``."""
    return f"{day} {_MONTH_NAMES[month - 1]} {year}"


def _dates_in_order(
    column: pa.ChunkedArray,
    name: str,
    parts: dict[str, np.ndarray],
    order: str,
    problems: Problems,
    as_of: date,
    *,
    ahead: bool = False,
) -> np.ndarray:
    iso, dotted = parts["iso"], parts["dotted"]
    first, second = (parts["a"], parts["b"]) if order == MDY else (parts["b"], parts["a"])
    year = np.where(iso, parts["iy"], np.where(dotted, parts["dy"], parts["sy"]))
    month = np.where(iso, parts["im"], np.where(dotted, parts["dm"], first))
    day = np.where(iso, parts["id"], np.where(dotted, parts["dd"], second))
    matched = parts["matched"]
    real = matched & _valid_calendar_date(year, month, day)
    problems.add_rows(
        np.flatnonzero(parts["present"] & ~matched),
        name,
        lambda row: (
            f"{show(column, row)} is not a date, for example 2026-03-04 or "
            f"{'03/04/2026' if order == MDY else '04/03/2026'} ({order})."
        ),
    )
    problems.add_rows(
        np.flatnonzero(matched & ~real),
        name,
        lambda row: f"{show(column, row)} is not a real date in {order} order.",
    )
    days = np.where(real, _days_from_civil(year, month, day), 0).astype("M8[D]")
    last = future_limit(as_of)
    if ahead:
        last = last.replace(year=last.year + MAX_YEARS_AHEAD, day=min(last.day, 28))
    limit = np.datetime64(last, "D")
    early = real & (days < np.datetime64(EARLIEST, "D"))
    late = real & (days > limit)
    problems.add_rows(np.flatnonzero(early), name, lambda row: _before_2000(column, row))
    too_far = f"is more than {MAX_YEARS_AHEAD} years ahead" if ahead else "is in the future"
    problems.add_rows(
        np.flatnonzero(late),
        name,
        lambda row: f"{show(column, row)} {too_far}: the last date accepted is {limit}.",
    )
    return np.where(real & ~early & ~late, days, NOT_A_DATE)


def parse_months(
    column: pa.ChunkedArray, name: str, problems: Problems, *, as_of: date
) -> np.ndarray:
    """``2026-03`` or an ISO date in that month -> datetime64[D] of the 1st (NaT where bad)."""
    text = trimmed(column)
    require(text, name, problems)
    parts = pc.extract_regex(text, _MONTH)
    present = to_numpy(pc.is_valid(text), False)
    matched = to_numpy(pc.is_valid(parts), False)
    year, month = _digits(parts, "y"), _digits(parts, "mo")
    day = np.where(to_numpy(pc.struct_field(parts, "d"), "") == "", 1, _digits(parts, "d"))
    real = matched & _valid_calendar_date(year, month, day)
    problems.add_rows(
        np.flatnonzero(present & ~real),
        name,
        lambda row: f"{show(column, row)} is not a month, for example 2026-03 or 2026-03-01.",
    )
    first = np.where(real, _days_from_civil(year, month, np.ones_like(day)), 0).astype("M8[D]")
    limit = np.datetime64(future_limit(as_of), "D")
    early = real & (first < np.datetime64(EARLIEST, "D"))
    late = real & (first > limit)
    problems.add_rows(np.flatnonzero(early), name, lambda row: _before_2000(column, row))
    problems.add_rows(
        np.flatnonzero(late), name, lambda row: f"{show(column, row)} is a month in the future."
    )
    return np.where(real & ~early & ~late, first, NOT_A_DATE)

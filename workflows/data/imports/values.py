"""Vectorised parsers for the text columns of an upload.

Pure module: pandas, pyarrow, numpy and the standard library. Each parser takes a pyarrow
text column (null where the cell was empty), or one the fast reader already typed, adds a
problem for every bad row to a ``Problems`` collector and returns typed values with a
placeholder (null, NaT, NaN or -1) in bad rows; the caller raises once every column is
checked. No parser loops over rows in Python: a million rows cost a few array passes.

Where a fast pyarrow cast exists it is tried first; it accepts a subset of what the exact
parser accepts and gives the same values, so it changes speed, never results.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workflows.data.imports.errors import Problems

EARLIEST = date(2000, 1, 1)
NS_PER_SECOND = 1_000_000_000
TIMESTAMP = pa.timestamp("ns", tz="UTC")
NOT_A_DATE = np.datetime64("NaT", "D")
NULL_CODE = -1
BAD_CODE = -2
_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, an odd multiplier for hashing

_SPACES = re.compile(r"[\s\-_]+")

# ISO 8601 as pyarrow parses it, so the fast cast and this exact parser agree: a date, then
# optionally T or a space and hh, hh:mm, hh:mm:ss or hh:mm:ss.fffffffff, then optionally Z,
# +hh, +hhmm or +hh:mm (no zone means UTC).
_ISO_TIMESTAMP = (
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2})(?::(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?)?"
    r"(?P<z>Z|(?P<zs>[+-])(?P<zh>\d{2})(?::?(?P<zm>\d{2}))?)?)?$"
)
_COUNT = r"^[+-]?\d+$"
_AMOUNT = r"(?i)^(?:usd|us\$|\$)?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:usd)?$"
_NEGATIVE_AMOUNT = r"(?i)^(?:usd|us\$|\$)?\s*(?:-|\()|^\(|^-"
_DECIMAL = r"^\d+(?:\.\d+)?$"
_CALENDAR_DATE = (
    r"(?i)^(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
    r"|(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<sy>\d{4})"
    r"(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?)?"
    r"|(?P<dd>\d{1,2})\.(?P<dm>\d{1,2})\.(?P<dy>\d{4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?)$"
)
_MONTH = r"^(?P<y>\d{4})-(?P<mo>\d{1,2})(?:-(?P<d>\d{1,2})(?:[T ].*)?)?$"

MAX_AMOUNT = 1e12  # USD; more is a typo, and beyond float precision for cents
# An expected close date may lie ahead, but not this many years.
MAX_YEARS_AHEAD = 10

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


def future_limit(as_of: date) -> date:
    """The last date accepted: the day after ``as_of`` (slack for time zones)."""
    return as_of + timedelta(days=1)


def show(column: pa.ChunkedArray, row: int) -> str:
    """A cell's text for a message, quoted and cut to 40 characters."""
    value = column[row].as_py()
    if value is None:
        return "(empty)"
    text = str(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f'"{text}"'


def rows_where(mask: Any) -> np.ndarray:
    """0-based rows where a boolean pyarrow or numpy mask is true (null counts as false)."""
    if isinstance(mask, pa.ChunkedArray | pa.Array):
        mask = pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
    rows: np.ndarray = np.flatnonzero(mask)
    return rows


def to_numpy(column: pa.ChunkedArray | pa.Array, fill: Any) -> np.ndarray:
    """A pyarrow column as a numpy array, nulls replaced by ``fill``."""
    if column.null_count:
        column = pc.fill_null(column, fill)
    array: np.ndarray = column.to_numpy(zero_copy_only=False)
    return array


def trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Leading and trailing spaces removed; a value of only spaces becomes null."""
    column = pc.utf8_trim_whitespace(column)
    empty = pc.equal(pc.binary_length(column), 0)
    if pc.any(empty).as_py():
        column = pc.if_else(empty, pa.scalar(None, pa.string()), column)
    return column


def require(column: pa.ChunkedArray, name: str, problems: Problems) -> None:
    """A problem for each empty cell."""
    if column.null_count:
        problems.add_rows(rows_where(column.is_null()), name, "This value is empty.")


def parse_timestamps(
    column: pa.ChunkedArray, name: str, problems: Problems, *, as_of: date
) -> pa.ChunkedArray:
    """ISO 8601 date-times -> timestamp[ns, UTC]; empty cells stay null.

    Accepts ``2026-03-04``, ``2026-03-04T14:22``, ``2026-03-04 14:22:05.123`` and the same
    with ``Z``, ``+01``, ``+0100`` or ``+01:00``; a value without a zone is UTC. A value must
    fall between 2000-01-01 and the end of the day after ``as_of``.
    """
    if pa.types.is_timestamp(column.type):
        values = pc.cast(column, TIMESTAMP)  # read typed: a naive time is UTC already
    else:
        values = _cast_timestamps(column)
    if values is None:
        values = _parse_timestamps_exactly(column, name, problems)
    limit = future_limit(as_of)
    low = pa.scalar(datetime.combine(EARLIEST, time(), UTC), TIMESTAMP)
    high = pa.scalar(datetime.combine(limit + timedelta(days=1), time(), UTC), TIMESTAMP)
    bounds = pc.min_max(values)
    if bounds["min"].is_valid and pc.less(bounds["min"], low).as_py():
        rows = rows_where(pc.less(values, low))
        problems.add_rows(rows, name, lambda row: _before_2000(column, row))
        values = _null_rows(values, rows)
    if bounds["max"].is_valid and pc.greater_equal(bounds["max"], high).as_py():
        rows = rows_where(pc.greater_equal(values, high))
        problems.add_rows(
            rows,
            name,
            lambda row: (
                f"{show(column, row)} is in the future: the last date accepted is "
                f"{limit.isoformat()}."
            ),
        )
        values = _null_rows(values, rows)
    return values


def _before_2000(column: pa.ChunkedArray, row: int) -> str:
    return f"{show(column, row)} is before 2000: check the year."


def _cast_timestamps(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """pyarrow's cast: all values with a zone, or all without. None when it cannot."""
    try:
        return pc.cast(column, TIMESTAMP)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    try:
        return pc.cast(pc.cast(column, pa.timestamp("ns")), TIMESTAMP)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _parse_timestamps_exactly(
    column: pa.ChunkedArray, name: str, problems: Problems
) -> pa.ChunkedArray:
    text = trimmed(column)
    parts = pc.extract_regex(text, _ISO_TIMESTAMP)
    matched = to_numpy(pc.is_valid(parts), False) if len(text) else np.zeros(0, bool)
    present = to_numpy(pc.is_valid(text), False) if len(text) else np.zeros(0, bool)
    field = {key: _digits(parts, key) for key in ("y", "mo", "d", "h", "mi", "s", "zh", "zm")}
    fraction = _fraction_ns(parts)
    sign = np.where(to_numpy(pc.struct_field(parts, "zs"), "") == "-", -1, 1)
    valid_date = _valid_calendar_date(field["y"], field["mo"], field["d"])
    in_range = (
        valid_date
        & (field["h"] <= 23)
        & (field["mi"] <= 59)
        & (field["s"] <= 59)
        & (field["zh"] <= 23)
        & (field["zm"] <= 59)
    )
    malformed = present & ~matched
    impossible = matched & ~in_range
    problems.add_rows(
        np.flatnonzero(malformed),
        name,
        lambda row: (
            f"{show(column, row)} is not a date-time in ISO 8601 form, for example "
            "2026-03-04T14:22:05Z or 2026-03-04 14:22."
        ),
    )
    problems.add_rows(
        np.flatnonzero(impossible),
        name,
        lambda row: f"{show(column, row)} is not a real date and time.",
    )
    good = matched & in_range
    days = _days_from_civil(field["y"], field["mo"], field["d"])
    seconds = days * 86_400 + field["h"] * 3_600 + field["mi"] * 60 + field["s"]
    seconds -= sign * (field["zh"] * 3_600 + field["zm"] * 60)
    # Clip to the years pandas can hold before scaling to nanoseconds; the caller's
    # 2000-to-tomorrow bounds then catch the clipped values with the right message.
    seconds = np.clip(seconds, -(2**33), 2**33)
    nanoseconds = np.where(good, seconds * NS_PER_SECOND + fraction, 0)
    return pa.chunked_array([pa.array(nanoseconds, type=TIMESTAMP, mask=~good)])


def _digits(parts: pa.ChunkedArray, key: str) -> np.ndarray:
    """A captured group of digits as int64, 0 where the group is empty or the row unmatched."""
    text = pc.fill_null(pc.struct_field(parts, key), "")
    text = pc.if_else(pc.equal(text, ""), "0", text)
    return to_numpy(pc.cast(text, pa.int64()), 0)


def _fraction_ns(parts: pa.ChunkedArray) -> np.ndarray:
    """The fraction of a second (up to 9 digits) in nanoseconds."""
    digits = pc.fill_null(pc.struct_field(parts, "f"), "")
    padded = pc.utf8_rpad(digits, width=9, padding="0")
    return to_numpy(pc.cast(padded, pa.int64()), 0)


def _valid_calendar_date(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days_in_month = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    safe_month = np.clip(month, 0, 12)
    longest = days_in_month[safe_month] + ((safe_month == 2) & leap)
    valid: np.ndarray = (month >= 1) & (month <= 12) & (day >= 1) & (day <= longest)
    return valid


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    year = year - (month <= 2)
    era = np.floor_divide(year, 400)
    year_of_era = year - era * 400
    shifted_month = (month + 9) % 12
    day_of_year = (153 * shifted_month + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days: np.ndarray = era * 146_097 + day_of_era - 719_468
    return days


def _null_rows(values: pa.ChunkedArray, rows: np.ndarray) -> pa.ChunkedArray:
    mask = np.zeros(len(values), dtype=bool)
    mask[rows] = True
    return pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)


def parse_counts(
    column: pa.ChunkedArray, name: str, problems: Problems, *, maximum: int
) -> np.ndarray:
    """Whole numbers from 0 to ``maximum`` -> int64 (NULL_CODE, -1, in empty or bad rows).

    Empty cells are a problem ("This value is empty.").
    """
    require(column, name, problems)
    try:
        values = pc.cast(column, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = _parse_counts_exactly(column, name, problems)
    if not len(values):
        return np.zeros(0, np.int64)
    bounds = pc.min_max(values)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    result = to_numpy(values, NULL_CODE)
    if (low is not None and low < 0) or (high is not None and high > maximum):
        result = result.copy()
    if low is not None and low < 0:
        negative = np.flatnonzero(result < 0)
        negative = negative[to_numpy(pc.is_valid(values), False)[negative]]
        problems.add_rows(
            negative, name, lambda row: f"{show(column, row)} is negative: use 0 or more."
        )
        result[result < 0] = NULL_CODE
    if high is not None and high > maximum:
        problems.add_rows(
            np.flatnonzero(result > maximum),
            name,
            lambda row: f"{show(column, row)} is more than {maximum:,}.",
        )
        result[result > maximum] = NULL_CODE
    return result


def _parse_counts_exactly(
    column: pa.ChunkedArray, name: str, problems: Problems
) -> pa.ChunkedArray:
    text = trimmed(column)
    whole = pc.match_substring_regex(text, _COUNT)
    problems.add_rows(
        rows_where(pc.invert(whole)),
        name,
        lambda row: f"{show(column, row)} is not a whole number.",
    )
    digits = pc.replace_substring_regex(text, r"^\+", "")
    # More than 18 digits does not fit an int64; such a value is over any maximum anyway.
    digits = pc.if_else(pc.greater(pc.utf8_length(digits), 18), "999999999999999999", digits)
    digits = pc.if_else(whole, digits, pa.scalar(None, pa.string()))
    return pc.cast(digits, pa.int64())


def parse_choice(
    column: pa.ChunkedArray,
    name: str,
    problems: Problems,
    *,
    aliases: Mapping[str, str],
    choices: tuple[str, ...],
    required: bool = True,
) -> np.ndarray:
    """One of ``choices`` -> its index (int8); NULL_CODE (-1) for an empty cell, BAD_CODE
    (-2) for a value that is not a choice.

    Matching is case-insensitive and treats spaces, hyphens and underscores alike;
    ``aliases`` maps such a normalised spelling (words separated by one space) to a choice.
    Each choice's own spelling is always accepted.
    """
    lookup = {normalise_choice(choice): choice for choice in choices}
    lookup.update({normalise_choice(alias): choice for alias, choice in aliases.items()})

    def codes_of(values: pa.Array) -> np.ndarray:
        """Codes for distinct values, plus NULL_CODE at the end for null rows."""
        return np.array(
            [
                choices.index(lookup[key]) if (key := normalise_choice(v)) in lookup else BAD_CODE
                for v in values.to_pylist()
            ]
            + [NULL_CODE],
            dtype=np.int8,
        )

    if pa.types.is_dictionary(column.type):
        dictionary, indices = dictionary_codes(column)
        result = codes_of(dictionary).take(indices)  # take: twice as fast as [indices]
    else:
        distinct = pc.unique(pc.drop_null(column))
        positions = to_numpy(pc.index_in(column, value_set=distinct), len(distinct))
        result = codes_of(distinct)[positions] if len(column) else np.zeros(0, np.int8)
    if required:
        require(column, name, problems)
    accepted = ", ".join(choices)
    problems.add_rows(
        np.flatnonzero(result == BAD_CODE),
        name,
        lambda row: f"{show(column, row)} is not one of: {accepted}.",
    )
    return result


def dictionary_codes(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """A dictionary-encoded column as one dictionary and an index per row (an integer
    array), where a null row gets ``len(dictionary)``."""
    column = column.unify_dictionaries()
    if not column.num_chunks:
        return pa.array([], column.type.value_type), np.zeros(0, np.int32)
    dictionary = column.chunk(0).dictionary
    indices = pa.chunked_array([chunk.indices for chunk in column.chunks], column.type.index_type)
    return dictionary, to_numpy(indices, len(dictionary))


def normalise_choice(value: str) -> str:
    """``" Meeting-Booked "`` -> ``"meeting booked"``."""
    return _SPACES.sub(" ", value.strip().lower()).strip()


def parse_amounts(
    column: pa.ChunkedArray,
    name: str,
    problems: Problems,
    *,
    required: bool = True,
    decimal_comma: bool = False,
) -> np.ndarray:
    """US dollar amounts -> float64 (NaN in empty or bad rows).

    Accepts ``12500``, ``12500.5``, ``12,500``, ``$12,500.00``, ``USD 1,200`` and
    ``1,200 USD``. Negative amounts (``-500``, ``(500)``) are a problem, as are other
    currencies, European separators (``12.500,00``) and amounts over MAX_AMOUNT. With
    ``decimal_comma`` (the European locale) the marks swap: ``12.500,00`` and ``12500,5``
    are accepted and ``12,500.00`` is not. Amounts are taken as US dollars either way:
    nothing is converted.
    """
    text = trimmed(column)
    if required:
        require(text, name, problems)
    if decimal_comma:
        text = swap_marks(text)
    valid = pc.match_substring_regex(text, _AMOUNT)
    negative = pc.match_substring_regex(text, _NEGATIVE_AMOUNT)
    problems.add_rows(
        rows_where(negative),
        name,
        lambda row: f"{show(column, row)} is negative: amounts must be 0 or more.",
    )
    problems.add_rows(
        rows_where(pc.and_(pc.invert(valid), pc.invert(negative))),
        name,
        lambda row: (
            f"{show(column, row)} is not an amount in US dollars, for example 12500, "
            + ("12.500,00 or 12500,5." if decimal_comma else "12,500.00 or $12,500.")
        ),
    )
    digits = pc.replace_substring_regex(text, r"[^0-9.]", "")
    digits = pc.if_else(valid, digits, pa.scalar(None, pa.string()))
    return _at_most(
        to_numpy(pc.cast(digits, pa.float64()), np.nan), MAX_AMOUNT, column, name, problems
    )


def swap_marks(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """``12.500,00`` -> ``12,500.00``: a European number in the US spelling."""
    text = pc.replace_substring(text, ".", "\x00")
    text = pc.replace_substring(text, ",", ".")
    return pc.replace_substring(text, "\x00", ",")


def _at_most(
    values: np.ndarray, maximum: float, column: pa.ChunkedArray, name: str, problems: Problems
) -> np.ndarray:
    """Values over ``maximum`` become NaN, each with a problem."""
    over = np.flatnonzero(values > maximum)
    if over.size:
        problems.add_rows(
            over, name, lambda row: f"{show(column, row)} is more than {maximum:,.0f}: check it."
        )
        values = values.copy()
        values[over] = np.nan
    return values


def parse_decimals(
    column: pa.ChunkedArray,
    name: str,
    problems: Problems,
    *,
    maximum: float,
    decimal_comma: bool = False,
) -> np.ndarray:
    """Plain decimal numbers from 0 to ``maximum`` (``7``, ``7.5``; ``7,5`` with
    ``decimal_comma``) -> float64 (NaN where empty or bad)."""
    text = trimmed(column)
    if decimal_comma:
        text = swap_marks(text)
    valid = pc.match_substring_regex(text, _DECIMAL)
    example = "7,5" if decimal_comma else "7.5"
    problems.add_rows(
        rows_where(pc.invert(valid)),
        name,
        lambda row: f"{show(column, row)} is not a number of 0 or more, for example {example}.",
    )
    text = pc.if_else(valid, text, pa.scalar(None, pa.string()))
    return _at_most(to_numpy(pc.cast(text, pa.float64()), np.nan), maximum, column, name, problems)


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


def duplicate_rows(keys: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose key appeared on an earlier row, and for each the row where it first did.

    Null keys are never duplicates. Returns two int64 arrays of equal length, by row.
    A quick hash pass proves most files free of repeats; only when it cannot does pandas
    look for the repeated keys exactly.
    """
    if keys.null_count == 0 and _surely_unique(keys):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    series = keys.to_pandas()
    codes, _ = pd.factorize(series)
    valid = codes >= 0
    first_seen = valid & ~series.duplicated(keep="first").to_numpy()
    # factorize numbers keys in order of first appearance, so the k-th first sighting is
    # the row where code k first appears.
    first_rows = np.flatnonzero(first_seen)
    later = np.flatnonzero(valid & ~first_seen)
    return later.astype(np.int64), first_rows[codes[later]].astype(np.int64)


def _surely_unique(keys: pa.ChunkedArray) -> bool:
    """True when no key repeats; False means "maybe" (a repeat or a hash collision)."""
    if len(keys) < 2:
        return True
    lengths = pc.min_max(pc.binary_length(keys))
    shortest, longest = lengths["min"].as_py(), lengths["max"].as_py()
    if longest > 64:
        return _distinct_count(keys) == len(keys)
    if shortest != longest:
        if not pc.all(pc.string_is_ascii(keys)).as_py():
            return _distinct_count(keys) == len(keys)
        # Padding can only make two keys look alike, never hide a repeat: a false alarm
        # sends the file to the exact check.
        keys = pc.ascii_rpad(keys, width=longest, padding=" ")
    hashes = np.concatenate([_hash_fixed_width(chunk, longest) for chunk in keys.chunks])
    # numpy sorts 64-bit integers with SIMD, three times faster than pandas' hash table.
    hashes.sort()
    return not (hashes[1:] == hashes[:-1]).any()


def _distinct_count(keys: pa.ChunkedArray) -> int:
    count: int = pa.table({"key": keys}).group_by("key", use_threads=False).aggregate([]).num_rows
    return count


def _hash_fixed_width(chunk: pa.Array, width: int) -> np.ndarray:
    """A 64-bit hash of each value of a string array whose values are all ``width`` bytes,
    read straight from the array's buffers eight bytes at a time."""
    count = len(chunk)
    if not count or not width:
        return np.full(count, width, np.uint64)
    offsets = np.frombuffer(
        chunk.buffers()[1], dtype=np.int32, count=count + 1, offset=chunk.offset * 4
    )
    data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
    cells = data[offsets[0] : offsets[0] + width * count].reshape(count, width)
    if width < 8:
        padded = np.zeros((count, 8), np.uint8)
        padded[:, :width] = cells
        cells, width = padded, 8
    # Whole 8-byte words, read in place (unaligned reads are fine on numpy's side), then the
    # last eight bytes as one more word when the width is not a multiple of eight.
    whole = width // 8
    words = [cells[:, : whole * 8].view(np.uint64)[:, index] for index in range(whole)]
    if width % 8:
        words.append(cells[:, width - 8 :].view(np.uint64)[:, 0])
    hashes = np.full(count, width, dtype=np.uint64)
    for word in words:
        hashes ^= word
        hashes *= _MIX
    return hashes

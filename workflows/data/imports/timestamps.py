"""Reading timestamps from CSV columns (ISO 8601 with a UTC offset, exactly), and the calendar
arithmetic the date readers share.

Pure module: pyarrow, numpy and the standard library; no Django, no clock (pass ``as_of``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from workflows.data.imports.errors import Problems
from workflows.data.imports.values import (
    rows_where,
    show,
    to_numpy,
    trimmed,
)

EARLIEST = date(2000, 1, 1)


NS_PER_SECOND = 1_000_000_000


TIMESTAMP = pa.timestamp("ns", tz="UTC")


# ISO 8601 as pyarrow parses it, so the fast cast and this exact parser agree: a date, then
# optionally T or a space and hh, hh:mm, hh:mm:ss or hh:mm:ss.fffffffff, then optionally Z,
# +hh, +hhmm or +hh:mm (no zone means UTC).
_ISO_TIMESTAMP = (
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2})(?::(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?)?"
    r"(?P<z>Z|(?P<zs>[+-])(?P<zh>\d{2})(?::?(?P<zm>\d{2}))?)?)?$"
)


# An expected close date may lie ahead, but not this many years.
MAX_YEARS_AHEAD = 10


def future_limit(as_of: date) -> date:
    """The last date accepted: the day after ``as_of`` (slack for time zones)."""
    return as_of + timedelta(days=1)


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

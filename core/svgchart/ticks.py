"""Axis ticks: round numbers on a linear axis, calendar steps on a date axis.

Pure module: standard library only, no Django. The steps follow plotly.js's own choices
closely enough that a chart reads the same: 1, 2 or 5 times a power of ten on a linear axis
("nice numbers", Heckbert, Graphics Gems, 1990), and days, weeks, months or years on a date
axis, labelled "%d %b" or "%b %Y" as plotly.js labels them.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

DAY_MS = 86_400_000.0


def nice_step(span: float, target: int) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about ``target`` ticks over ``span``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(target, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def linear_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Tick values within [low, high] at a nice step (about ``target`` of them)."""
    step = nice_step(high - low, target)
    first = math.ceil(low / step - 1e-9) * step
    ticks: list[float] = []
    value = first
    while value <= high + step * 1e-9 and len(ticks) < 50:
        ticks.append(round(value, 10))
        value += step
    return ticks


def number_label(value: float, step: float, largest: float) -> str:
    """A tick label as plotly.js writes one: "k" from 10,000 and "M" from a million on an
    axis whose largest tick is ``largest``, and only as many decimals as the step needs."""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e4, "k")):
        if abs(largest) >= limit:
            divisor = 1e3 if suffix == "k" else limit
            return _plain(value / divisor, step / divisor) + suffix
    return _plain(value, step)


def _plain(value: float, step: float) -> str:
    decimals = 0 if step >= 1 else min(6, max(0, -math.floor(math.log10(step) + 1e-9)))
    text = f"{value:,.{decimals}f}"
    return "0" if text in {"-0", "-0.0"} else text


def to_ms(value: object) -> float | None:
    """An ISO date or date-time string (or a date) as milliseconds since 1970, UTC."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.timestamp() * 1000
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp() * 1000
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return to_ms(parsed)
    return None


def _date_ms(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000


def _day(ms: float) -> date:
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)).date()


def date_ticks(low_ms: float, high_ms: float, target: int = 6) -> list[tuple[float, str]]:
    """(ms, label) ticks within [low_ms, high_ms]: days or weeks ("04 Mar"), months
    ("Mar 2026") or years ("2026"), whichever gives at most about ``target`` ticks."""
    days = max((high_ms - low_ms) / DAY_MS, 1)
    for step_days in (1, 2, 7, 14):
        if days / step_days <= target:
            start = _day(low_ms)
            if step_days >= 7:  # weeks start on Mondays, as plotly.js's weekly ticks do
                start += timedelta(days=(7 - start.weekday()) % 7)
            return _day_ticks(start, step_days, low_ms, high_ms)
    for months in (1, 2, 3, 6, 12, 24, 60):
        if days / (30.4 * months) <= target:
            return _month_ticks(low_ms, high_ms, months)
    return _month_ticks(low_ms, high_ms, 120)


def _day_ticks(start: date, step: int, low_ms: float, high_ms: float) -> list[tuple[float, str]]:
    ticks: list[tuple[float, str]] = []
    current = start
    while len(ticks) < 60:
        ms = _date_ms(current)
        if ms > high_ms + 1:
            break
        if ms >= low_ms - 1:
            ticks.append((ms, current.strftime("%d %b")))
        current += timedelta(days=step)
    return ticks


def _month_ticks(low_ms: float, high_ms: float, months: int) -> list[tuple[float, str]]:
    first = _day(low_ms)
    index = first.year * 12 + first.month - 1
    index += (-index) % months
    ticks: list[tuple[float, str]] = []
    while len(ticks) < 60:
        current = date(index // 12, index % 12 + 1, 1)
        ms = _date_ms(current)
        if ms > high_ms + 1:
            break
        if ms >= low_ms - 1:
            label = current.strftime("%Y") if months >= 12 else current.strftime("%b %Y")
            ticks.append((ms, label))
        index += months
    return ticks

"""Formatting of the CFO-grade numbers: signed effects, dollars, shares as percentages."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()

# The typographic minus sign, which reads better than a hyphen in tables of signed numbers.
MINUS = "\u2212"


@register.filter
def signed(value: Any, digits: int = 1) -> str:
    """+12.3 or -0.4 (an effect's sign is part of its meaning); an em dash for None."""
    if value is None or value == "":
        return "—"
    return f"{float(value):+,.{int(digits)}f}".replace("-", MINUS)


@register.filter
def usd(value: Any) -> str:
    """$12,345 or -$1,200 (shown with a minus sign) (whole dollars); an em dash for None."""
    if value is None or value == "":
        return "—"
    amount = float(value)
    text = f"${abs(amount):,.0f}"
    return f"{MINUS}{text}" if amount < 0 else text


@register.filter
def percent(value: Any, digits: int = 0) -> str:
    """0.123 as 12% (``digits`` decimals); an em dash for None."""
    if value is None or value == "":
        return "—"
    return f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def dictget(mapping: Any, key: str) -> Any:
    """``mapping[key]`` for a key held in a variable (None for a missing key), or the
    attribute ``key`` of a dataclass (a typed snapshot's section by metric or scenario);
    None for None.

    Raises:
        AttributeError: the dataclass has no field ``key``, so a renamed field fails loudly.
    """
    if mapping is None:
        return None
    if dataclasses.is_dataclass(mapping) and not isinstance(mapping, type):
        if key not in {spec.name for spec in dataclasses.fields(mapping)}:
            raise AttributeError(f"{type(mapping).__name__} has no field {key!r}")
        return getattr(mapping, key)
    if not isinstance(mapping, Mapping):
        return None
    return mapping.get(key)


@register.simple_tag
def cfo_metric_labels() -> list[tuple[str, str]]:
    """The metrics that carry effects, in review order, with their labels."""
    return [("throughput", "Throughput"), ("conversion", "Booked calls per run")]


@register.simple_tag
def cfo_scenarios() -> list[str]:
    return ["low", "likely", "high"]

"""Derived figures for the AI tool stack of a Revenue Audit intake.

Pure module: standard library only. The intake lists each AI tool with its monthly cost
(USD, for all seats together), seats, whether it is used daily and what it is integrated
with (PRODUCT.md section 2). From that: tool count, tools used daily and not, monthly and
annual AI spend, and whether the stack shows tool sprawl.

Tool sprawl (PRODUCT.md, the idea the product is built on: high-maturity teams run 2-3
deeply integrated tools, low-maturity teams pay for 10+ and use 3) is flagged when any of:

* SPRAWL_TOOL_COUNT (7) or more tools are paid for;
* at least 2 tools and more than a third of them are not used daily;
* at least 3 tools and fewer than half of them are integrated with another system.

The thresholds (7, a third, a half) are this product's reading of that rule of thumb.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MONTHS_PER_YEAR = 12
SPRAWL_TOOL_COUNT = 7
MIN_TOOLS_FOR_UNUSED_CHECK = 2
MIN_TOOLS_FOR_INTEGRATION_CHECK = 3

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ToolInput:
    """One paid AI tool: ``monthly_cost_usd`` for all its seats together; ``integrated_with``
    names the systems it connects to, blank when none."""

    name: str
    monthly_cost_usd: Decimal
    seats: int
    used_daily: bool
    integrated_with: str = ""


@dataclass(frozen=True)
class StackSummary:
    """The stack in figures. Money in USD; ``unused`` means not used daily; ``integrated_count``
    counts tools with a non-blank ``integrated_with``; ``sprawl_reasons`` holds one sentence per
    tool-sprawl rule that fired, empty when ``sprawl`` is False."""

    tool_count: int
    used_daily_count: int
    unused_count: int
    monthly_spend_usd: Decimal
    unused_monthly_spend_usd: Decimal
    annual_spend_usd: Decimal
    integrated_count: int
    sprawl: bool
    sprawl_reasons: tuple[str, ...]


def summarize_stack(tools: Iterable[ToolInput]) -> StackSummary:
    """Count and price the AI tool stack and judge tool sprawl.

    Empty input gives zeros and no sprawl. Blank names are counted like any other (the
    caller validates names).

    Raises:
        ValueError: for a negative or non-finite monthly cost, or negative seats.
    """
    listed = tuple(tools)
    for tool in listed:
        _check_tool(tool)
    unused = [t for t in listed if not t.used_daily]
    tool_count = len(listed)
    unused_count = len(unused)
    integrated_count = sum(1 for t in listed if t.integrated_with.strip())
    monthly = sum((t.monthly_cost_usd for t in listed), Decimal(0))
    unused_monthly = sum((t.monthly_cost_usd for t in unused), Decimal(0))

    reasons: list[str] = []
    if tool_count >= SPRAWL_TOOL_COUNT:
        reasons.append(
            f"{tool_count} AI tools paid for: high-maturity teams run 2 to 3, deeply integrated."
        )
    if tool_count >= MIN_TOOLS_FOR_UNUSED_CHECK and unused_count * 3 > tool_count:
        verb = "is" if unused_count == 1 else "are"
        reasons.append(
            f"{unused_count} of {tool_count} paid tools {verb} not used daily "
            f"({format_usd(unused_monthly)} a month)."
        )
    if tool_count >= MIN_TOOLS_FOR_INTEGRATION_CHECK and integrated_count * 2 < tool_count:
        if integrated_count == 0:
            reasons.append(f"None of the {tool_count} tools is integrated with another system.")
        else:
            verb = "is" if integrated_count == 1 else "are"
            reasons.append(
                f"Only {integrated_count} of {tool_count} tools {verb} integrated "
                "with another system."
            )

    return StackSummary(
        tool_count=tool_count,
        used_daily_count=tool_count - unused_count,
        unused_count=unused_count,
        monthly_spend_usd=monthly,
        unused_monthly_spend_usd=unused_monthly,
        annual_spend_usd=monthly * MONTHS_PER_YEAR,
        integrated_count=integrated_count,
        sprawl=bool(reasons),
        sprawl_reasons=tuple(reasons),
    )


def format_usd(amount: Decimal) -> str:
    """``$1,240`` for a whole amount, ``$1,240.50`` otherwise (rounded half up to cents)."""
    cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    if cents == cents.to_integral_value():
        return f"{sign}${int(cents):,}"
    return f"{sign}${cents:,.2f}"


def _check_tool(tool: ToolInput) -> None:
    cost = tool.monthly_cost_usd
    if not cost.is_finite() or cost < 0:
        raise ValueError(f"Tool {tool.name!r}: monthly cost must be zero or more USD, got {cost}.")
    if tool.seats < 0:
        raise ValueError(f"Tool {tool.name!r}: seats must be zero or more, got {tool.seats}.")

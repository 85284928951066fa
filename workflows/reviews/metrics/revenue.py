"""Day 90: AI-attributable pipeline (cost per AI touch: ``cost``).

Pure module: pandas + stdlib, no Django, no clock. PRODUCT.md section 3, "The reviews".
USD amounts are floats (the importer gives floats); ``as_json`` rounds them to the cent.
The credit policy's shares are Decimals, so the documented policy is exact.

AI-attributable pipeline (the public attribution method): every opportunity created in the
window carries one AI flag. Its credit is 1 for AI-generated, 0.3 for AI-assisted (the 30/70
default, editable), 0 for AI-scored and 0 for none; its time-decay weight is
0.5 ** (days from ``touch_date`` to ``created_date`` / half-life days), and 1 when the touch
date is missing or after the created date. Attributed USD = amount x credit x decay.
AI-attributable pipeline = the sum of attributed USD; the non-AI pipeline, reported side by
side, is the rest of each opportunity's amount: all of a none or scored opportunity, the
uncredited share of an assisted one, and the share time decay takes off a credited one.

Each opportunity is open, won or lost (its CRM stage; open when the input has no ``stage``).
Pipeline created, won and lost are reported side by side. A closed-lost deal is pipeline
that is gone: it earns no credit and is kept apart as lost, so the pipeline that counts
(for attribution and for payback) is created pipeline minus lost, that is open + won. So
attributable + non-AI + lost = created (``total_usd``), and the per-opportunity breakdown
audits all three.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from workflows.reviews.metrics._common import (
    USD_DIGITS,
    check_columns,
    check_values,
    check_window,
    frame_as_json,
    in_window,
    round_or_none,
    to_days,
    window_days,
)

GENERATED = "generated"
ASSISTED = "assisted"
SCORED = "scored"
NO_AI = "none"
AI_FLAGS = (GENERATED, ASSISTED, SCORED, NO_AI)


OPEN = "open"
WON = "won"
LOST = "lost"
STAGES = (OPEN, WON, LOST)

OPPORTUNITY_COLUMNS = ("opportunity_id", "created_date", "amount_usd", "ai_flag", "touch_date")
# Optional: without it every opportunity is open.
STAGE_COLUMN = "stage"


@dataclass(frozen=True)
class CreditPolicy:
    """The documented attribution policy: the share of an opportunity's amount each AI flag
    earns (0..1), and the time-decay half-life in days. Opportunities flagged none earn 0."""

    generated: Decimal = Decimal(1)
    assisted: Decimal = Decimal("0.3")
    scored: Decimal = Decimal(0)
    half_life_days: int = 30

    def __post_init__(self) -> None:
        for name in (GENERATED, ASSISTED, SCORED):
            share = Decimal(str(getattr(self, name)))
            if not share.is_finite() or not 0 <= share <= 1:
                raise ValueError(f"The {name} credit must be between 0 and 1, got {share}.")
            object.__setattr__(self, name, share)
        if self.half_life_days < 1:
            raise ValueError(f"The half-life must be at least 1 day, got {self.half_life_days}.")

    def credit_for(self, flag: str) -> Decimal:
        """The share of the amount an opportunity with AI flag ``flag`` earns."""
        credits = {
            GENERATED: self.generated,
            ASSISTED: self.assisted,
            SCORED: self.scored,
            NO_AI: Decimal(0),
        }
        return credits[flag]

    def describe(self) -> str:
        """The policy in one plain sentence, for the review page and the board report."""
        assisted = _percent(self.assisted)
        return (
            f"AI-generated {_percent(self.generated)}% credit, AI-assisted {assisted}% "
            f"({assisted}/{100 - assisted}), AI-scored {_percent(self.scored)}%; time decay "
            f"halves the credit every {self.half_life_days} days from the AI touch."
        )

    def as_json(self) -> dict[str, Any]:
        return {
            GENERATED: str(self.generated),
            ASSISTED: str(self.assisted),
            SCORED: str(self.scored),
            "half_life_days": self.half_life_days,
            "description": self.describe(),
        }


@dataclass(frozen=True)
class FlagPipeline:
    """The opportunities of one AI flag that count (open or won): count, total
    ``amount_usd`` and ``attributed_usd``."""

    flag: str
    opportunities: int
    amount_usd: float
    attributed_usd: float

    def as_json(self) -> dict[str, Any]:
        return {
            "flag": self.flag,
            "opportunities": self.opportunities,
            "amount_usd": round_or_none(self.amount_usd, USD_DIGITS),
            "attributed_usd": round_or_none(self.attributed_usd, USD_DIGITS),
        }


@dataclass(frozen=True)
class StagePipeline:
    """The opportunities created in the window that are now ``stage``: count and USD."""

    stage: str
    opportunities: int
    amount_usd: float

    def as_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "opportunities": self.opportunities,
            "amount_usd": round_or_none(self.amount_usd, USD_DIGITS),
        }


@dataclass(frozen=True)
class PipelineResult:
    """AI-attributable and non-AI pipeline (USD) of the opportunities created in start..end.

    ``total_usd`` is the pipeline created (every stage); ``open_usd``, ``won_usd`` and
    ``lost_usd`` split it by stage, and ``by_stage`` has one StagePipeline per stage in
    STAGES order. ``attributable_usd`` + ``non_ai_usd`` = ``total_usd`` - ``lost_usd``: a
    lost deal counts in neither. ``opportunities`` counts them all, ``credited_opportunities``
    the open or won ones earning credit. ``by_flag`` has one FlagPipeline per AI flag in
    AI_FLAGS order (open and won deals). ``breakdown`` has one row per opportunity (by
    created date, then id): ``opportunity_id``, ``created_date``, ``touch_date`` (date or
    None), ``amount_usd``, ``ai_flag``, ``stage``, ``credit`` (0..1), ``decay`` (0..1),
    ``attributed_usd``, ``non_ai_usd`` and ``lost_usd`` (the amount of a lost deal, else 0).
    ``daily`` has one row per day of the window: ``day`` (date), ``attributed_usd`` (that
    day's) and ``cumulative_usd``.
    """

    start: date
    end: date
    policy: CreditPolicy
    total_usd: float
    attributable_usd: float
    non_ai_usd: float
    opportunities: int
    credited_opportunities: int
    by_flag: tuple[FlagPipeline, ...]
    open_usd: float
    won_usd: float
    lost_usd: float
    by_stage: tuple[StagePipeline, ...]
    breakdown: pd.DataFrame = field(compare=False, repr=False)
    daily: pd.DataFrame = field(compare=False, repr=False)

    def as_json(self) -> dict[str, Any]:
        usd = {
            "amount_usd": USD_DIGITS,
            "attributed_usd": USD_DIGITS,
            "non_ai_usd": USD_DIGITS,
            "lost_usd": USD_DIGITS,
        }
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "policy": self.policy.as_json(),
            "total_usd": round_or_none(self.total_usd, USD_DIGITS),
            "attributable_usd": round_or_none(self.attributable_usd, USD_DIGITS),
            "non_ai_usd": round_or_none(self.non_ai_usd, USD_DIGITS),
            "opportunities": self.opportunities,
            "credited_opportunities": self.credited_opportunities,
            "by_flag": [flag.as_json() for flag in self.by_flag],
            "open_usd": round_or_none(self.open_usd, USD_DIGITS),
            "won_usd": round_or_none(self.won_usd, USD_DIGITS),
            "lost_usd": round_or_none(self.lost_usd, USD_DIGITS),
            "by_stage": [stage.as_json() for stage in self.by_stage],
            "breakdown": frame_as_json(self.breakdown, usd),
            "daily": frame_as_json(
                self.daily, {"attributed_usd": USD_DIGITS, "cumulative_usd": USD_DIGITS}
            ),
        }


def attributable_pipeline(
    opportunities: pd.DataFrame, *, policy: CreditPolicy, start: date, end: date
) -> PipelineResult:
    """AI-attributable vs non-AI pipeline (USD) of the opportunities created in start..end,
    with pipeline created, won and lost side by side.

    ``opportunities`` has the columns of OPPORTUNITY_COLUMNS and optionally ``stage`` (open,
    won or lost; all open without it); ``touch_date`` may be missing (None/NaT). Attributed
    USD = amount x credit(flag) x 0.5 ** (days from touch to creation / half-life), no decay
    without a touch date or with a touch after creation; 0 for a lost deal.

    Raises:
        ValueError: for a missing column or amount, an unknown AI flag or stage, or ``end``
            before ``start``.
    """
    check_window(start, end)
    check_columns(opportunities, OPPORTUNITY_COLUMNS, name="The opportunities")
    check_values(opportunities["ai_flag"], AI_FLAGS, name="AI flag")
    if opportunities["amount_usd"].isna().any():
        raise ValueError("Every opportunity needs an amount in USD.")
    if opportunities["ai_flag"].isna().any():
        raise ValueError(f"Every opportunity needs an AI flag ({', '.join(AI_FLAGS)}).")
    if STAGE_COLUMN in opportunities:
        check_values(opportunities[STAGE_COLUMN].fillna(OPEN), STAGES, name="stage")
    created = to_days(opportunities["created_date"])
    chosen = opportunities[in_window(created, start, end)]
    created = created[chosen.index]
    touched = to_days(chosen["touch_date"])
    amount = chosen["amount_usd"].astype("float64")
    stage = (
        chosen[STAGE_COLUMN].fillna(OPEN).astype(str)
        if STAGE_COLUMN in chosen
        else pd.Series(OPEN, index=chosen.index, dtype=str)
    )
    lost = stage == LOST
    credit = chosen["ai_flag"].map(lambda flag: float(policy.credit_for(flag))).astype("float64")
    lag_days = (created - touched).dt.days
    decay = pd.Series(
        np.where(lag_days.notna() & (lag_days >= 0), 0.5 ** (lag_days / policy.half_life_days), 1),
        index=chosen.index,
        dtype="float64",
    )
    counted = amount.where(~lost, 0.0)
    attributed = counted * credit * decay
    breakdown = pd.DataFrame(
        {
            "opportunity_id": chosen["opportunity_id"].astype(str),
            "created_date": _dates(created),
            "touch_date": _dates(touched),
            "amount_usd": amount,
            "ai_flag": chosen["ai_flag"].astype(str),
            "stage": stage,
            "credit": credit,
            "decay": decay,
            "attributed_usd": attributed,
            "non_ai_usd": counted - attributed,
            "lost_usd": amount.where(lost, 0.0),
        }
    )
    breakdown = breakdown.sort_values(["created_date", "opportunity_id"]).reset_index(drop=True)
    total = float(amount.sum())
    lost_usd = float(breakdown["lost_usd"].sum())
    attributable = float(attributed.sum())
    by_stage = tuple(_stage_pipeline(breakdown, name) for name in STAGES)
    kept = breakdown[breakdown["stage"] != LOST]
    return PipelineResult(
        start=start,
        end=end,
        policy=policy,
        total_usd=total,
        attributable_usd=attributable,
        non_ai_usd=total - lost_usd - attributable,
        opportunities=len(breakdown),
        credited_opportunities=int((kept["credit"] > 0).sum()),
        by_flag=tuple(_flag_pipeline(kept, flag) for flag in AI_FLAGS),
        open_usd=by_stage[0].amount_usd,
        won_usd=by_stage[1].amount_usd,
        lost_usd=lost_usd,
        by_stage=by_stage,
        breakdown=breakdown,
        daily=_daily(breakdown, start=start, end=end),
    )


def _flag_pipeline(breakdown: pd.DataFrame, flag: str) -> FlagPipeline:
    rows = breakdown[breakdown["ai_flag"] == flag]
    return FlagPipeline(
        flag=flag,
        opportunities=len(rows),
        amount_usd=float(rows["amount_usd"].sum()),
        attributed_usd=float(rows["attributed_usd"].sum()),
    )


def _stage_pipeline(breakdown: pd.DataFrame, stage: str) -> StagePipeline:
    rows = breakdown[breakdown["stage"] == stage]
    return StagePipeline(
        stage=stage, opportunities=len(rows), amount_usd=float(rows["amount_usd"].sum())
    )


def _daily(breakdown: pd.DataFrame, *, start: date, end: date) -> pd.DataFrame:
    days = [start + timedelta(days=offset) for offset in range(window_days(start, end))]
    per_day = breakdown.groupby("created_date")["attributed_usd"].sum()
    daily = pd.DataFrame(
        {"day": days, "attributed_usd": [float(per_day.get(day, 0.0)) for day in days]}
    )
    daily["cumulative_usd"] = daily["attributed_usd"].cumsum()
    return daily


def _dates(days: pd.Series) -> list[date | None]:
    return [None if pd.isna(day) else day.date() for day in days]


def _percent(share: Decimal) -> int | Decimal:
    percent = share * 100
    return int(percent) if percent == percent.to_integral_value() else percent.normalize()

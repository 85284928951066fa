"""Review metrics, day 90: the AI-attributable pipeline by hand-computed cases."""

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from tests.domain.metrics_helpers import (
    Q1_END,
    Q1_START,
    staged_opportunities,
    standard_opportunities,
)
from workflows.reviews.metrics import (
    CreditPolicy,
    attributable_pipeline,
    payback,
)

# --- Day 90: AI-attributable pipeline -------------------------------------------------


def test_pipeline_credits_each_flag_with_time_decay():
    result = attributable_pipeline(
        standard_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    # A 10,000 x 1 x 1 + B 20,000 x 0.3 x 0.5 + E 4,000 x 1 x 1 + F 1,000 x 0.3 x 1
    # = 10,000 + 3,000 + 4,000 + 300 = 17,300.
    assert result.attributable_usd == pytest.approx(17_300)
    # Total 10,000 + 20,000 + 5,000 + 8,000 + 4,000 + 1,000 = 48,000; non-AI 30,700.
    assert result.total_usd == pytest.approx(48_000)
    assert result.non_ai_usd == pytest.approx(30_700)
    assert (result.opportunities, result.credited_opportunities) == (6, 4)


def test_pipeline_breakdown_audits_every_opportunity():
    result = attributable_pipeline(
        standard_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    expected = pd.DataFrame(
        {
            "opportunity_id": ["A", "E", "C", "B", "D", "F"],
            "created_date": [
                date(2026, 1, 10),
                date(2026, 1, 10),
                date(2026, 2, 1),
                date(2026, 2, 14),
                date(2026, 3, 1),
                date(2026, 3, 31),
            ],
            "touch_date": [
                date(2026, 1, 10),
                None,
                date(2026, 1, 20),
                date(2026, 1, 15),
                None,
                date(2026, 4, 2),
            ],
            "amount_usd": [10_000.0, 4_000.0, 5_000.0, 20_000.0, 8_000.0, 1_000.0],
            "ai_flag": ["generated", "generated", "scored", "assisted", "none", "assisted"],
            "stage": ["open"] * 6,  # no stage column: every deal is open
            "credit": [1.0, 1.0, 0.0, 0.3, 0.0, 0.3],
            # C: 12 days before creation, 0.5 ** (12 / 30) = 0.757858.
            "decay": [1.0, 1.0, 0.5 ** (12 / 30), 0.5, 1.0, 1.0],
            "attributed_usd": [10_000.0, 4_000.0, 0.0, 3_000.0, 0.0, 300.0],
            "non_ai_usd": [0.0, 0.0, 5_000.0, 17_000.0, 8_000.0, 700.0],
            "lost_usd": [0.0] * 6,
        }
    )
    pd.testing.assert_frame_equal(result.breakdown, expected, check_dtype=False)


def test_pipeline_reports_flags_side_by_side():
    result = attributable_pipeline(
        standard_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    by_flag = {f.flag: (f.opportunities, f.amount_usd, f.attributed_usd) for f in result.by_flag}
    assert by_flag == {
        "generated": (2, 14_000, 14_000),
        "assisted": (2, 21_000, pytest.approx(3_300)),
        "scored": (1, 5_000, 0),
        "none": (1, 8_000, 0),
    }


@pytest.mark.parametrize(
    ("policy", "attributable"),
    [
        # 10,000 + 20,000 x 0.5 x 0.5 + 4,000 + 1,000 x 0.5 = 19,500.
        (CreditPolicy(assisted=Decimal("0.5")), 19_500),
        # 10,000 + 0 + 4,000 + 0 = 14,000.
        (CreditPolicy(assisted=Decimal(0)), 14_000),
        # Half-life 15 days: B decays 0.25, 20,000 x 0.3 x 0.25 = 1,500; 15,800.
        (CreditPolicy(half_life_days=15), 15_800),
        # Scored at 0.2: C adds 5,000 x 0.2 x 0.5 ** (12/30) = 757.858; 18,057.858.
        (CreditPolicy(scored=Decimal("0.2")), 17_300 + 1_000 * 0.5 ** (12 / 30)),
    ],
)
def test_pipeline_follows_the_edited_credit_policy(policy, attributable):
    result = attributable_pipeline(
        standard_opportunities(), policy=policy, start=Q1_START, end=Q1_END
    )
    assert result.attributable_usd == pytest.approx(attributable)
    assert result.attributable_usd + result.non_ai_usd == pytest.approx(48_000)


def test_pipeline_reports_created_won_and_lost_side_by_side():
    result = attributable_pipeline(
        staged_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    # Created 48,000 = won A 10,000 + D 8,000 = 18,000; lost B 20,000 + E 4,000 = 24,000;
    # open C 5,000 + F 1,000 = 6,000.
    assert (result.total_usd, result.won_usd, result.lost_usd, result.open_usd) == (
        48_000,
        18_000,
        24_000,
        6_000,
    )
    assert [(s.stage, s.opportunities, s.amount_usd) for s in result.by_stage] == [
        ("open", 2, 6_000),
        ("won", 2, 18_000),
        ("lost", 2, 24_000),
    ]
    # Lost deals earn nothing: A 10,000 x 1 + F 1,000 x 0.3 = 10,300 (B and E are lost).
    assert result.attributable_usd == pytest.approx(10_300)
    # Non-AI: the 24,000 that counts (open + won) less 10,300 = 13,700.
    assert result.non_ai_usd == pytest.approx(13_700)
    assert result.credited_opportunities == 2
    rows = result.breakdown.set_index("opportunity_id")
    assert rows.loc["B", ["attributed_usd", "non_ai_usd", "lost_usd"]].tolist() == [0, 0, 20_000]
    assert rows.loc["A", "lost_usd"] == 0
    assert {f.flag: f.amount_usd for f in result.by_flag} == {
        "generated": 10_000,
        "assisted": 1_000,
        "scored": 5_000,
        "none": 8_000,
    }
    frozen = result.as_json()
    assert (frozen["won_usd"], frozen["lost_usd"], frozen["open_usd"]) == (18_000, 24_000, 6_000)


def test_a_lost_deal_never_counts_toward_payback():
    deals = pd.DataFrame(
        {
            "opportunity_id": ["won", "lost", "open"],
            "created_date": [date(2026, 1, 10), date(2026, 1, 20), date(2026, 2, 1)],
            "amount_usd": [10_000.0, 5_000.0, 3_000.0],
            "ai_flag": ["generated"] * 3,
            "touch_date": [None] * 3,
            "stage": ["won", "lost", "open"],
        }
    )

    def payback_of(frame):
        pipeline = attributable_pipeline(frame, policy=CreditPolicy(), start=Q1_START, end=Q1_END)
        return payback(pipeline.daily, build_cost_usd=12_000, build_date=Q1_START, as_of=Q1_END)

    # Counted as open, the lost deal would pay the build back on 20 Jan (day 19); it does
    # not count, so 10,000 + the open 3,000 reach 12,000 on 1 Feb (day 31).
    assert payback_of(deals.drop(columns="stage")).days == 19
    assert payback_of(deals).days == 31


def test_an_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="stage"):
        attributable_pipeline(
            standard_opportunities().assign(stage="pending"),
            policy=CreditPolicy(),
            start=Q1_START,
            end=Q1_END,
        )


def test_pipeline_daily_series_is_cumulative_over_the_window():
    result = attributable_pipeline(
        standard_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    daily = result.daily.set_index("day")
    assert len(daily) == 90
    # 10 Jan: A + E = 14,000; 14 Feb: + B 3,000 = 17,000; 31 Mar: + F 300 = 17,300.
    assert daily.loc[date(2026, 1, 9), "cumulative_usd"] == 0
    assert daily.loc[date(2026, 1, 10), "attributed_usd"] == 14_000
    assert daily.loc[date(2026, 2, 14), "cumulative_usd"] == pytest.approx(17_000)
    assert daily.loc[date(2026, 3, 31), "cumulative_usd"] == pytest.approx(17_300)


@pytest.mark.parametrize("share", ["-0.1", "1.5", "NaN"])
def test_credit_policy_rejects_shares_outside_zero_to_one(share):
    with pytest.raises(ValueError, match="assisted credit"):
        CreditPolicy(assisted=Decimal(share))


def test_credit_policy_describes_itself():
    assert CreditPolicy(assisted=Decimal("0.5")).describe() == (
        "AI-generated 100% credit, AI-assisted 50% (50/50), AI-scored 0%; time decay halves "
        "the credit every 30 days from the AI touch."
    )

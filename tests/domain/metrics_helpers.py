"""Helpers shared by the test_metrics.py split."""

import math
from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, settings
from scipy import stats

from tests.hypothesis_profiles import examples
from workflows.reviews.metrics import (
    throughput,
)

Z = stats.norm.ppf(0.975)
START = date(2026, 3, 2)
END = date(2026, 3, 15)  # 14 days: 2 weeks
PROPERTY_SETTINGS = settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def run_rows(*rows):
    """(day, arm, status, stopped_at_step, runs, ai_steps) tuples -> a run log."""
    return pd.DataFrame(
        {
            "day": [row[0] for row in rows],
            "arm": [row[1] for row in rows],
            "status": [row[2] for row in rows],
            "stopped_at_step": [row[3] for row in rows],
            "runs": [row[4] for row in rows],
            "ai_steps": [row[5] for row in rows],
            "steps_total": [row[4] * 5 for row in rows],
            "steps_succeeded": [row[4] * 4 for row in rows],
        }
    )


def empty_runs():
    return run_rows()


def standard_runs():
    """Orchestrated: 40 succeeded, 8 failed, 2 running = 50 runs; baseline: 15 succeeded,
    5 failed = 20 runs. One orchestrated row the day after the window is left out."""
    return run_rows(
        (date(2026, 3, 2), "orchestrated", "succeeded", "", 25, 75),
        (date(2026, 3, 10), "orchestrated", "succeeded", "", 15, 45),
        (date(2026, 3, 3), "orchestrated", "failed", "Send SMS", 5, 5),
        (date(2026, 3, 11), "orchestrated", "failed", "Enrich lead", 3, 0),
        (date(2026, 3, 15), "orchestrated", "running", "", 2, 2),
        (date(2026, 3, 4), "baseline", "succeeded", "", 15, 0),
        (date(2026, 3, 12), "baseline", "failed", "Copy to CRM", 5, 0),
        (date(2026, 3, 16), "orchestrated", "succeeded", "", 99, 99),
    )


def wald_log_ratio(a, exposure_a, b, exposure_b):
    ratio = (a / exposure_a) / (b / exposure_b)
    half = Z * math.sqrt(1 / a + 1 / b)
    return ratio, ratio * math.exp(-half), ratio * math.exp(half)


def wilson(k, n):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def newcombe(k1, n1, k0, n0):
    p1, p0 = k1 / n1, k0 / n0
    (l1, u1), (l0, u0) = wilson(k1, n1), wilson(k0, n0)
    d = p1 - p0
    return d, d - math.hypot(p1 - l1, u0 - p0), d + math.hypot(u1 - p1, p0 - l0)


def interval_tuple(interval):
    return interval.estimate, interval.lower, interval.upper


def events_frame(*rows):
    """(occurred_at ISO string, kind, arm) tuples -> downstream events."""
    return pd.DataFrame(
        {
            "occurred_at": pd.to_datetime([row[0] for row in rows], utc=True),
            "kind": [row[1] for row in rows],
            "arm": [row[2] for row in rows],
        }
    )


def standard_events():
    """10 orchestrated and 2 baseline booked calls in the window, plus noise it ignores."""
    rows = [(f"2026-03-{day:02d}T10:00:00Z", "booked_call", "orchestrated") for day in range(3, 13)]
    rows += [
        ("2026-03-05T09:00:00Z", "booked_call", "baseline"),
        # 00:30 at UTC+2 on 16 March is 22:30 UTC on 15 March: inside the window.
        ("2026-03-16T00:30:00+02:00", "booked_call", "baseline"),
        ("2026-03-16T00:30:00Z", "booked_call", "orchestrated"),  # after the window
        ("2026-03-05T09:00:00Z", "opportunity", "orchestrated"),  # another kind
    ]
    return events_frame(*rows)


Q1_START, Q1_END = date(2026, 1, 1), date(2026, 3, 31)


def standard_opportunities():
    return pd.DataFrame(
        {
            "opportunity_id": ["A", "B", "C", "D", "E", "F", "G"],
            "created_date": [
                date(2026, 1, 10),
                date(2026, 2, 14),
                date(2026, 2, 1),
                date(2026, 3, 1),
                date(2026, 1, 10),
                date(2026, 3, 31),
                date(2026, 4, 1),  # after the window
            ],
            "amount_usd": [10_000.0, 20_000.0, 5_000.0, 8_000.0, 4_000.0, 1_000.0, 99_999.0],
            "ai_flag": ["generated", "assisted", "scored", "none", "generated", "assisted", "none"],
            "touch_date": [
                date(2026, 1, 10),  # same day: no decay
                date(2026, 1, 15),  # 30 days before: decay 0.5
                date(2026, 1, 20),
                None,
                None,  # no touch date: no decay
                date(2026, 4, 2),  # after creation: no decay
                None,
            ],
        }
    )


def staged_opportunities():
    # A won, B lost, C open, D won, E lost, F open; G (after the window) won.
    return standard_opportunities().assign(
        stage=["won", "lost", "open", "won", "lost", "open", "won"]
    )


def standard_spend():
    rows = [
        (date(2025, 12, 1), "subscription", 1_000.0),  # before the window
        (date(2026, 1, 1), "subscription", 310.0),
        (date(2026, 1, 1), "model_usage", 62.0),
        (date(2026, 2, 1), "subscription", 280.0),
        (date(2026, 2, 1), "maintenance", 400.0),
        (date(2026, 3, 1), "subscription", 300.0),
    ]
    return pd.DataFrame(rows, columns=["month", "category", "amount_usd"])


def spend_runs():
    return run_rows(
        (date(2026, 1, 10), "orchestrated", "succeeded", "", 10, 1_000),  # before the window
        (date(2026, 1, 20), "orchestrated", "succeeded", "", 20, 96),
        (date(2026, 2, 3), "orchestrated", "succeeded", "", 30, 170),
        (date(2026, 2, 3), "baseline", "succeeded", "", 30, 0),
    )


def daily(first_day, amounts):
    return pd.DataFrame(
        {
            "day": [first_day + timedelta(days=offset) for offset in range(len(amounts))],
            "attributed_usd": [float(amount) for amount in amounts],
        }
    )


GO_LIVE = date(2026, 1, 1)


def throughput_of(orchestrated, baseline):
    runs = run_rows(
        (START, "orchestrated", "succeeded", "", orchestrated, 0),
        (START, "baseline", "succeeded", "", baseline, 0),
    )
    return throughput(runs, start=START, end=END)


def generated_opportunities(count):
    return pd.DataFrame(
        {
            "opportunity_id": [f"O{n}" for n in range(count)],
            "created_date": [date(2026, 2, 1)] * count,
            "amount_usd": [1_000.0] * count,
            "ai_flag": ["generated"] * count,
            "touch_date": [None] * count,
        }
    )


def opportunities_of(rows):
    return pd.DataFrame(
        {
            "opportunity_id": [f"O{n}" for n in range(len(rows))],
            "created_date": [row[0] for row in rows],
            "amount_usd": [row[1] for row in rows],
            "ai_flag": [row[2] for row in rows],
            "touch_date": [row[3] for row in rows],
        },
        columns=["opportunity_id", "created_date", "amount_usd", "ai_flag", "touch_date"],
    )

"""Synthetic self-score answers for the demo dataset and benchmarks.

Pure module. Each synthetic team has a hidden maturity in 0..1; each answer is that
maturity plus noise, so dimension scores correlate the way real teams' do. Deterministic
for a given ``random.Random`` seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from .definition import Definition
from .scoring import Answer, ToolCounts

REVENUE_BANDS = ("lt5m", "5-20m", "20-50m", "50-200m", "gt200m")
BUSINESS_MODELS = ("b2b", "b2b", "b2b", "both", "b2c")
TEAM_SIZES = ("1-5", "6-15", "6-15", "16-50", "51+")


def synthetic_profile(rng: random.Random) -> dict[str, str]:
    """A random company profile, weighted towards the product's B2B SaaS buyers."""
    return {
        "revenue_band": rng.choice(REVENUE_BANDS),
        "business_model": rng.choice(BUSINESS_MODELS),
        "team_size": rng.choice(TEAM_SIZES),
    }


def synthetic_answers(definition: Definition, rng: random.Random) -> dict[str, Answer]:
    """Answers of one synthetic team; orchestration answers skew low (few teams orchestrate)."""
    maturity = rng.betavariate(2.2, 2.6)
    answers: dict[str, Answer] = {}
    for question in definition.questions:
        skew = -0.12 if question.dimension_id == "orchestration" else 0.0
        level = round(3 * min(1.0, max(0.0, maturity + skew + rng.gauss(0, 0.18))))
        if question.kind == "tool_count":
            paid = {
                3: rng.randint(1, 3),
                2: rng.randint(4, 6),
                1: rng.randint(7, 9),
                0: rng.randint(10, 16),
            }[level]
            daily = max(0, min(paid, round(paid * rng.uniform(0.45 + 0.15 * level, 1.0))))
            answers[question.id] = ToolCounts(paid=paid, daily=daily)
        else:
            answers[question.id] = level
    return answers


def synthetic_teams(
    definition: Definition, count: int, seed: int
) -> Iterator[tuple[dict[str, str], dict[str, Answer]]]:
    """``count`` synthetic ``(profile, answers)`` pairs from ``seed``."""
    rng = random.Random(seed)  # nosec B311 # noqa: S311 - synthetic data, not security
    for _ in range(count):
        yield synthetic_profile(rng), synthetic_answers(definition, rng)

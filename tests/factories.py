"""Test data built through the real services, so stored results are really scored."""

import random
from datetime import UTC, datetime

from benchmark.demo import synthetic_teams
from benchmark.scoring import ToolCounts
from benchmark.selectors import definition_get_current
from benchmark.services import response_submit, responses_bulk_create

PROFILE = {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}
COMPLETED_AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def uniform_answers(level: int = 2) -> dict:
    """Every choice question at ``level``; tool counts that score the same level."""
    counts = {3: ToolCounts(2, 2), 2: ToolCounts(5, 5), 1: ToolCounts(8, 8), 0: ToolCounts(12, 12)}[
        level
    ]
    return {
        q.id: counts if q.kind == "tool_count" else level
        for q in definition_get_current().questions
    }


def response_create(level: int = 2, profile: dict | None = None, is_demo: bool = False):
    return response_submit(
        profile=profile or PROFILE,
        answers=uniform_answers(level),
        completed_at=COMPLETED_AT,
        is_demo=is_demo,
    )


def responses_create(
    count: int, *, seed: int = 7, is_demo: bool = False, profile: dict | None = None
) -> int:
    definition = definition_get_current()
    items = [
        (profile or p, answers, COMPLETED_AT)
        for p, answers in synthetic_teams(definition, count, seed=seed)
    ]
    random.Random(seed).shuffle(items)
    return responses_bulk_create(items=items, is_demo=is_demo)

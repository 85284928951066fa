"""Test data built through the real services, so stored results are really scored."""

import random
from datetime import UTC, datetime

import factory
from django.contrib.auth.models import User

from benchmark.demo import synthetic_teams
from benchmark.scoring import ToolCounts
from benchmark.selectors import definition_get_current
from benchmark.services import response_submit, responses_bulk_create
from core.models import Membership, Organization

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


def response_create(
    level: int = 2,
    profile: dict | None = None,
    is_demo: bool = False,
    membership: Membership | None = None,
    completed_at: datetime = COMPLETED_AT,
    answers: dict | None = None,
):
    return response_submit(
        profile=profile or PROFILE,
        answers=answers or uniform_answers(level),
        completed_at=completed_at,
        is_demo=is_demo,
        organization=membership.organization if membership else None,
        respondent=membership.user if membership else None,
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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    username = factory.SelfAttribute("email")
    first_name = "Dana"
    last_name = factory.Sequence(lambda n: f"Member{n}")
    password = factory.django.Password("correct horse battery")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Acme Analytics {n}")
    slug = factory.Sequence(lambda n: f"acme-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MEMBER

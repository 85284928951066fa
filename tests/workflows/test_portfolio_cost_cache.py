"""The portfolio's cost per AI touch is computed once per version of a workflow's run log
and spend (issue 13, ``workflows.portfolio.cost_cache``): a load after an import, a
received run or a new spend month shows the new figure."""

import io
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command

from core.models import Membership
from workflows.models import RunDay, SpendMonth

pytestmark = pytest.mark.django_db

URL = "/orgs/northwind-demo/portfolio/"


@pytest.fixture
def vp_client(client):
    call_command("load_demo", responses=30, stdout=io.StringIO())
    client.force_login(Membership.objects.get(user__email="vp@demo.example").user)
    return client


def ai_steps_shown(client):
    page = client.get(URL).content.decode()
    return [int(n) for n in re.findall(r"(\d+) AI steps", page)], page


def cost_keys():
    return [k for k in caches["pages"]._cache if "portfolio:cost:" in k]


def test_the_cost_is_computed_once_and_then_read(vp_client):
    shown, _ = ai_steps_shown(vp_client)
    assert shown and len(cost_keys()) == len(shown)
    again, _ = ai_steps_shown(vp_client)
    assert again == shown and len(cost_keys()) == len(shown)


def test_more_run_data_shows_on_the_next_load(vp_client):
    before, _ = ai_steps_shown(vp_client)
    day = RunDay.objects.counted().filter(ai_steps__gt=0).order_by("-day").first()
    RunDay.objects.filter(pk=day.pk).update(ai_steps=day.ai_steps + 1000)
    after, _ = ai_steps_shown(vp_client)
    assert sum(after) == sum(before) + 1000


def test_new_spend_shows_on_the_next_load(vp_client):
    _, before = ai_steps_shown(vp_client)
    SpendMonth.objects.update(amount_usd=0)
    _, after = ai_steps_shown(vp_client)
    assert after != before and "$0.00" in after

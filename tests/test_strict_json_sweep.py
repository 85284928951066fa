"""Strict JSON everywhere the app serializes (issue "Real inputs, nothing lost", item 6).

- Every JSONField of every model stores through ``core.json.StrictJSONEncoder``.
- The ``json_script`` filter every template uses refuses NaN.
- A review whose window has a week without runs renders its charts as valid JSON and
  completes, on PostgreSQL too (jsonb refuses NaN).
"""

import json
import math
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.db import models
from django.template import Context, Template
from django.utils import timezone

from core.json import StrictJSONEncoder
from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, DownstreamEvent, Review, RunDay
from workflows.plans.services import plan_create

OUR_APPS = ("core", "benchmark", "audits", "workflows", "reports", "firms", "webhooks")


def json_fields():
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.JSONField):
                    yield f"{model._meta.label}.{field.name}", field


def test_the_sweep_finds_the_json_fields():
    names = {name for name, _ in json_fields()}
    assert {"workflows.Review.frozen", "benchmark.Response.result", "webhooks.Event.data"} <= names


@pytest.mark.parametrize(("name", "field"), list(json_fields()), ids=lambda v: str(v))
def test_every_json_field_refuses_nan(name, field):
    assert field.encoder is StrictJSONEncoder, f"{name} stores through {field.encoder}"
    with pytest.raises(ValueError, match="JSON compliant"):
        json.dumps({"rate": math.nan}, cls=field.encoder)  # as Django's adapt_json_value does


def test_json_script_in_templates_refuses_nan():
    template = Template('{{ value|json_script:"data" }}')
    assert '{"rate": 0.5}' in template.render(Context({"value": {"rate": 0.5}}))
    with pytest.raises(ValueError, match="JSON compliant"):
        template.render(Context({"value": {"rate": math.inf}}))


@pytest.mark.django_db
def test_a_week_without_runs_renders_and_completes(client):
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(member.user)
    workflow = CandidateWorkflow.objects.create(organization=member.organization, name="Inbound")
    start = timezone.localdate() - timedelta(days=80)
    plan = plan_create(workflow=workflow, start_date=start, timezone="UTC", owner=member.user)
    live = plan.go_live_date
    for offset in [*range(0, 7), *range(14, 60)]:  # the second week has no run at all
        for arm, runs in (("orchestrated", 10), ("baseline", 5)):
            RunDay.objects.create(
                workflow=workflow,
                day=live + timedelta(days=offset),
                arm=arm,
                status="succeeded",
                runs=runs,
                ai_steps=runs,
                steps_total=runs * 3,
                steps_succeeded=runs * 3,
            )
    for offset in (1, 20, 30):
        DownstreamEvent.objects.create(
            workflow=workflow,
            event_id=f"e{offset}",
            occurred_at=datetime.combine(live + timedelta(days=offset), datetime.min.time(), UTC),
            kind="booked_call",
            arm="orchestrated",
        )
    page_url = f"/orgs/{member.organization.slug}/workflows/{workflow.pk}/reviews/60/"
    page = client.get(page_url)
    assert page.status_code == 200
    soup = BeautifulSoup(page.content.decode(), "html.parser")
    for script in soup.find_all("script", type="application/json"):
        json.loads(script.string, parse_constant=lambda c: pytest.fail(f"{c} in the page"))
    done = client.post(page_url, {"decision": "keep_25", "notes": "", "confirmed": "1"})
    assert done.status_code == 302
    review = Review.objects.get(workflow=workflow, stage=60)
    assert review.completed_at is not None
    assert None in review.frozen["charts"]["conversion"]["data"][0]["y"]  # the empty week

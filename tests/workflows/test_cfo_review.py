"""The reviews' CFO-grade numbers: a frozen baseline, effects by design, risk-adjusted revenue."""

import importlib
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, Plan, Review, RunDay
from workflows.plans.services import plan_create
from workflows.reviews.services import review_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(client):
    call_command("load_demo", responses=5, stdout=io.StringIO())
    vp = Membership.objects.get(user__email="vp@demo.example")
    client.force_login(vp.user)
    return CandidateWorkflow.objects.get(name="Inbound demo-request follow-up")


def page(client, workflow, stage):
    return client.get(
        f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/reviews/{stage}/"
    ).content.decode()


def test_the_demo_reviews_show_the_baseline_and_effects_by_design(client, demo):
    for stage, z in ((30, "3.71"), (60, "2.51"), (90, "1.99")):
        html = page(client, demo, stage)
        assert "8 weeks" in html and "when the day-30 review was completed" in html
        assert "Randomized arms (experiment)" in html and "CUPED" in html
        assert "Difference-in-differences vs Webinar follow-up emails" in html
        assert "Lan-DeMets" in html and f"z = {z}" in html
        assert "Additive" in html
        assert 'data-chart="chart-pretrend-throughput"' in html


def test_the_day_90_review_shows_ranges_npv_and_the_haircut(client, demo):
    html = page(client, demo, 90)
    assert "AI-attributable pipeline" in html and "Likely" in html
    assert "projected" in html or "reached" in html
    assert "NPV over 3 years" in html and "won ×" in html
    assert "The risk haircut (Forrester TEI)" in html and "Credited opportunities" in html
    assert "Cost per AI touch, review by review" in html


def test_a_review_frozen_before_baselines_says_not_computed_then(client, demo):
    review = Review.objects.get(workflow=demo, stage=90)
    frozen = {
        k: v for k, v in review.frozen.items() if k not in ("baseline", "effects", "pipeline_range")
    }
    Review.objects.filter(pk=review.pk).update(frozen=frozen)
    html = page(client, demo, 90)
    assert html.count("Not computed then.") == 3


def test_the_plan_shows_the_frozen_baseline(client, demo):
    html = client.get(f"/orgs/northwind-demo/workflows/{demo.pk}/plan/").content.decode()
    assert "Baseline before go-live" in html and "8 weeks" in html and "Frozen" in html


def test_completing_day_30_freezes_the_baseline_and_later_uploads_do_not_move_it():
    membership = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    workflow = CandidateWorkflow.objects.create(organization=membership.organization, name="W")
    plan = plan_create(workflow=workflow, start_date=date(2026, 1, 5), timezone="UTC", owner=None)
    go_live = plan.go_live_date

    def runs(day, n):
        return RunDay(
            workflow=workflow,
            day=day,
            arm="baseline",
            status="succeeded",
            runs=n,
            ai_steps=0,
            steps_total=n,
            steps_succeeded=n,
        )

    RunDay.objects.bulk_create(runs(go_live - timedelta(days=d), 3) for d in range(1, 22))
    review = Review.objects.get(workflow=workflow, stage=30)
    review_complete(
        review=review,
        plan=plan,
        decision="keep_25",
        notes="",
        now=datetime.combine(review.due_date, datetime.min.time(), tzinfo=UTC),
    )
    plan.refresh_from_db()
    assert plan.baseline["weeks"] == 3 and plan.baseline["too_short"]
    assert plan.baseline["runs_per_week"] == 21
    review.refresh_from_db()
    assert "only 3 weeks" in " ".join(review.frozen["warnings"])
    RunDay.objects.bulk_create(runs(go_live - timedelta(days=d), 50) for d in range(22, 60))
    RunDay.objects.filter(workflow=workflow).update(runs=99)
    review_complete(
        review=Review.objects.get(workflow=workflow, stage=60),
        plan=plan,
        decision="keep_25",
        notes="",
        now=datetime(2026, 4, 1, tzinfo=UTC),
    )
    plan.refresh_from_db()
    assert plan.baseline["weeks"] == 3 and plan.baseline["runs_per_week"] == 21


def test_the_migration_backfills_plans_whose_day_30_review_is_done(demo):
    plan = Plan.objects.get(workflow=demo)
    frozen_at = plan.baseline_frozen_at
    Plan.objects.filter(pk=plan.pk).update(baseline=None, baseline_frozen_at=None)
    migration = importlib.import_module("workflows.migrations.0007_cfo_baseline")
    migration.backfill_baselines(apps, None)
    plan.refresh_from_db()
    assert plan.baseline["weeks"] == 8 and plan.baseline["backfilled"]
    assert plan.baseline_frozen_at == frozen_at

"""The 30-day plan, its calendar, reminders, and the reviews that freeze their numbers."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, Milestone, Plan, Review, RunDay
from workflows.plans.services import plan_create
from workflows.reviews.services import review_reminders_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    membership = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(membership.user)
    return membership


@pytest.fixture
def workflow(member):
    return CandidateWorkflow.objects.create(
        organization=member.organization, name="Inbound follow-up"
    )


def url(workflow, suffix=""):
    return f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/{suffix}"


def test_starting_the_plan_sets_milestones_and_reviews_from_the_dates(client, workflow):
    client.post(url(workflow, "plan/"), {"start_date": "2026-12-01", "timezone": "Europe/Berlin"})
    plan = Plan.objects.get()
    assert plan.go_live_date == date(2026, 12, 15)  # week 3
    milestones = list(Milestone.objects.order_by("due_date").values_list("key", "due_date"))
    assert milestones[0] == ("filter", date(2026, 12, 2))
    assert milestones[-1] == ("schedule", date(2026, 12, 28))
    assert dict(Review.objects.values_list("stage", "due_date")) == {
        30: date(2027, 1, 14),
        60: date(2027, 2, 13),
        90: date(2027, 3, 15),
    }


def test_moving_go_live_moves_open_reviews_only(client, workflow, member):
    plan = plan_create(
        workflow=workflow, start_date=date(2026, 12, 1), timezone="UTC", owner=member.user
    )
    Review.objects.filter(stage=30).update(completed_at=timezone.now(), frozen={"stage": 30})
    client.post(
        url(workflow, "plan/"),
        {
            "start_date": "2026-12-01",
            "go_live_date": "2026-12-20",
            "timezone": "UTC",
            "build_cost_usd": "24000",
            "assisted_credit": "0.30",
            "half_life_days": "30",
            "arms_randomized": "on",
            "discount_rate": "0.10",
            "gross_margin": "0.70",
        },
    )
    plan.refresh_from_db()
    assert plan.go_live_date == date(2026, 12, 20) and plan.build_cost_usd == 24000
    assert Review.objects.get(stage=30).due_date == date(2027, 1, 14)  # completed: kept
    assert Review.objects.get(stage=60).due_date == date(2027, 2, 18)


def test_go_live_before_the_start_is_refused(client, workflow, member):
    plan_create(workflow=workflow, start_date=date(2026, 12, 1), timezone="UTC", owner=member.user)
    reply = client.post(
        url(workflow, "plan/"),
        {
            "start_date": "2026-12-01",
            "go_live_date": "2026-11-20",
            "timezone": "UTC",
            "build_cost_usd": "0",
            "assisted_credit": "0.3",
            "half_life_days": "30",
            "arms_randomized": "on",
            "discount_rate": "0.10",
            "gross_margin": "0.70",
        },
    )
    assert reply.status_code == 422
    assert "Go-live cannot come before" in reply.content.decode()


def test_milestones_are_marked_done_with_htmx(client, workflow, member):
    plan_create(workflow=workflow, start_date=date(2026, 12, 1), timezone="UTC", owner=member.user)
    milestone = Milestone.objects.get(key="map")
    reply = client.post(
        url(workflow, f"plan/milestones/{milestone.pk}/"), {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    assert reply.content.decode().lstrip().startswith(f'<tr id="milestone-{milestone.pk}"')
    milestone.refresh_from_db()
    assert milestone.done_at is not None


def test_a_milestone_owner_must_be_a_member(client, workflow, member):
    plan_create(workflow=workflow, start_date=date(2026, 12, 1), timezone="UTC", owner=member.user)
    stranger = MembershipFactory().user
    milestone = Milestone.objects.get(key="map")
    client.post(url(workflow, f"plan/milestones/{milestone.pk}/"), {"owner": str(stranger.pk)})
    milestone.refresh_from_db()
    assert milestone.owner is None


def test_the_calendar_file_parses_with_unique_uids_and_a_time_zone(client, workflow, member):
    plan_create(
        workflow=workflow,
        start_date=date(2026, 12, 1),
        timezone="America/New_York",
        owner=member.user,
    )
    reply = client.get(url(workflow, "plan/calendar.ics"))
    assert reply["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(reply.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 13  # 10 milestones + 3 reviews
    assert len({str(e["UID"]) for e in events}) == 13
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/New_York"
    first = min(events, key=lambda e: e["DTSTART"].dt)
    assert first["DTSTART"].dt.tzinfo is not None and first["DTSTART"].dt.hour == 9


def test_a_reminder_goes_once_to_the_owner_of_a_review_due_soon(workflow, member):
    plan = plan_create(
        workflow=workflow, start_date=date(2026, 12, 1), timezone="UTC", owner=member.user
    )
    due = Review.objects.get(stage=30).due_date
    now = datetime.combine(due - timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    assert review_reminders_send(now=now) == 1
    assert review_reminders_send(now=now) == 0
    assert mail.outbox[0].to == [member.user.email]
    assert "Day 30" in mail.outbox[0].subject
    assert plan.workflow.name in mail.outbox[0].body


def test_no_reminder_for_a_review_far_off_or_completed(workflow, member):
    plan_create(workflow=workflow, start_date=date(2026, 12, 1), timezone="UTC", owner=member.user)
    assert review_reminders_send(now=datetime(2026, 12, 1, tzinfo=UTC)) == 0
    Review.objects.update(completed_at=timezone.now())
    assert review_reminders_send(now=datetime(2027, 3, 14, tzinfo=UTC)) == 0


def seed_runs(workflow, go_live, days=35):
    for offset in range(days):
        day = go_live + timedelta(days=offset)
        RunDay.objects.create(
            workflow=workflow,
            day=day,
            arm="orchestrated",
            status="succeeded",
            runs=10,
            ai_steps=30,
            steps_total=40,
            steps_succeeded=40,
        )
        RunDay.objects.create(
            workflow=workflow,
            day=day,
            arm="baseline",
            status="succeeded",
            runs=5,
            ai_steps=0,
            steps_total=20,
            steps_succeeded=20,
        )


def test_a_review_shows_its_metrics_and_completing_it_freezes_them(client, workflow, member):
    start = timezone.localdate() - timedelta(days=50)
    plan = plan_create(workflow=workflow, start_date=start, timezone="UTC", owner=member.user)
    seed_runs(workflow, plan.go_live_date)
    page = client.get(url(workflow, "reviews/30/")).content.decode()
    assert "70.0" in page and "35.0" in page  # runs a week: 10 and 5 a day
    assert "2.00×" in page
    entry = {"decision": "cut_over", "notes": "Held up."}
    asked = client.post(url(workflow, "reviews/30/"), entry).content.decode()
    assert "Complete the day-30 review?" in asked and "frozen as of today" in asked
    assert not Review.objects.filter(stage=30, completed_at__isnull=False).exists()
    back = client.post(url(workflow, "reviews/30/"), {**entry, "back": "1"}).content.decode()
    assert "Held up." in back  # Go back keeps the notes typed
    assert not Review.objects.filter(stage=30, completed_at__isnull=False).exists()
    client.post(url(workflow, "reviews/30/"), {**entry, "confirmed": "1"})
    review = Review.objects.get(stage=30)
    assert (
        review.completed_at and review.frozen["throughput"]["orchestrated"]["runs"] == 310
    )  # 31 days inclusive
    RunDay.objects.filter(arm="orchestrated").update(runs=1)  # later data changes...
    page = client.get(url(workflow, "reviews/30/")).content.decode()
    assert "70.0" in page  # ...but the completed review shows what was known then
    assert "Cut over" in page


def test_a_review_before_go_live_says_there_is_nothing_yet(client, workflow, member):
    plan_create(
        workflow=workflow,
        start_date=timezone.localdate() + timedelta(days=3),
        timezone="UTC",
        owner=member.user,
    )
    page = client.get(url(workflow, "reviews/30/")).content.decode()
    assert "there is nothing to measure yet" in page
    # No window that ends before it starts: it opens at go-live.
    go_live = Plan.objects.get(workflow=workflow).go_live_date
    assert f"the window opens at go-live on {go_live.isoformat()}" in page
    assert f"window {go_live.isoformat()} to" not in page


def test_revenue_metrics_before_day_90_carry_a_warning(client, workflow, member):
    start = timezone.localdate() - timedelta(days=50)
    plan_create(workflow=workflow, start_date=start, timezone="UTC", owner=member.user)
    page = client.get(url(workflow, "reviews/90/")).content.decode()
    assert "Not yet defensible" in page


def test_the_review_csv_neutralises_formula_cells(client, workflow, member):
    start = timezone.localdate() - timedelta(days=50)
    plan_create(workflow=workflow, start_date=start, timezone="UTC", owner=member.user)
    Review.objects.filter(stage=30).update(
        completed_at=timezone.now(),
        frozen={
            "as_of": "2026-01-01",
            "start": "x",
            "end": "y",
            "warnings": ['=HYPERLINK("http://x")'],
            "charts": {},
        },
    )
    body = client.get(url(workflow, "reviews/30/metrics.csv")).content.decode()
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_the_revenue_review_shows_pipeline_created_won_and_lost_and_lost_never_pays_back(
    client, workflow, member
):
    from decimal import Decimal

    from workflows.models import Opportunity

    start = timezone.localdate() - timedelta(days=130)
    plan = plan_create(workflow=workflow, start_date=start, timezone="UTC", owner=member.user)
    Plan.objects.filter(pk=plan.pk).update(build_cost_usd=Decimal(12_000))
    created = plan.go_live_date + timedelta(days=5)
    for key, stage, amount in [("A", "won", 10_000), ("B", "lost", 20_000), ("C", "open", 5_000)]:
        Opportunity.objects.create(
            workflow=workflow,
            opportunity_id=key,
            created_date=created,
            amount_usd=Decimal(amount),
            ai_flag="generated" if key != "C" else "none",
            stage=stage,
        )

    page = client.get(url(workflow, "reviews/90/")).content.decode()

    created_won_lost = page.split('aria-label="Pipeline created, won and lost"')[1][:1500]
    assert 'Pipeline created</div><div class="value">$35,000' in created_won_lost
    assert 'Won</div><div class="value">$10,000' in created_won_lost
    assert 'Lost</div><div class="value">$20,000' in created_won_lost
    assert 'Still open</div><div class="value">$5,000' in created_won_lost
    # The lost 20,000 would have paid the 12,000 build back; it does not count.
    assert 'AI-attributable pipeline</div><div class="value">$10,000' in page
    assert "reached " not in page.split("Payback period")[1][:400]

"""End to end in the Debian Chromium: upload a run log, confirm its columns, watch it import,
read the day-30 chart."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, RunDay
from workflows.plans.services import plan_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_log(go_live, days=32):
    lines = [
        "run_id,started_at,ended_at,status,arm,steps_total,steps_succeeded,ai_steps,stopped_at_step"
    ]
    n = 0
    for offset in range(days):
        day = go_live + timedelta(days=offset)
        for arm, count in (("orchestrated", 9), ("baseline", 4)):
            for i in range(count):
                n += 1
                failed = i == 0 and offset % 3 == 0
                status = "failed" if failed else "succeeded"
                stop = "Draft the reply" if failed else ""
                ai = 3 if arm == "orchestrated" else 0
                lines.append(
                    f"r{n},{day}T09:{i:02d}:00Z,{day}T09:{i:02d}:09Z,{status},{arm},4,{2 if failed else 4},{ai},{stop}"
                )
    return "\n".join(lines) + "\n"


def test_a_run_log_imports_with_progress_and_the_day_30_chart_shows(
    live_server, page, screenshot, tmp_path, real_worker
):
    member = MembershipFactory(
        role=Membership.Role.CLIENT_ADMIN,
        user__email="vp@northwind.example",
        user__username="vp@northwind.example",
    )
    workflow = CandidateWorkflow.objects.create(
        organization=member.organization, name="Inbound follow-up"
    )
    plan = plan_create(
        workflow=workflow,
        start_date=timezone.localdate() - timedelta(days=50),
        timezone="UTC",
        owner=member.user,
    )
    csv_path = tmp_path / "runs.csv"
    csv_path.write_text(run_log(plan.go_live_date))

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("vp@northwind.example")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/orgs/{member.organization.slug}/workflows/{workflow.pk}/data/")
    page.get_by_label("Kind").select_option("runs")
    page.get_by_label("File").set_input_files(str(csv_path))
    page.get_by_role("button", name="Upload").click()
    # The mapping screen suggests each column by its name; nothing is queued before this.
    expect(page.get_by_label("Run id", exact=True)).to_have_value("run_id")
    page.get_by_role("button", name="Confirm and import").click()

    row = page.locator("tbody tr").first
    expect(row).to_contain_text("runs.csv")
    expect(row).to_contain_text("Imported", timeout=20_000)  # polled until the worker is done
    expect(row).to_contain_text("416")  # 32 days x 13 runs
    assert sum(RunDay.objects.values_list("runs", flat=True)) == 416

    page.get_by_role("link", name="Reviews").click()
    bars = page.locator("[data-chart=chart-throughput] .chart-wide svg rect title")
    expect(bars.first).to_be_attached()
    expect(page.locator("body")).to_contain_text(
        "Did the orchestrated chain run more than the baseline?"
    )
    expect(page.locator(".stat").nth(2)).to_contain_text("2.25")  # 9 vs 4 runs a day
    screenshot(page, "review-day-30")
    assert page.js_errors == []

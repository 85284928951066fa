"""End to end in the Debian Chromium: the Revenue Audit intake saves as it is edited."""

import pytest
from playwright.sync_api import expect

from audits.models import Audit, AuditTool
from core.models import Membership
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def intake(live_server, page):
    """A client admin signed in on a new audit's intake page; the audit."""
    member = MembershipFactory(
        role=Membership.Role.CLIENT_ADMIN,
        user__email="vp@northwind.example",
        user__username="vp@northwind.example",
    )
    audit = Audit.objects.create(organization=member.organization, created_by=member.user)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("vp@northwind.example")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/orgs/{member.organization.slug}/audits/{audit.pk}/")
    return audit


def test_the_intake_autosaves_survives_a_reload_and_edits_rows(intake, page, screenshot):
    audit = intake

    page.get_by_label("Annual revenue").select_option(label="$20M to $50M")
    expect(page.locator("#status-revenue_band")).to_have_text("Saved")
    page.get_by_label("CRM", exact=True).fill("HubSpot")
    expect(page.locator("#status-crm")).to_have_text("Saved")
    page.get_by_label("Leads per month").fill("-5")
    page.get_by_label("Leads per month").press("Tab")
    expect(page.locator("#status-monthly_lead_volume")).to_contain_text(
        "greater than or equal to 0"
    )

    page.get_by_role("button", name="Add a tool").click()
    tool_name = page.locator("input[name$='-name']").first
    # Focus moves to the new row once htmx settles; typing before that would race it.
    expect(tool_name).to_be_focused()
    tool_name.fill("Jasper")
    page.locator("input[name$='-monthly_cost_usd']").first.fill("490")
    page.locator("input[name$='-monthly_cost_usd']").first.press("Tab")
    expect(page.locator("#derived")).to_contain_text("$490")
    page.get_by_role("button", name="Add a tool").click()
    expect(page.locator("input[name$='-name']")).to_have_count(2)

    page.reload()
    expect(page.get_by_label("CRM", exact=True)).to_have_value("HubSpot")
    expect(page.get_by_label("Annual revenue")).to_have_value("20-50m")
    expect(page.locator("input[name$='-name']").first).to_have_value("Jasper")
    expect(page.locator("#progress")).to_contain_text("1 of 7")

    page.get_by_role("button", name="Remove this tool").click()
    expect(page.locator("input[name$='-name']")).to_have_count(1)
    assert list(AuditTool.objects.values_list("name", flat=True)) == ["Jasper"]
    audit.refresh_from_db()
    assert (audit.crm, audit.revenue_band, audit.monthly_lead_volume) == ("HubSpot", "20-50m", None)
    screenshot(page, "audit-intake")
    assert page.js_errors == []


def test_a_save_the_server_cannot_complete_says_so_and_keeps_the_entry(intake, page, screenshot):
    audit = intake

    def database_away(route):
        if route.request.method == "POST":
            route.fulfill(status=503, headers={"Retry-After": "5"}, body="Back in a moment")
        else:
            route.continue_()

    page.route("**/*", database_away)
    page.get_by_label("CRM", exact=True).fill("HubSpot")
    page.get_by_label("CRM", exact=True).press("Tab")
    expect(page.locator("#status-crm")).to_contain_text("Not saved: the server could not")
    expect(page.get_by_label("CRM", exact=True)).to_have_value("HubSpot")
    screenshot(page, "intake-not-saved")
    audit.refresh_from_db()
    assert audit.crm == ""

    page.unroute("**/*")
    page.get_by_label("CRM", exact=True).fill("HubSpot CRM")
    expect(page.locator("#status-crm")).to_have_text("Saved")
    audit.refresh_from_db()
    assert audit.crm == "HubSpot CRM"

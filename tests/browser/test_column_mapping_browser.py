"""End to end in the Debian Chromium: upload a Salesforce report without an id column, see
the suggested mapping, pick the date format (htmx redraws the preview), confirm, and find
the deals imported with their stages. Saves the mapping screen at 1280 and 390 px."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, DataImport, Opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "tests" / "domain" / "fixtures" / "csv" / "salesforce_report_no_id.csv"


def test_a_salesforce_report_is_matched_previewed_and_imported(live_server, page, screenshot):
    member = MembershipFactory(
        role=Membership.Role.CLIENT_ADMIN,
        user__email="revops@northwind.example",
        user__username="revops@northwind.example",
    )
    workflow = CandidateWorkflow.objects.create(
        organization=member.organization, name="Inbound follow-up"
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("revops@northwind.example")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/orgs/{member.organization.slug}/workflows/{workflow.pk}/data/")
    page.get_by_label("Kind").select_option("opportunities")
    page.get_by_label("File").set_input_files(str(REPORT))
    page.get_by_role("button", name="Upload").click()

    # The suggested mapping: no id column, so a key from the deal's name and created date.
    expect(page.locator("#id_col_created_date")).to_have_value("Created Date")
    expect(page.locator("#id_col_stage")).to_have_value("Stage")
    expect(page.locator("#id_col_opportunity_id")).to_have_value("")
    expect(page.get_by_role("checkbox", name="Opportunity Name")).to_be_checked()
    preview = page.locator("#mapping-preview")
    expect(preview).to_contain_text("Dates like 03/04/2026 are ambiguous")
    assert DataImport.objects.get().status == "mapping"

    # Choosing the date format redraws the form through htmx: every row now reads.
    page.get_by_label("Date format").focus()  # as a keyboard user reaches it
    page.get_by_label("Date format").select_option("MM/DD/YYYY")
    expect(preview).to_contain_text("The first rows read cleanly.")
    expect(preview).to_contain_text("won (Closed Won)")
    expect(preview).to_contain_text("lost (Closed Lost)")
    expect(page.get_by_label("Date format")).to_be_focused()  # focus kept over the swap
    screenshot(page, "column-mapping")  # docs/screenshots/column-mapping.png is a copy
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "column-mapping-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Confirm and import").click()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Imported", timeout=20_000)
    expect(row).to_contain_text("6")
    stages = sorted(Opportunity.objects.values_list("stage", flat=True))
    assert stages == ["lost", "open", "open", "open", "won", "won"]
    assert page.js_errors == []

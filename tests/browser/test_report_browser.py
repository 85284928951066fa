"""End to end in the Debian Chromium: one click on the dashboard makes the board report."""

import pytest
from playwright.sync_api import expect

from core.models import Membership
from tests.factories import MembershipFactory, response_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_button_makes_a_downloadable_report(live_server, page, screenshot):
    member = MembershipFactory(
        role=Membership.Role.CLIENT_ADMIN,
        user__email="vp@northwind.example",
        user__username="vp@northwind.example",
    )
    response_create(membership=member)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("vp@northwind.example")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Create the board report (PDF)").click()
    download_link = page.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        download_link.click()
    assert info.value.suggested_filename.endswith(".pdf")
    screenshot(page, "board-report-ready")
    assert page.js_errors == []

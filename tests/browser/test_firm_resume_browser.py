"""A firm's self-score left unfinished is offered back in the same browser
(static/js/firm-resume.js): on the firm's link, and inside the iframe on the firm's own
site, where no cookie is sent."""

import pytest
from playwright.sync_api import expect

from core.models import Organization
from firms.models import FirmProfile, Lead

from .test_embed_browser import (
    PARENT,
    ParentSite,
    answer_every_question,
    answer_profile_and_question_1,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def firm():
    firm = Organization.objects.create(name="Harbor Advisory", slug="harbor", kind="firm")
    FirmProfile.objects.create(firm=firm, accent_color="#7a1f5c")
    return firm


def start(frame) -> None:
    """The profile and question 1 answered, as a visitor does; question 2 on screen."""
    answer_profile_and_question_1(frame, paid="12", daily="4")
    frame.get_by_text("Question 2 of 15", exact=True).wait_for()


def test_a_visitor_who_leaves_the_link_continues_where_they_left(
    live_server, page, firm, screenshot
):
    link = f"{live_server.url}/b/harbor/"
    page.goto(link)
    resume = page.locator("#selfscore-resume")
    expect(resume).to_be_hidden()  # nothing kept yet
    start(page)

    page.goto(live_server.url + "/")  # away, then back by the same link
    page.goto(link)
    expect(resume).to_be_visible()
    expect(resume).to_contain_text("Next: question 2 of 15")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "firm-resume-390")
    page.get_by_role("button", name="Continue where you left off").click()
    expect(page.get_by_text("Question 2 of 15", exact=True)).to_be_visible()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("AI tools your team pays for")).to_have_value("12")

    # Start over forgets it; the run goes on from the page the visitor is on.
    page.goto(link)
    page.get_by_role("button", name="Start over").click()
    expect(resume).to_be_hidden()
    page.reload()
    expect(resume).to_be_hidden()

    # A finished run is not offered again.
    answer_every_question(page)
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url("**/results/**")
    page.goto(link)
    expect(page.get_by_text("About your company", exact=True).first).to_be_visible()
    expect(resume).to_be_hidden()
    assert Lead.objects.count() == 1
    assert page.js_errors == []


def test_inside_the_firms_site_a_browser_without_storage_for_the_frame_still_goes_on(
    live_server, page, firm
):
    """This Chromium denies a third-party frame its storage, as it denies it cookies (a
    browser that partitions storage instead keeps the run, as on the link): nothing is
    offered and nothing breaks."""
    site = ParentSite()
    try:
        firm.firm_profile.embed_origins = [site.origin]
        firm.firm_profile.save()
        app = f"http://127.0.0.1:{live_server.thread.port}"
        site.html = PARENT.format(src=f"{app}/b/harbor/embed/")
        page.goto(site.origin + "/")
        frame = page.frame_locator("#bench")
        start(frame)

        page.goto(site.origin + "/")  # the firm's page opened again: a fresh iframe
        frame = page.frame_locator("#bench")
        expect(frame.get_by_text("About your company", exact=True).first).to_be_visible()
        expect(frame.locator("#selfscore-resume")).to_be_hidden()
        start(frame)
        assert page.js_errors == []
    finally:
        site.close()

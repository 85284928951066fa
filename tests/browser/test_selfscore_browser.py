"""End to end in the Debian Chromium: the questionnaire by keyboard and mouse."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_completes_the_self_score_and_sees_tier_and_radar(live_server, page, screenshot):
    call_command("load_demo", responses=60, stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Start the self-score").click()  # mouse

    page.get_by_text("$5M to $20M").click()
    page.get_by_text("B2B", exact=True).click()
    page.get_by_text("6 to 15").click()
    page.get_by_role("button", name="Next: question 1").click()

    # Question 1 by keyboard: the first count field has focus; Enter submits.
    page.wait_for_selector("text=Question 1 of 15")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    page.keyboard.press("Enter")

    # Questions 2-15 by keyboard: arrow keys choose within the radio group, Enter submits.
    for number in range(2, 16):
        page.wait_for_selector(f"text=Question {number} of 15")
        assert page.url.endswith(f"/self-score/{number}/")  # htmx pushed the URL
        # Focus moves to the first answer of each new question, for keyboard users.
        expect(page.locator("input[name=answer]").first).to_be_focused()
        page.keyboard.press("ArrowDown")  # from the focused first answer to the second (level 1)
        page.keyboard.press("ArrowDown")  # level 2
        if number == 8:
            screenshot(page, "selfscore-question")
        page.keyboard.press("Enter")

    page.wait_for_url("**/results/**")
    page.wait_for_selector("#radar svg.svg-chart polygon")
    # Stack: counts 3 paid, 2 daily -> level 3, plus level 2 -> 9 x 5/6 = 7.5 points;
    # the other 91 points at 2/3 -> 60.67; overall 68.2.
    assert page.locator(".score-number").inner_text() == "68.2"
    assert page.locator("h1").inner_text() == "On Pace"
    # Drawn on the server: the radar is in the page, its outline and its points.
    assert page.locator("#radar .chart-wide circle title").count() >= 10
    assert "demo responses (sample data, not real teams)" in page.locator(".peer-note").inner_text()
    screenshot(page, "selfscore-result")
    assert page.js_errors == []


def test_back_keeps_the_answer_given(live_server, page):
    page.goto(live_server.url + "/self-score/")
    page.get_by_text("Under $5M").click()
    page.get_by_text("B2C", exact=True).click()
    page.get_by_text("1 to 5").click()
    page.get_by_role("button", name="Next: question 1").click()
    page.get_by_label("AI tools your team pays for").fill("12")
    page.get_by_label("Of those, used every working day").fill("4")
    page.get_by_role("button", name="Next").click()
    page.wait_for_selector("text=Question 2 of 15")
    page.get_by_role("link", name="Back").click()
    page.wait_for_selector("text=Question 1 of 15")
    assert page.get_by_label("AI tools your team pays for").input_value() == "12"
    assert page.js_errors == []

"""End to end in the Debian Chromium: "I don't know" chosen by keyboard alone, and the
result that rests on fewer answers, checked by axe at 1280 and 390 px."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility_sweep import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ORCHESTRATION = (3, 4, 5)  # questions 3-5: every orchestration question


def test_i_dont_know_by_keyboard_gives_a_result_without_orchestration(
    live_server, page, screenshot
):
    page.goto(live_server.url + "/self-score/")
    page.get_by_text("$5M to $20M").click()
    page.get_by_text("B2B", exact=True).click()
    page.get_by_text("6 to 15").click()
    page.get_by_role("button", name="Next: question 1").click()

    # Question 1: Tab past the two counts to "I don't know", Space ticks it, Enter moves on.
    page.wait_for_selector("text=Question 1 of 15")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_label("I don't know")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("I don't know")).to_be_checked()
    problems = check(page, "question 1 with I don't know ticked", set())
    page.keyboard.press("Enter")

    for number in range(2, 16):
        page.wait_for_selector(f"text=Question {number} of 15")
        expect(page.locator("input[name=answer]").first).to_be_focused()
        # The fifth answer of the radio group is "I don't know": four arrow presses reach it.
        presses = 4 if number in ORCHESTRATION else 2
        for _ in range(presses):
            page.keyboard.press("ArrowDown")
        if number == 3:
            expect(page.get_by_label("I don't know")).to_be_checked()
            screenshot(page, "selfscore-question-unknown")
            problems += check(page, "question with I don't know chosen", set())
        page.keyboard.press("Enter")

    page.wait_for_url("**/results/**")
    page.wait_for_selector("#radar svg.svg-chart polygon")
    box = page.locator("#unknowns")
    expect(box).to_contain_text("4 answers “I don't know”")
    expect(box).to_contain_text("Workflow orchestration has no score")
    expect(box).to_contain_text("low-confidence")
    # Everything answered is 2/3: 66.7 over the answered weight, and no Ahead.
    assert page.locator(".score-number").inner_text() == "66.7"
    row = page.locator("tr", has_text="Workflow orchestration")
    expect(row).to_contain_text("not answered")
    problems += check(page, "result resting on fewer answers", set())
    screenshot(page, "selfscore-result-unknown")
    assert not problems, "\n".join(problems)
    assert page.js_errors == []

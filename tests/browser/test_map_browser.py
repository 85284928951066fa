"""End to end in the Debian Chromium: a 4-step map built with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, Step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEPS = [
    # name, actor key, tool, inputs, outputs, failure route key
    ("Enrich the contact", "A", "Clay", "email", "email, company", "R"),
    ("Draft the reply", "A", "OpenAI", "email, company", "email, draft", "Q"),
    ("Send the reply", "R", "HubSpot", "email, draft", "email, sent", "R"),
    ("Route the answer", "A", "OpenAI", "email, sent", "intent", "A"),
]


def test_a_team_maps_four_steps_by_keyboard_and_reaches_orchestration(
    live_server, page, screenshot
):
    member = MembershipFactory(
        role=Membership.Role.MEMBER,
        user__email="ops@northwind.example",
        user__username="ops@northwind.example",
    )
    workflow = CandidateWorkflow.objects.create(
        organization=member.organization, name="Inbound follow-up"
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("ops@northwind.example")
    page.get_by_label("Password").fill("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url("**/orgs/**")
    page.goto(
        f"{live_server.url}/orgs/{member.organization.slug}/workflows/{workflow.pk}/map/future/"
    )

    page.get_by_label("Name", exact=True).focus()
    for name, actor, tool, inputs, outputs, route in STEPS:
        # The swap has settled (htmx moves the focus to the new form as it settles).
        expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
        expect(page.get_by_label("Name", exact=True)).to_be_focused()
        page.keyboard.type(name)
        page.keyboard.press("Tab")
        page.keyboard.type(actor)  # the Actor select jumps to the option starting with it
        page.keyboard.press("Tab")
        page.keyboard.type(tool)
        page.keyboard.press("Tab")
        page.keyboard.type("Dana")  # owner
        page.keyboard.press("Tab")
        page.keyboard.type("RevOps")  # team
        page.keyboard.press("Tab")
        page.keyboard.type(inputs)
        page.keyboard.press("Tab")
        page.keyboard.type(outputs)
        page.keyboard.press("Tab")  # the copy-paste checkbox: left unticked
        page.keyboard.press("Tab")
        page.keyboard.press("Control+a")
        page.keyboard.type("0.1")  # process minutes
        page.keyboard.press("Tab")  # wait: 0
        page.keyboard.press("Tab")
        page.keyboard.type(route)
        page.keyboard.press("Tab")
        page.keyboard.type("Output checked")
        page.keyboard.press("Enter")  # submits the add-step form through htmx
        expect(page.locator(".step-card")).to_have_count(
            STEPS.index((name, actor, tool, inputs, outputs, route)) + 1
        )

    expect(page.locator("#verdict")).to_have_text("Automation")
    # Four components to fill on the run: trigger, owner, KPI, then logging.
    # The last add has settled and moved the focus to the empty form; then go to the trigger.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    page.get_by_label("Trigger").focus()
    page.keyboard.type("HubSpot form submitted")
    page.keyboard.press("Tab")
    page.keyboard.type("Head of demand gen")
    page.keyboard.press("Tab")
    page.keyboard.type("Meetings booked per week")
    page.keyboard.press("Enter")
    # Let that save settle first: its swap would otherwise put back the unticked box below.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    expect(page.locator("#verdict")).to_have_text("Automation")
    expect(page.locator(".verdict")).to_contain_text("Missing: A logged outcome for every run")
    page.get_by_label("Every run's outcome is logged").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to Save
    page.keyboard.press("Enter")
    expect(page.locator("#verdict")).to_have_text("Orchestration")

    assert list(
        Step.objects.order_by("position").values_list("name", "actor", "failure_route")
    ) == [
        ("Enrich the contact", "ai", "retry"),
        ("Draft the reply", "ai", "queue"),
        ("Send the reply", "rule", "retry"),
        ("Route the answer", "ai", "human"),
    ]
    expect(page.locator("#swimlane svg.svg-chart")).to_be_visible()
    screenshot(page, "workflow-map")
    screenshot(page, "workflow-swimlane", page.locator("#swimlane-card"))
    assert page.js_errors == []

"""End to end in the Debian Chromium: after each htmx swap the user asked for on the map
editor, the focus lands on what changed and is in view; it never falls to <body>."""

import pytest
from playwright.sync_api import expect

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, Step, WorkflowMap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETTLED = ".htmx-request, .htmx-swapping, .htmx-settling"


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.tagName")


def in_view(page) -> bool:
    return page.evaluate(
        """() => { const box = document.activeElement.getBoundingClientRect();
                   return box.top >= 0 && box.bottom <= window.innerHeight; }"""
    )


def test_focus_follows_edit_save_move_and_errors_on_the_map(live_server, page, screenshot):
    member = MembershipFactory(
        role=Membership.Role.MEMBER,
        user__email="ops@northwind.example",
        user__username="ops@northwind.example",
    )
    workflow = CandidateWorkflow.objects.create(
        organization=member.organization, name="Inbound follow-up"
    )
    future = WorkflowMap.objects.create(
        organization=member.organization, workflow=workflow, kind="future"
    )
    steps = [
        Step.objects.create(map=future, position=n, name=name, actor="ai", team="RevOps")
        for n, name in enumerate(["Enrich", "Draft", "Send", "Route", "Log"], start=1)
    ]
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("ops@northwind.example")
    page.get_by_label("Password").fill("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url("**/orgs/**")
    page.goto(
        f"{live_server.url}/orgs/{member.organization.slug}/workflows/{workflow.pk}/map/future/"
    )

    # Edit: the step's form opens with its name field focused.
    third = steps[2]
    page.locator(f"#edit-link-{third.pk}").click()
    expect(page.locator(SETTLED)).to_have_count(0)
    expect(page.locator("#id_edit-name")).to_be_focused()

    # An invalid save: the focus goes to the field with the error, next to its message.
    page.locator("#id_edit-name").fill("")
    page.keyboard.press("Enter")
    expect(page.locator(SETTLED)).to_have_count(0)
    expect(page.locator("#id_edit-name")).to_be_focused()
    expect(page.locator(f"#step-{third.pk} .field-error")).to_be_visible()
    assert in_view(page)

    # Save: back on the saved step's Edit link, where the user was.
    page.locator("#id_edit-name").fill("Send the reply")
    page.keyboard.press("Enter")
    expect(page.locator(SETTLED)).to_have_count(0)
    expect(page.locator(f"#edit-link-{third.pk}")).to_be_focused()
    assert in_view(page)

    # Moves: the focus stays on the button pressed, on the moved step.
    page.get_by_role("button", name="Move step 3 up").click()
    expect(page.locator(SETTLED)).to_have_count(0)
    expect(page.get_by_role("button", name="Move step 2 up")).to_be_focused()
    page.keyboard.press("Enter")  # again: now first, so its "up" is disabled
    expect(page.locator(SETTLED)).to_have_count(0)
    expect(page.get_by_role("button", name="Move step 1 down")).to_be_focused()
    assert in_view(page)
    assert Step.objects.filter(map=future).order_by("position").first().pk == third.pk

    # An invalid add (no name): the add form's name field, with its error, in view.
    page.get_by_role("button", name="Add step").click()
    expect(page.locator(SETTLED)).to_have_count(0)
    expect(page.locator("#id_add-name")).to_be_focused()
    assert in_view(page)
    screenshot(page, "map-focus-after-invalid-add")
    assert page.js_errors == []

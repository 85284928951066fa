"""End to end in the Debian Chromium: a map's BPMN export opened by bpmn-js, the viewer
vendored from npm (static/vendor/bpmn-js, `make bpmn-js-vendor`), never a CDN. The test
asks bpmn-js's own element registry for every task and lane, and checks each is drawn."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.maps import services
from workflows.maps.shapes import Actor, FailureRoute, MapInput, StepInput
from workflows.models import CandidateWorkflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]

MAP = MapInput(
    name="Inbound lead",
    trigger="Demo form submitted",
    steps=(
        StepInput(
            1,
            "Look up the lead",
            Actor.HUMAN,
            tool="HubSpot",
            team="SDRs",
            inputs=("email",),
            outputs=("contact_id",),
            failure_route=FailureRoute.QUEUE,
            failure_target="Notify SDR",
            wait_minutes=Decimal(47),
        ),
        StepInput(
            2,
            "Enrich the contact",
            Actor.AI,
            tool="Clay",
            team="RevOps",
            inputs=("contact_id",),
            outputs=("company",),
            retry_max_tries=3,
            retry_wait_seconds=Decimal(2),
        ),
        StepInput(
            3,
            "Draft the SMS",
            Actor.AI,
            tool="OpenAI",
            team="Marketing",
            inputs=("company",),
            outputs=("sms",),
        ),
        StepInput(
            4,
            "Send the SMS",
            Actor.RULE,
            tool="Twilio",
            team="Marketing",
            inputs=("sms",),
            failure_route=FailureRoute.DEAD_LETTER,
        ),
    ),
)
REGISTRY = """() => window.bpmnViewer.get("elementRegistry").getAll()
    .filter(e => e.type !== "label")
    .map(e => ({id: e.id, type: e.type, name: e.businessObject.name || "",
                drawn: !!document.querySelector(`[data-element-id="${e.id}"] .djs-visual > *`)}))"""


def test_the_bpmn_export_opens_in_bpmn_js_with_every_task_and_lane_drawn(
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
    services.map_replace_steps(
        workflow_map=services.workflow_map_get_or_create(workflow=workflow, kind="future"),
        source=MAP,
        carries=frozenset({"trigger"}),
    )
    outside = []
    page.on(
        "request",
        lambda r: (
            r.url.startswith(live_server.url) or r.url.startswith("data:") or outside.append(r.url)
        ),
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("ops@northwind.example")
    page.get_by_label("Password").fill("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url("**/orgs/**")
    map_url = (
        f"{live_server.url}/orgs/{member.organization.slug}/workflows/{workflow.pk}/map/future/"
    )
    page.goto(map_url)
    page.get_by_role("link", name="View as BPMN").click()
    expect(page.locator("#bpmn-canvas")).to_have_attribute("data-state", "shown")
    expect(page.locator("#bpmn-status")).to_contain_text("Drawn from the BPMN export")

    elements = page.evaluate(REGISTRY)
    tasks = {e["name"]: e for e in elements if e["type"] in ("bpmn:UserTask", "bpmn:ServiceTask")}
    lanes = {e["name"]: e for e in elements if e["type"] == "bpmn:Lane"}
    assert {name: e["type"] for name, e in tasks.items()} == {
        "Look up the lead": "bpmn:UserTask",
        "Enrich the contact": "bpmn:ServiceTask",
        "Draft the SMS": "bpmn:ServiceTask",
        "Send the SMS": "bpmn:ServiceTask",
    }
    assert set(lanes) == {"SDRs", "RevOps", "Marketing"}
    assert all(e["drawn"] for e in [*tasks.values(), *lanes.values()])
    assert sum(e["type"] == "bpmn:BoundaryEvent" for e in elements) == 3
    assert sum(e["type"] == "bpmn:DataObjectReference" for e in elements) == 4
    # The lane names are on the page as SVG text, where a person reads them.
    for name in ("SDRs", "RevOps", "Marketing"):  # lane labels: one word, never wrapped
        expect(page.locator("#bpmn-canvas svg text").filter(has_text=name).first).to_be_visible()
    assert page.js_errors == []
    assert outside == []  # nothing from a CDN or anywhere else
    screenshot(page, "bpmn-viewer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("#bpmn-canvas")).to_have_attribute("data-state", "shown")
    screenshot(page, "bpmn-viewer-390")


def test_the_committed_viewer_is_the_version_the_lock_pins():
    # `make bpmn-js-vendor` copies it from the locked npm package; after a lock change the
    # committed copy must be refreshed, or the page would run another version than locked.
    locked = json.loads((ROOT / "assets/bpmn-js/package-lock.json").read_text())
    pinned = locked["packages"]["node_modules/bpmn-js"]["version"]
    viewer = (ROOT / "static/vendor/bpmn-js/bpmn-viewer.production.min.js").read_text()[:200]
    assert re.search(r"bpmn-viewer v(\d+\.\d+\.\d+)", viewer).group(1) == pinned
    assert all("resolved" not in entry for entry in locked["packages"].values())

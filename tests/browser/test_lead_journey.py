"""One visitor from a firm's own site to a submitted Revenue Audit in that firm's pipeline
(issue 15, "Done when"), with everything real that can be: the parent page on another site
than the app (``localhost`` against ``127.0.0.1``, so the iframe gets no cookie), the
invitation through a real SMTP server on loopback (aiosmtpd) and read from its HTML part,
and the firm's CRM a real webhook receiver on loopback that verifies every signature with
``standardwebhooks``. Deliveries run as the test settings run them (eager tasks); the test
waits for them by polling the receiver, with a deadline for a slow machine only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from audits.models import Audit
from core.models import Membership, Organization
from firms.models import FirmProfile
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_embed_browser import PARENT, ParentSite, answer_every_question
from tests.factories import MembershipFactory
from tests.smtp_inbox import Inbox
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DELIVERY_DEADLINE = 60.0  # seconds: an upper bound for a loaded machine, not a window
DANA = "dana@northwind.example"


@pytest.fixture
def receiver():
    r = Receiver()
    r.start()
    yield r
    r.stop()


@pytest.fixture
def parent():
    site = ParentSite()
    yield site
    site.close()


@pytest.fixture
def app_origin(live_server, settings):
    """The app as 127.0.0.1 (another site than the parent's localhost); the links it
    emails point there, as SITE_URL does in a deployment."""
    origin = f"http://127.0.0.1:{live_server.thread.port}"
    settings.SITE_URL = origin
    return origin


@pytest.fixture
def firm(parent, receiver):
    """Harbor Advisory: its embed origin is the parent site, one consultant, and a CRM
    endpoint subscribed to every event."""
    from webhooks.models import EventType
    from webhooks.services import webhook_endpoint_create

    firm = Organization.objects.create(name="Harbor Advisory", slug="harbor", kind="firm")
    FirmProfile.objects.create(firm=firm, accent_color="#7a1f5c", embed_origins=[parent.origin])
    MembershipFactory(
        organization=firm,
        role=Membership.Role.CONSULTANT,
        user__email="casey@harbor.example",
        user__username="casey@harbor.example",
    )
    endpoint = webhook_endpoint_create(
        firm=firm, url=receiver.url, description="CRM", event_types=EventType.values
    )
    receiver.secret = endpoint.secret
    return firm


def take_the_self_score(frame) -> None:
    answer_every_question(frame)
    frame.get_by_label("I agree that Harbor Advisory may email me").wait_for()
    frame.get_by_role("button", name="See my result").click()


def invitation_link(inbox: Inbox, to: str, app_origin: str) -> str:
    """The intake link from the HTML part of the one invitation sent to ``to``."""
    [(recipients, message)] = [m for m in inbox.received if to in m[0]]
    assert recipients == [to]
    assert message["Subject"] == "Your Revenue Audit intake with Harbor Advisory"
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    links = re.findall(r'href="([^"]+/audit/[^"]+)"', html)
    assert links, html
    assert links[0].startswith(app_origin + "/audit/")
    assert links[0] in text  # the plain part carries the same link
    return links[0]


def fill_the_intake(page) -> None:
    """Every section the prefilled assessment leaves open, each autosaved."""

    def choose(label: str, option: str, field: str) -> None:
        page.get_by_label(label, exact=True).select_option(label=option)
        expect(page.locator(f"#status-{field}")).to_have_text("Saved")

    def type_in(label: str, value: str, field: str) -> None:
        page.get_by_label(label, exact=True).fill(value)
        page.get_by_label(label, exact=True).press("Tab")
        expect(page.locator(f"#status-{field}")).to_have_text("Saved")

    choose("Annual revenue", "$5M to $20M", "revenue_band")
    choose("Implementation budget", "$25,000 to $50,000", "implementation_budget")
    choose("Your role in the decision", "I sign off the budget", "decision_role")
    page.locator("#id_metric_to_move").select_option(index=1)
    expect(page.locator("#status-metric_to_move")).to_have_text("Saved")
    page.locator("#id_urgency").select_option(index=1)
    expect(page.locator("#status-urgency")).to_have_text("Saved")
    type_in("CRM", "HubSpot", "crm")
    type_in("Leads per month", "900", "monthly_lead_volume")
    type_in(
        "The revenue gap, in your words", "Inbound leads wait hours for a reply.", "revenue_gap"
    )

    page.get_by_role("button", name="Add a tool").click()
    # The new row's first field takes the focus once the row is in (app.js, after htmx
    # settles): typing before then would lose the focus, and its change, to that move.
    expect(page.locator("input[name$='-name']").first).to_be_focused()
    page.locator("input[name$='-name']").first.fill("Jasper")
    page.locator("input[name$='-monthly_cost_usd']").first.fill("490")
    page.locator("input[name$='-monthly_cost_usd']").first.press("Tab")
    expect(page.locator("#derived")).to_contain_text("$490")

    page.get_by_role("button", name="Add a workflow").click()
    card = page.locator("#candidates .row-card").first
    expect(card.locator("input[name$='-name']")).to_be_focused()
    card.locator("input[name$='-name']").fill("Inbound lead follow-up")
    card.locator("input[name$='-hours_per_week']").fill("20")
    card.locator("input[name$='-people_involved']").fill("2")
    card.locator("select[name$='-ai_can_automate_step']").select_option(label="Yes")
    card.locator("select[name$='-degrees_from_revenue']").select_option(index=1)
    card.locator("select[name$='-degrees_from_revenue']").press("Tab")
    expect(page.locator("#progress")).to_contain_text("7 of 7")


def test_a_visitor_of_a_firms_site_becomes_an_audit_in_its_pipeline(
    browser, page, parent, app_origin, firm, inbox, receiver, screenshot
):
    # The firm's own site, embedding its benchmark.
    parent.html = PARENT.format(src=f"{app_origin}/b/harbor/embed/")
    page.goto(parent.origin + "/")
    frame = page.frame_locator("#bench")
    take_the_self_score(frame)

    # The result, inside the iframe, and the event the parent hears.
    frame.get_by_text("On Pace").first.wait_for()
    page.wait_for_function("document.getElementById('messages').textContent.length > 0")
    assert '"maturity-benchmark:completed"' in page.locator("#messages").inner_text()
    screenshot(page, "journey-1-embedded-result")

    # "Request a Revenue Audit": where the visitor finds it from the embedded result.
    with page.context.expect_page() as opened:
        frame.get_by_role("link", name=re.compile("request a Revenue Audit", re.I)).click()
    result = opened.value
    result.set_viewport_size({"width": 1280, "height": 900})
    result.get_by_role("heading", name=re.compile("request a Revenue Audit")).wait_for()
    assert result.url.startswith(app_origin + "/results/")
    form = result.locator("#audit-request")
    form.get_by_label("Your name").fill("Dana Whitfield")
    form.get_by_label("Work email").fill("dana@northwind.example")
    form.get_by_label("Company").fill("Northwind SaaS")
    # Sent without consent: the page that comes back shows why, where the form is.
    form.get_by_role("button", name="Request a Revenue Audit").click()
    expect(result.locator("#audit-consent-error")).to_be_in_viewport()
    expect(form.get_by_label("Company")).to_have_value("Northwind SaaS")
    form.get_by_label("I agree that Harbor Advisory may store these details").check()
    screenshot(result, "journey-2-audit-request")
    form.get_by_role("button", name="Request a Revenue Audit").click()
    # Where the visitor lands: the confirmation in view, not a blank form asking again.
    confirmation = result.get_by_text("We emailed your intake link to dana@northwind.example")
    expect(confirmation).to_be_in_viewport()
    result.screenshot(path=str(ARTIFACTS / "journey-3-audit-requested.png"))

    audit = Audit.objects.get()
    assert audit.organization.firm == firm
    assert audit.organization.name == "Northwind SaaS"
    assert audit.status == Audit.Status.DRAFT
    assert audit.assessment  # prefilled from the result

    # The emailed invitation, as it arrived over SMTP.
    assert receiver.wait_for(lambda: inbox.subjects_to(DANA), timeout=DELIVERY_DEADLINE)
    link = invitation_link(inbox, "dana@northwind.example", app_origin)

    # The intake, by the link alone (a fresh browser: no session of the app).
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    intake = context.new_page()
    errors: list[str] = []
    intake.on("pageerror", lambda exc: errors.append(str(exc)))
    intake.goto(link)
    expect(intake.get_by_label("Your work email")).to_have_value("dana@northwind.example")
    fill_the_intake(intake)
    screenshot(intake, "journey-4-intake-filled")
    intake.get_by_role("button", name="Submit for review").click()
    expect(intake.get_by_text("Submitted. A consultant replies within 24 hours")).to_be_visible()
    screenshot(intake, "journey-5-intake-submitted")
    assert errors == []
    context.close()

    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert (audit.reply_due_at - audit.submitted_at).total_seconds() == 24 * 3600

    # The firm's consultant sees it in the pipeline, the clock running.
    consultant = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = consultant.new_page()
    desk.goto(app_origin + "/accounts/login/")
    desk.get_by_label("Email").fill("casey@harbor.example")
    desk.get_by_label("Password").fill("correct horse battery")
    desk.get_by_role("button", name="Sign in").click()
    desk.goto(app_origin + "/consultant/audits/")
    row = desk.get_by_role("row").filter(has_text="Northwind SaaS")
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text(re.compile(r"\d+ h \d\d min left"))
    screenshot(desk, "journey-6-pipeline")

    # The consultant replies; the reply reaches the requester's inbox too.
    row.get_by_role("link", name="Review").click()
    desk.get_by_label("The named gap").fill("Inbound follow-up waits hours")
    desk.get_by_label("Value of closing it, USD a year").fill("88400")
    desk.get_by_label("Recommendation").fill("Route every inbound lead to an owner in minutes.")
    desk.get_by_label("Booking link").fill("https://cal.harbor.example/casey")
    expect(desk.get_by_label("Send to")).to_have_value("dana@northwind.example")
    desk.get_by_role("button", name="Send the reply").click()
    expect(desk.get_by_text("Reply sent to dana@northwind.example.")).to_be_visible()
    consultant.close()
    assert receiver.wait_for(lambda: len(inbox.subjects_to(DANA)) == 2, DELIVERY_DEADLINE)
    assert inbox.subjects_to(DANA)[1] == "Your Revenue Audit: Inbound follow-up waits hours"

    # The firm's CRM holds every event, each signed, numbered 1..n without a gap.
    expected = {"response.completed", "lead.created", "audit.submitted", "audit.replied"}

    def delivered() -> list[dict]:
        return list(receiver.valid_payloads().values())

    assert receiver.wait_for(
        lambda: expected <= {p["type"] for p in delivered()}, timeout=DELIVERY_DEADLINE
    ), receiver.received
    assert all(r.valid for r in receiver.received), "a delivery failed its signature check"
    events = sorted(delivered(), key=lambda p: p["sequence"])
    assert [p["sequence"] for p in events] == list(range(1, len(events) + 1))
    assert [p["type"] for p in events] == [
        "response.completed",
        "lead.created",
        "audit.submitted",
        "audit.replied",
    ]
    # One visitor, as the CRM can follow them: every event names the same self-score, and
    # the audit's events say who to contact.
    assert {p["data"]["response_id"] for p in events} == {str(audit.source_response.public_id)}
    assert events[2]["data"]["audit_id"] == events[3]["data"]["audit_id"] == audit.pk
    for audit_event in events[2:]:
        assert audit_event["data"]["contact"] == {
            "name": "Dana Whitfield",
            "email": "dana@northwind.example",
        }
        assert audit_event["data"]["organization"]["name"] == "Northwind SaaS"
    assert page.js_errors == []

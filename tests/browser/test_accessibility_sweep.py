"""Every page passes axe-core's WCAG 2.x A and AA rules, at 1280 px and on a 390 px phone.

The sweep signs in as each demo role (anonymous, member, client admin, consultant), crawls
every page the role can reach with the Django test client, and keeps one page per (URL
name, role). Each role gets one browser context; each page is loaded once at 1280 px, checked
by axe-core (the copy ``axe-playwright-python`` bundles, nothing from a CDN), then resized to
390 px and checked again, together with a check that nothing reaches past the right edge of
the phone's viewport. No axe rule is disabled or excluded.

Pages a crawl cannot reach by following links (the states after a POST: an invalid form, a
failed import, a confirmation page; the error pages) are produced in the browser and swept
the same way. A URL name in the URLconf that serves a page and is neither swept nor listed in
``NOT_PAGES`` with its reason fails the sweep, so a new page is swept automatically or has to
be taught here.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import get_resolver
from django.utils import timezone

from audits.models import Audit
from benchmark.models import Response
from core.models import Membership
from firms.models import Lead
from reports.models import BoardReport
from tests.test_form_round_trip import crawl, sign_in, url_name
from tests.test_tenancy import walk
from workflows.models import CandidateWorkflow, Step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js").read_text()
REPORT = Path(__file__).resolve().parents[2] / "artifacts" / "accessibility-sweep.txt"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "demo-benchmark-2026"
BAD_RUNS = (
    b"run_id,started_at,ended_at,status,arm,steps_total,steps_succeeded,ai_steps,stopped_at_step\n"
    b"r-1,2026-03-02T09:14:03Z,2026-03-02T09:14:12Z,maybe,orchestrated,6,6,3,\n"
    b"r-2,yesterday,2026-03-02T09:21:02Z,failed,orchestrated,6,9,2,Send SMS\n"
)
ROLES = {
    "anonymous": None,
    "member": "ops@demo.example",
    "client admin": "vp@demo.example",
    "consultant": "consultant@demo.example",
}

# URL names that never answer a page of their own, and why.
NOT_PAGES = {
    "logout": "POST only: signs out",
    "benchmark:headline": "POST only; answers with the dashboard",
    "benchmark:result-email": "POST only; answers with the result",
    "reports:self-score-pdf": "a PDF download, not a page (tests/reports/test_self_score_pdf.py)",
    "workflows:choose": "POST only; its confirmation page is swept below",
    "workflows:dimensions": "POST only; answers with the Workflows page (its form is swept there)",
    "workflows:map-settings": "POST only; answers with the map or its fragment",
    "workflows:step-add": "POST only; the invalid step is swept below",
    "workflows:step-update": "htmx fragment of the map (the ?edit= page is swept)",
    "workflows:step-move": "POST only; answers with the map",
    "workflows:step-delete": "POST only; its confirmation page is swept below",
    "workflows:break-step": "htmx fragment of the map",
    "workflows:copy-current": "POST only; answers with the map",
    "workflows:use-hours": "POST only; answers with the map",
    "workflows:import": "POST only; the failed import is swept below",
    "workflows:import-status": "htmx fragment: one row of the data page's import list",
    "workflows:import-retry": "POST only; answers with the data page",
    "workflows:milestone": "POST only; answers with the plan",
    "workflows:ingest-secret": "POST only; answers with the data page or its confirmation "
    "page, both swept below",
    "workflows:n8n-connection": "POST only; a refused form answers with the data page (swept "
    "below)",
    "workflows:n8n-pull": "POST only; answers with the data page",
    "ingest-api:runs": "the signed JSON API, not a page",
    "ingest-api:events": "the signed JSON API, not a page",
    "ingest-api:openapi-json": "the API's JSON schema, not a page",
    "ingest-api:api-root": "the API's root, not a page",
    "workflows:export-json": "a download",
    "workflows:export-mermaid": "a download",
    "workflows:export-bpmn": "a download (its viewer page, workflows:map-bpmn, is swept)",
    "workflows:plan-ics": "a download",
    "workflows:review-csv": "a download",
    "reports:download": "a download",
    "reports:retry": "POST only; answers with the report",
    "audits:submit": "POST only; answers with the intake",
    "audits:intake-field": "htmx autosave fragment",
    "audits:tool-add": "POST only; answers with the intake",
    "audits:tool-save": "htmx autosave fragment",
    "audits:tool-delete": "POST only; answers with the intake",
    "audits:candidate-add": "POST only; answers with the intake",
    "audits:candidate-save": "htmx autosave fragment",
    "audits:candidate-delete": "POST only; answers with the intake",
    "audits:link-submit": "POST only; answers with the intake",
    "audits:link-intake-field": "htmx autosave fragment",
    "audits:link-tool-add": "POST only",
    "audits:link-tool-save": "htmx autosave fragment",
    "audits:link-tool-delete": "POST only",
    "audits:link-candidate-add": "POST only",
    "audits:link-candidate-save": "htmx autosave fragment",
    "audits:link-candidate-delete": "POST only",
    "login": "Django's sign-in URL; the site's own is core:login, swept",
    "firms:logo": "an image",
    "firms:leads-csv": "a download",
    "firms:audit-request": "POST only; the refused request is swept below",
    "webhooks:endpoint-test": "POST only; answers with the delivery log",
    "webhooks:replay": "POST only; answers with the delivery log",
    "webhooks:endpoint-delete": "POST only; its confirmation page is swept below",
    "webhooks:endpoint-secret": "POST only; its confirmation page is swept below",
}

# What "overflows the viewport" means: an element whose right edge is past the viewport,
# unless an ancestor clips it (overflow hidden) or scrolls it in a labelled, focusable region
# that tells the user it scrolls.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push(`document is ${document.documentElement.scrollWidth}px wide`);
  }
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 0.5) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    let parent = el.parentElement, excused = false;
    while (parent && parent !== document.body) {
      const style = getComputedStyle(parent);
      if (style.overflowX !== "visible") {
        const scrolls = style.overflowX === "auto" || style.overflowX === "scroll";
        const says = parent.getAttribute("tabindex") === "0" && (
          parent.hasAttribute("aria-label") || parent.hasAttribute("aria-labelledby"));
        if (!scrolls || says) { excused = true; break; }
      }
      parent = parent.parentElement;
    }
    if (excused) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    found.push(`${name} reaches ${Math.round(box.right)}px`);
    if (found.length > 5) break;
  }
  return found;
}"""

AXE_RUN_JS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


def axe_violations(page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)  # evaluate, not a <script> tag: the page's CSP allows no inline code
    return page.evaluate(AXE_RUN_JS, TAGS)


def settle(page) -> None:
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    # Plotly redraws on resize; wait for charts that are drawing.
    page.wait_for_timeout(50)


def check(page, where: str, swept: set[str]) -> list[str]:
    """axe at 1280 px, then the same document at 390 px with the overflow check; the page's
    URL name joins ``swept``."""
    swept.add(url_name(urlsplit(page.url).path) or "")
    problems = []
    page.set_viewport_size(DESKTOP)
    settle(page)
    problems += [f"{where} at 1280px: {v}" for v in axe_violations(page)]
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(250)  # responsive charts redraw after a debounced resize
    problems += [f"{where} at 390px: {v}" for v in axe_violations(page)]
    problems += [f"{where} at 390px overflows: {v}" for v in page.evaluate(OVERFLOW_JS)]
    page.set_viewport_size(DESKTOP)
    return problems


def post_from_page(page, action: str, fields: dict[str, str]) -> None:
    """Submit a plain POST form from the current page (no htmx), as a browser without
    JavaScript would, and wait for the page it answers with."""
    with page.expect_navigation() as navigation:
        page.evaluate(
            """([action, fields]) => {
              const form = document.createElement("form");
              form.method = "post"; form.action = action;
              const token = document.cookie.match(/csrftoken=([^;]+)/);
              fields.csrfmiddlewaretoken = token ? token[1] :
                document.querySelector("[name=csrfmiddlewaretoken]").value;
              for (const [name, value] of Object.entries(fields)) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value;
                form.append(input);
              }
              document.body.append(form);
              form.submit();
            }""",
            [action, fields],
        )
    status = navigation.value.status
    assert status < 500, f"POST {action} answered {status}"


@pytest.fixture
def demo():
    call_command("load_demo", responses=40, stdout=io.StringIO())
    # Board reports: a superseded one (its delete page), the newest, and a failed one.
    northwind = Membership.objects.get(user__email="vp@demo.example").organization
    for days, status in ((9, "done"), (2, "done"), (1, "failed")):
        report = BoardReport.objects.create(
            organization=northwind,
            status=status,
            progress=100,
            pages=8 if status == "done" else None,
            error="The renderer stopped." if status == "failed" else "",
            finished_at=timezone.now() - timedelta(days=days),
        )
        if status == "done":
            report.file.save(f"board-{days}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    # An open intake shared by link, so the anonymous role sees the client's side.
    return Audit.objects.filter(submitted_at__isnull=True).first() or Audit.objects.create(
        organization=Membership.objects.get(user__email="vp@demo.example").organization
    )


def pages_for(client, email: str | None, audit: Audit) -> dict[str, str]:
    """One path per URL name that the role reaches with 200 and HTML."""
    if email is None:
        result = Response.objects.filter(organization__isnull=False).first()
        starts = [
            "/",
            "/accounts/login/",
            "/accounts/password_reset/",
            f"/audit/{audit.share_token}/",
            f"/results/{result.public_id}/",
            "/b/demo-firm/",
            "/b/demo-firm/embed/",
            "/b/demo-firm/embed/results/{}/".format(
                Lead.objects.filter(source="embed").values_list("response__public_id", flat=True)[0]
            ),
        ]
    else:
        sign_in(client, email)
        slugs = Membership.objects.filter(user__email=email).values_list(
            "organization__slug", flat=True
        )
        starts = ["/home/", "/consultant/audits/"] + [f"/orgs/{s}/" for s in slugs]
    found: dict[str, str] = {}
    for path in crawl(client, starts):
        name = url_name(path)
        if name and name not in found:
            found[name] = path
    client.logout()
    return found


def new_context(browser, live_server, email: str | None):
    context = browser.new_context(viewport=DESKTOP, timezone_id="Europe/Berlin")
    page = context.new_page()
    if email:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    return context, page


def extra_states(page, live_server, role: str, swept: set[str]) -> list[str]:
    """The states a link cannot reach: sweep them in this role's context."""
    problems: list[str] = []
    base = live_server.url
    if role == "anonymous":
        # The self-score questions need the profile first.
        page.goto(base + "/self-score/")
        page.locator("form[method=post] [type=submit]").last.click()  # invalid: nothing chosen
        page.wait_for_load_state("load")
        problems += check(page, "self-score profile, invalid", swept)
        for select in page.locator("form[method=post] select").all():
            select.select_option(index=1)
        for group in page.locator("form[method=post] fieldset").all():
            radios = group.locator("input[type=radio]")
            if radios.count():
                radios.first.check()
        with page.expect_navigation():
            page.locator("form[method=post] [type=submit]").last.click()
        problems += check(page, "self-score question", swept)
        # A firm's link: its first question, then the result page's refused audit request.
        page.goto(base + "/b/demo-firm/")
        page.get_by_text("$5M to $20M").click()
        page.get_by_text("B2B", exact=True).click()
        page.get_by_text("6 to 15").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Next: question 1").click()
        problems += check(page, "firm link, question 1", swept)
        result = Response.objects.filter(lead__isnull=False).first()
        page.goto(f"{base}/results/{result.public_id}/")
        with page.expect_navigation():
            page.get_by_role("button", name="Request a Revenue Audit").click()
        problems += check(page, "result, refused audit request", swept)
        page.goto(base + "/invitations/no-such-token/")
        problems += check(page, "invitation, invalid token", swept)
        page.goto(base + "/accounts/reset/Mw/set-password/")
        problems += check(page, "password reset, invalid link", swept)
        page.goto(base + "/accounts/password_reset/done/")
        problems += check(page, "password reset sent", swept)
        page.goto(base + "/accounts/reset/done/")
        problems += check(page, "password reset complete", swept)
        page.goto(base + "/no-such-page/")
        problems += check(page, "404", swept)
        for template, context in [
            ("403.html", {}),
            ("413.html", {"limit": "10 MB"}),
            ("429.html", {"minutes": 1}),
            ("500.html", {}),
            ("503.html", {}),
        ]:
            # Rendered here and shown on the site's origin, so its stylesheet loads.
            page.goto(base + "/accounts/login/")
            page.set_content(render_to_string(template, context), wait_until="load")
            problems += check(page, template, set())
        return problems

    if role == "member":
        page.goto(base + "/accounts/password_change/")
        problems += check(page, "password change", swept)
        page.goto(base + "/accounts/password_change/done/")
        problems += check(page, "password change done", swept)

    workflow = CandidateWorkflow.objects.filter(portfolio_position=1).first()
    org = workflow.organization.slug
    w = f"{base}/orgs/{org}/workflows/{workflow.pk}/"
    step = Step.objects.filter(map__workflow=workflow, map__kind="future").first()
    if role == "client admin":
        # An invalid step (nothing filled in), posted without htmx.
        page.goto(w + "map/future/")
        post_from_page(page, w + "map/future/steps/add/", {"name": ""})
        problems += check(page, "map, invalid step", swept)
        # Confirmation pages: removing a step, marking another workflow, completing a review.
        page.goto(w + "map/future/")
        post_from_page(page, f"{w}map/future/steps/{step.pk}/delete/", {})
        problems += check(page, "confirm: remove a step", swept)
        other = CandidateWorkflow.objects.filter(
            organization=workflow.organization, portfolio_position__isnull=True
        ).first()
        page.goto(f"{base}/orgs/{org}/workflows/")
        post_from_page(page, f"{base}/orgs/{org}/workflows/{other.pk}/choose/", {})
        problems += check(page, "confirm: mark a workflow", swept)
        page.goto(f"{base}/orgs/{org}/workflows/")
        post_from_page(page, f"{base}/orgs/{org}/workflows/{other.pk}/delete/", {})
        problems += check(page, "confirm: delete a candidate", swept)
        page.goto(f"{base}/orgs/{org}/workflows/{other.pk}/edit/")
        post_from_page(page, f"{base}/orgs/{org}/workflows/{other.pk}/edit/", {"name": ""})
        problems += check(page, "candidate edit, invalid", swept)
        # The demo's open review completed without a decision, then with one (its
        # confirmation).
        second = CandidateWorkflow.objects.get(portfolio_position=2)
        review = f"{base}/orgs/{org}/workflows/{second.pk}/reviews/30/"
        page.goto(review)
        post_from_page(page, review, {"decision": "", "notes": ""})
        problems += check(page, "review, no decision", swept)
        post_from_page(page, review, {"decision": "keep_25", "notes": "Held."})
        assert page.locator(".confirm-card").count() == 1
        problems += check(page, "confirm: complete a review", swept)
    if role == "member":
        # An upload: its column-mapping screen, then the import failing on bad rows.
        page.goto(w + "data/")
        page.get_by_label("Kind").select_option("runs")
        page.get_by_label("File").set_input_files(
            files=[{"name": "runs.csv", "mimeType": "text/csv", "buffer": BAD_RUNS}]
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Upload").click()
        problems += check(page, "upload, column mapping", swept)
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm and import").click()
        page.wait_for_load_state("load")
        problems += check(page, "upload, failed import", swept)
        # Live runs: the ingest URL with its secret and n8n snippets, the rotation's
        # confirmation, and an n8n connection refused (a private address).
        page.goto(w + "data/")
        with page.expect_navigation():
            page.get_by_role("button", name="Create the ingest URL").click()
        problems += check(page, "data page with the ingest URL", swept)
        with page.expect_navigation():
            page.get_by_role("button", name="Rotate the secret…").click()
        problems += check(page, "confirm: rotate the ingest secret", swept)
        page.goto(w + "data/")
        page.get_by_label("n8n base URL").fill("http://10.0.0.1")
        page.get_by_label("n8n workflow id").fill("12")
        page.get_by_label("n8n API key").fill("key")
        with page.expect_navigation():
            page.get_by_role("button", name="Save the n8n connection").click()
        problems += check(page, "n8n connection refused", swept)
    if role == "consultant":
        # The firm's webhooks: an endpoint refused by the URL rules, and deleting one.
        from webhooks.models import Endpoint

        hooks = f"{base}/orgs/demo-firm/webhooks/"
        endpoint = Endpoint.objects.get(organization__slug="demo-firm")
        page.goto(hooks + "add/")
        post_from_page(page, hooks + "add/", {"url": "http://10.0.0.1/", "description": ""})
        problems += check(page, "webhook endpoint, refused URL", swept)
        page.goto(hooks)
        post_from_page(page, f"{hooks}{endpoint.pk}/delete/", {})
        problems += check(page, "confirm: delete a webhook endpoint", swept)
        page.goto(f"{hooks}{endpoint.pk}/")
        post_from_page(page, f"{hooks}{endpoint.pk}/secret/", {})
        problems += check(page, "confirm: rotate a webhook secret", swept)
        # A failed map import.
        page.goto(w + "map/current/")
        page.locator("input[type=file]").first.set_input_files(
            files=[{"name": "map.json", "mimeType": "application/json", "buffer": b"{not json"}]
        )
        with page.expect_navigation():
            page.locator("input[type=file]").first.evaluate("el => el.form.submit()")
        problems += check(page, "map, failed import", swept)
    return problems


def test_every_page_passes_axe_at_both_widths_and_fits_a_phone(
    browser, live_server, client, demo, screenshot
):
    swept: set[str] = set()
    problems: list[str] = []
    for role, email in ROLES.items():
        pages = pages_for(client, email, demo)
        swept |= set(pages)
        context, page = new_context(browser, live_server, email)
        try:
            for name, path in sorted(pages.items()):
                page.goto(live_server.url + path)
                problems += check(page, f"{role} {name} {path}", swept)
            problems += extra_states(page, live_server, role, swept)
        finally:
            context.close()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(problems) + "\n")
    assert not problems, "\n".join(problems)

    every = {name for name, _ in walk(get_resolver().url_patterns)}
    unswept = every - swept - set(NOT_PAGES)
    assert not unswept, f"pages never swept: {sorted(unswept)}: teach this sweep about them"

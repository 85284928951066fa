"""Posting back exactly what a page rendered changes nothing.

The sweep signs in as each demo role, crawls every page it can reach, and for every POST
form (and every htmx autosave control) sends the submission a browser would make without
the user touching anything: pressing Enter, a reload and then Save, a field that loses
focus. No stored row may change, timestamps aside. This is how a Yes rendered as
"Choose…" and then erased by Save (issue "Real inputs, nothing lost", item 2) is caught for
every form present and future.

Action forms exist to change something; they are listed in ``ACTION_FORMS`` with the
reason. A URL in the URLconf that takes a POST and is neither reached by the crawl nor listed
fails the sweep, so a new endpoint has to be taught here.
"""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F
from django.urls import Resolver404, get_resolver, resolve

from audits.models import Audit
from benchmark.models import Response
from core.models import Membership
from tests.forms_sweep import Submission, links, submissions
from tests.test_tenancy import walk

pytestmark = pytest.mark.django_db

APPS = ("core", "benchmark", "audits", "workflows", "reports", "firms", "webhooks", "auth")
IGNORED_FIELDS = {"updated_at", "last_login"}

# Forms whose purpose is a change: posting them as rendered is expected to write.
ACTION_FORMS = {
    "logout": "signs out",
    "benchmark:headline": "makes a member's response the organization's score",
    "workflows:choose": "Mark: makes a candidate the first (or next) workflow",
    "workflows:copy-current": "starts the future state as a copy",
    "workflows:step-move": "moves a step",
    "workflows:step-delete": "removes a step",
    "workflows:use-hours": "feeds the map's hours into the filter",
    "workflows:plan": "starts the plan from the chosen date",
    "workflows:import": "replaces the map from a file (no file posted: refused)",
    "workflows:data": "uploads a file (no file posted: refused)",
    "workflows:import-mapping": "confirms the column mapping and queues the import",
    "workflows:import-retry": "processes a failed import again",
    "workflows:review": "completes the review and freezes it",
    "audits:list": "starts a new Revenue Audit",
    "audits:tool-add": "adds a tool row",
    "audits:tool-delete": "removes a tool row",
    "audits:candidate-add": "adds a candidate row",
    "audits:candidate-delete": "removes a candidate row",
    "audits:submit": "submits the intake",
    "audits:link-tool-add": "adds a tool row",
    "audits:link-tool-delete": "removes a tool row",
    "audits:link-candidate-add": "adds a candidate row",
    "audits:link-candidate-delete": "removes a candidate row",
    "audits:link-submit": "submits the intake",
    "reports:list": "creates a board report",
    "reports:retry": "renders a failed report again",
    "reports:delete": "deletes a superseded report file (after its own confirmation page)",
    "core:members": "invites a member",
    "workflows:ingest-secret": "creates the ingest URL, or asks before rotating its secret",
    "workflows:n8n-pull": "queues a pull of the n8n executions",
    "webhooks:endpoint-test": "sends a test event to the endpoint",
    "webhooks:endpoint-delete": "deletes an endpoint (after its own confirmation page)",
    "webhooks:replay": "sends a delivery again",
    "webhooks:endpoint-secret": "makes a new signing secret (after its own confirmation page)",
}
# URLs that hold several forms told apart by a hidden field: (URL name, field, value).
ACTION_FORMS_BY_FIELD = {
    ("audits:review", "action", "reply"): "sends the reply",
    ("audits:review", "action", "override"): "overrides the tier (a blank override is refused)",
    ("workflows:milestone", "done", "0"): "the ✓ Done button marks the milestone not done",
    ("workflows:milestone", "done", "1"): "the Mark done button marks the milestone done",
}
# URLs that take no POST at all, or are sign-in machinery outside the crawl.
NOT_FORMS = {
    "benchmark:landing",
    "benchmark:result",
    "benchmark:dashboard",
    "core:home",
    "core:login",
    "core:invitation-accept",
    "audits:pipeline",
    "audits:review",
    "workflows:candidates",
    "workflows:portfolio",
    "workflows:map",
    "workflows:export-json",
    "workflows:export-mermaid",
    "workflows:export-bpmn",
    "workflows:map-bpmn",
    "workflows:plan-ics",
    "workflows:import-status",
    "workflows:review-csv",
    "reports:detail",
    "reports:download",
    "reports:self-score-pdf",
    "webhooks:endpoints",
    "webhooks:log",
    "audits:intake",
    "audits:link-intake",
    "login",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "benchmark:profile",  # the self-score draft lives in the session, not in a row
    "benchmark:question",
    "benchmark:result-email",  # sends the link: an action, checked by its own tests
    # The signed run-ingest API (JSON from machines, no forms; tests/workflows/test_ingest_*).
    "ingest-api:runs",
    "ingest-api:events",
    "ingest-api:openapi-json",
    "ingest-api:api-root",
    "firms:leads",  # its filter form is a GET
    "firms:leads-csv",
    "firms:embed-result",
    "firms:logo",
}
SKIP_PAGES = ("/admin/", "/accounts/logout", "/static/")
DOWNLOADS = {
    "firms:leads-csv",
    "firms:logo",
    "workflows:export-json",
    "workflows:export-mermaid",
    "workflows:export-bpmn",
    "workflows:plan-ics",
    "workflows:review-csv",
    "reports:download",
    "reports:self-score-pdf",
}
MAX_PAGES = 120
MAX_VARIANTS = 3  # query-string variants of one page (?edit=, filters)


def snapshot() -> dict[str, dict]:
    """Every row of the app's tables by primary key, timestamps aside."""
    rows = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            names = [f.attname for f in model._meta.concrete_fields if f.name not in IGNORED_FIELDS]
            rows[model._meta.label] = {
                row["pk"]: row for row in model.objects.values(*names, pk=F("pk"))
            }
    return rows


def changes(before: dict, after: dict) -> list[str]:
    """What differs, as "model pk: field old -> new" (or rows added and removed)."""
    out = []
    for label, old in before.items():
        new = after[label]
        for pk in new.keys() - old.keys():
            out.append(f"{label} {pk} added")
        for pk in old.keys() - new.keys():
            out.append(f"{label} {pk} removed")
        for pk in old.keys() & new.keys():
            for name, value in old[pk].items():
                if new[pk][name] != value:
                    out.append(f"{label} {pk}: {name} {value!r} -> {new[pk][name]!r}")
    return out


def url_name(path: str) -> str | None:
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return None
    return match.view_name


def crawl(client, start: list[str]) -> dict[str, str]:
    """Pages reachable from ``start`` by following links: {path: html}."""
    seen: dict[str, str] = {}
    variants: dict[str, int] = defaultdict(int)
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        name = url_name(path)
        if path in seen or name is None or name in DOWNLOADS or path.startswith(SKIP_PAGES):
            continue
        base = path.split("?", 1)[0]
        if "?" in path:
            if variants[base] >= MAX_VARIANTS:
                continue
            variants[base] += 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        seen[path] = html
        queue.extend(link for link in links(path, html) if link not in seen)
    return seen


def is_action(submission: Submission) -> str | None:
    name = url_name(submission.action)
    if name in ACTION_FORMS:
        return ACTION_FORMS[name]
    values = dict(submission.data)
    for (url, field, value), reason in ACTION_FORMS_BY_FIELD.items():
        if url == name and values.get(field) == value:
            return reason
    return None


def post_back_everything(client, pages: dict[str, str], posted: set) -> list[str]:
    problems = []
    for page, html in pages.items():
        for submission in submissions(page, html):
            posted.add(url_name(submission.action))
            if submission.diverted and is_action(submission):
                problems.append(
                    f"{submission.describe} on {page}: Enter in a field would post to "
                    f"{submission.action} ({is_action(submission)})"
                )
            if submission.key in posted or is_action(submission):
                continue
            posted.add(submission.key)
            before = snapshot()
            extra = {
                f"HTTP_{k.upper().replace('-', '_')}": v for k, v in submission.headers.items()
            }
            response = client.post(submission.action, list_to_querydict(submission.data), **extra)
            if response.status_code >= 500:
                problems.append(f"{submission.describe} on {page}: {response.status_code}")
                continue
            changed = changes(before, snapshot())
            if changed:
                problems.append(
                    f"{submission.describe} on {page} posted to {submission.action} "
                    f"and changed {changed}"
                )
    return problems


def list_to_querydict(data):
    """The entries as {name: [values]}: the test client sends every value of a list (a
    QueryDict would send only the last of each name)."""
    grouped: dict[str, list[str]] = {}
    for key, value in data:
        grouped.setdefault(key, []).append(value)
    return grouped


@pytest.fixture
def demo():
    """The demo organizations, plus an open intake whose rows hold every kind of answer."""
    from audits.models import AuditTool
    from core.models import Organization
    from workflows.models import CandidateWorkflow

    call_command("load_demo", responses=40, stdout=io.StringIO())
    org = Organization.objects.get(slug="globex-demo")
    audit = Audit.objects.create(
        organization=org, crm="HubSpot", revenue_gap="Line one\r\nline two", urgency="60_days"
    )
    AuditTool.objects.create(audit=audit, name="Clay", used_daily=True, monthly_cost_usd=800)
    AuditTool.objects.create(audit=audit, name="Jasper", used_daily=False, seats=3)
    AuditTool.objects.create(audit=audit, name="Otter", used_daily=None)
    for ai, hours in ((True, "7.5"), (False, "12"), (None, None)):
        CandidateWorkflow.objects.create(
            organization=org,
            audit=audit,
            name=f"Candidate {ai}",
            ai_can_automate_step=ai,
            hours_per_week=hours,
            degrees_from_revenue=2,
            pain="Too slow",
        )
    return audit


def sign_in(client, email):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email=email))


def test_every_form_posted_back_as_rendered_changes_nothing(client, demo):
    posted: set = set()
    problems: list[str] = []
    for email in ("vp@demo.example", "consultant@demo.example", "ops@demo.example"):
        sign_in(client, email)
        slugs = Membership.objects.filter(user__email=email).values_list(
            "organization__slug", flat=True
        )
        starts = ["/home/", "/consultant/audits/"] + [f"/orgs/{s}/" for s in slugs]
        pages = crawl(client, starts)
        problems += post_back_everything(client, pages, posted)
        client.logout()
    # Without an account: the share link of an open intake and a result page.
    draft = demo
    result = Response.objects.filter(organization__isnull=False).first()
    pages = crawl(
        client,
        [
            f"/audit/{draft.share_token}/",
            f"/results/{result.public_id}/",
            "/b/demo-firm/",  # the self-score in progress is in the form's token, not a row
            "/b/demo-firm/embed/",
        ],
    )
    problems += post_back_everything(client, pages, posted)
    assert not problems, "\n".join(problems)

    # Every POST endpoint of the URLconf was exercised, or is listed with its reason.
    every = {name for name, _ in walk(get_resolver().url_patterns)}
    unreached = (
        every - posted - set(ACTION_FORMS) - NOT_FORMS - {k for k, _, _ in ACTION_FORMS_BY_FIELD}
    )
    assert not unreached, f"no form posts to {sorted(unreached)}: teach this sweep about them"


def test_the_sweep_sees_a_yes_erased_by_save(client, demo, monkeypatch):
    """The sweep itself can fail: a Yes/No select that renders no choice is caught."""
    from django import forms as django_forms

    from workflows.candidates import forms as workflow_forms

    # How the bug looked: a plain Select renders True as "True", which matches no option.
    monkeypatch.setattr(
        workflow_forms.YesNoSelect, "format_value", django_forms.Select.format_value
    )
    sign_in(client, "consultant@demo.example")
    draft = demo
    page = f"/orgs/{draft.organization.slug}/audits/{draft.pk}/"
    problems = post_back_everything(client, {page: client.get(page).content.decode()}, set())
    assert any("used_daily" in p or "ai_can_automate_step" in p for p in problems), problems

"""Line breaks and control characters: refused in one-line fields, escaped in every output.

Reported: a workflow name with CR/LF made the plan's .ics a 500, and the reminder job then
crashed on the email subject after marking the reminder sent, so it was never sent.

1. Every form of the project refuses a line break in each one-line text field (a field
   whose widget is not a Textarea), with a field error. The sweep finds the forms by
   subclass, so a new form is covered (and has to be taught its constructor arguments).
2. Rows saved before the refusal exist: every text column of every model is filled with
   line breaks, tabs and control characters at once, and every output the app makes (.ics,
   emails, review CSV, JSON and Mermaid exports, pages, one board report PDF) is produced
   without a 500 and with the text escaped or folded for its format.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import pkgutil
from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django import forms
from django.apps import apps
from django.core import mail
from django.db import models
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from core.forms import OneLineFieldsMixin
from firms.selectors import CSV_HEADER

OUR_APPS = ("core", "benchmark", "audits", "workflows", "reports", "firms", "webhooks")
BROKEN = "Line one\r\nline two\u2028three\x0bfour\x1b[31m\ttab"
ONE_LINE_BREAKS = ["a\r\nb", "a\nb", "a\rb", "a\u2028b", "a\x0bb", "a\x85b"]


def project_forms():
    for label in OUR_APPS:
        package = importlib.import_module(label)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{label}."):
            if info.name.rsplit(".", 1)[-1] == "forms":  # every app's forms, at any depth
                importlib.import_module(info.name)
    seen, queue = [], list(forms.BaseForm.__subclasses__())
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in OUR_APPS and cls not in seen:
            seen.append(cls)
    return sorted(seen, key=lambda c: c.__qualname__)


def a_question(kind):
    from benchmark.selectors import definition_get_current

    return next(q for q in definition_get_current().questions if q.kind == kind)


KWARGS = {
    "ChoiceAnswerForm": {"question": lambda: a_question("choice")},
    "ToolCountAnswerForm": {"question": lambda: a_question("tool_count")},
    "AssessmentForm": {"questions": ()},
    "StatusForm": {"current": "submitted"},
    "ReplyForm": {"tier": "follow_up"},
    "InvitationSignupForm": {"email": "a@example.com"},
    "CandidateDimensionsForm": {"choices": [("reporting", "Reporting")]},
    "ColumnMappingForm": {
        "fields": (),
        "headers": ("Deal Name",),
        "mappings": [],
        "key_field": "opportunity_id",
        "with_date_format": True,
    },
}
ABSTRACT = {"Form", "ModelForm"}


def one_line_fields(form):
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.Textarea | forms.PasswordInput)
        and not getattr(field, "accepts_line_breaks", False)
    ]


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda c: c.__qualname__)
def test_every_form_refuses_line_breaks_in_one_line_fields(form_class, db):
    if form_class.__name__ in ABSTRACT:
        return
    assert issubclass(form_class, OneLineFieldsMixin) or form_class.__name__ == (
        "EmailAuthenticationForm"  # its only text field is an EmailField, which refuses them
    ), f"{form_class.__qualname__} does not take core.forms.Form / ModelForm"
    try:
        kwargs = {
            k: v() if callable(v) else v for k, v in KWARGS.get(form_class.__name__, {}).items()
        }
        form = form_class(**kwargs)
    except TypeError as error:
        pytest.fail(f"teach this sweep how to build {form_class.__qualname__}: {error}")
    for name in one_line_fields(form):
        for text in ONE_LINE_BREAKS:
            with pytest.raises(forms.ValidationError):
                form.fields[name].clean(text)


def test_the_sweep_finds_the_forms():
    names = {c.__name__ for c in project_forms()}
    assert {"StepForm", "CandidateWorkflowForm", "AuditIntakeForm", "ReplyForm"} <= names


def test_a_workflow_name_with_a_line_break_is_refused_with_a_field_error(client, db):
    from core.models import Membership
    from tests.factories import MembershipFactory
    from workflows.models import CandidateWorkflow

    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(member.user)
    reply = client.post(
        f"/orgs/{member.organization.slug}/workflows/", {"name": "Inbound\r\nX-INJECT:1"}
    )
    assert reply.status_code == 422
    assert "Keep this to one line" in reply.content.decode()
    assert not CandidateWorkflow.objects.exists()


# --- outputs of rows stored before the refusal -----------------------------------------------

# Codes and keys, not free text: what the app writes itself or validates as a code.
SKIP_COLUMNS = {
    "slug",
    "share_token",
    "status",
    "kind",
    "token_hash",
    "email",
    "version",
    "checksum",
    "segment",
    "metric",
    "timezone",
    "key",
    "arm",
    "ai_flag",
    "category",
}


def fill_every_text_column():
    """Write BROKEN into every free-text column of every row (as an old row could hold)."""
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            keyed = {
                name
                for constraint in model._meta.constraints
                for name in getattr(constraint, "fields", ())
            }
            values = {}
            for field in model._meta.concrete_fields:
                if field.name in keyed:
                    continue
                if not isinstance(field, models.CharField | models.TextField):
                    continue
                if field.choices or field.name in SKIP_COLUMNS or field.unique:
                    continue
                if isinstance(field, models.EmailField | models.URLField | models.SlugField):
                    continue
                # Ciphertext (core.secrets) is no text a user wrote.
                if field.name == "file" or field.name.endswith(("_id", "_hash", "_encrypted")):
                    continue
                values[field.name] = BROKEN[: field.max_length] if field.max_length else BROKEN
            if values:
                model.objects.update(**values)


@pytest.fixture
def broken_demo(db):
    from django.core.management import call_command

    call_command("load_demo", responses=30, stdout=io.StringIO())
    fill_every_text_column()


def sign_in(client, email):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email=email))


def test_every_output_escapes_stored_line_breaks(
    client, broken_demo, django_capture_on_commit_callbacks
):
    from audits.models import Audit
    from core.models import Organization
    from core.pdf import render_pdf
    from reports.rendering import board_report_html
    from workflows.models import CandidateWorkflow, Review
    from workflows.reviews.services import review_reminders_send

    org = Organization.objects.get(slug="northwind-demo")
    workflow = CandidateWorkflow.objects.get(organization=org, portfolio_position=1)
    base = f"/orgs/{org.slug}/workflows/{workflow.pk}/"
    sign_in(client, "vp@demo.example")

    # Pages.
    for url in [
        f"/orgs/{org.slug}/",
        base + "map/current/",
        base + "plan/",
        base + "data/",
        base + "reviews/30/",
        base + "reviews/90/",
        f"/orgs/{org.slug}/portfolio/",
    ]:
        assert client.get(url).status_code == 200, url

    # The calendar: every title on one line, descriptions escaped, no event smuggled in.
    ics = client.get(base + "plan/calendar.ics")
    assert ics.status_code == 200
    calendar = Calendar.from_ical(ics.content)
    assert str(calendar["X-WR-CALNAME"]).startswith("Line one line two three four")
    for event in calendar.walk("VEVENT"):
        assert "\n" not in str(event["SUMMARY"]) and "\r" not in str(event["SUMMARY"])
    assert len(calendar.walk("VEVENT")) == workflow.plan.milestones.count() + 3

    # Exports: JSON parses, Mermaid keeps each label on its line, CSV has its rows.
    exported = client.get(base + "map/current/export.json")
    assert json.loads(exported.content)["steps"][0]["name"].startswith("Line one")
    mermaid = client.get(base + "map/current/export.mmd").content.decode()
    assert not any(line.startswith(("line two", "three")) for line in mermaid.splitlines())
    # BPMN: the name stays one attribute value (line breaks as character references), so
    # the XML parses and the task's name keeps what was typed.
    bpmn = ElementTree.fromstring(client.get(base + "map/current/export.bpmn").content)
    bpmn_ns = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    task = next(e for e in bpmn.iter() if e.tag in (bpmn_ns + "userTask", bpmn_ns + "serviceTask"))
    assert task.get("name").startswith("Line one")
    rows = list(
        csv.reader(io.StringIO(client.get(base + "reviews/30/metrics.csv").content.decode()))
    )
    assert rows[0] == ["section", "metric", "value"] and all(len(r) == 3 for r in rows)

    # The demo firm's leads: the page, and a CSV whose every row keeps its cells.
    sign_in(client, "consultant@demo.example")
    assert client.get("/orgs/demo-firm/leads/").status_code == 200
    leads = list(
        csv.reader(io.StringIO(client.get("/orgs/demo-firm/leads/export.csv").content.decode()))
    )
    assert len(leads) == 7 and all(len(row) == len(CSV_HEADER) for row in leads)
    assert leads[1][6].startswith("Line one")
    sign_in(client, "vp@demo.example")

    # Emails: the review reminder and the audit reply, subjects on one line.
    from django.contrib.auth import get_user_model

    vp = get_user_model().objects.get(email="vp@demo.example")
    Review.objects.filter(workflow=workflow, stage=90).update(
        completed_at=None, due_date=timezone.localdate(), reminder_sent_at=None, owner=vp
    )
    mail.outbox.clear()
    assert review_reminders_send(now=timezone.now()) >= 1
    audit = Audit.objects.filter(organization=org).first()
    Audit.objects.filter(pk=audit.pk).update(status="in_review")
    sign_in(client, "consultant@demo.example")
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"/orgs/{org.slug}/audits/{audit.pk}/review/",
            {
                "action": "reply",
                "named_gap": "Gap",
                "gap_value_usd": "1000",
                "recommendation": BROKEN,
                "booking_link": "https://cal.example.com/x",
                "recipient": "dana@client.example",
            },
        )
    assert sent.status_code == 302
    # The firm's webhooks pages, and the notice of a disabled endpoint.
    from webhooks.delivery import webhook_endpoint_disabled_notify
    from webhooks.models import Endpoint

    firm_pages = "/orgs/demo-firm/webhooks/"
    endpoint = Endpoint.objects.get(organization__slug="demo-firm")
    for url in [firm_pages, firm_pages + "log/", f"{firm_pages}{endpoint.pk}/"]:
        assert client.get(url).status_code == 200, url
    assert webhook_endpoint_disabled_notify(endpoint_id=endpoint.pk) == 1
    assert len(mail.outbox) >= 3
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        message.message().as_bytes()  # the whole email serializes

    # One board report with every field broken at once.
    html, _ = board_report_html(organization=org, as_of=timezone.localdate())
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(html))).pages)
    assert "Line one" in text


def test_a_reminder_that_cannot_be_sent_is_tried_again(db, monkeypatch):
    """The claim is given back when sending fails, so the reminder is not lost."""
    from core.models import Membership
    from tests.factories import MembershipFactory
    from workflows.models import CandidateWorkflow, Review
    from workflows.plans.services import plan_create
    from workflows.reviews import services as review_services
    from workflows.reviews.services import review_reminders_send

    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    workflow = CandidateWorkflow.objects.create(organization=member.organization, name="W")
    plan_create(
        workflow=workflow,
        start_date=timezone.localdate() - timedelta(days=30),
        timezone="UTC",
        owner=member.user,
    )
    Review.objects.filter(workflow=workflow, stage=30).update(
        owner=member.user, due_date=timezone.localdate()
    )

    def refuse(**kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr(review_services, "mail_send", refuse)
    assert review_reminders_send(now=timezone.now()) == 0
    assert not Review.objects.filter(reminder_sent_at__isnull=False).exists()
    monkeypatch.undo()
    mail.outbox.clear()
    assert review_reminders_send(now=timezone.now()) == 1
    assert len(mail.outbox) == 1

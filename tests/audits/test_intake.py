"""The intake: autosave per field, rows, derived figures, progress, submission."""

import pytest
from django.utils import timezone

from audits.models import Audit, AuditTool
from benchmark.models import Response
from tests.audits.conftest import autosave, fill_complete
from tests.factories import MembershipFactory, response_create
from workflows.models import CandidateWorkflow

pytestmark = pytest.mark.django_db


def test_a_member_starts_an_audit_prefilled_from_the_latest_self_score(client, client_admin):
    response_create(level=2, membership=client_admin)
    client.force_login(client_admin.user)
    started = client.post(f"/orgs/{client_admin.organization.slug}/audits/")
    audit = Audit.objects.get()
    assert started["Location"] == f"/orgs/{client_admin.organization.slug}/audits/{audit.pk}/"
    assert audit.assessment["orchestration_chain"] == 2
    assert len(audit.assessment) == 10
    page = client.get(started["Location"]).content.decode()
    assert "answers from your team's latest self-score are filled in" in page


def test_each_field_saves_as_it_is_edited(client, client_admin, audit, intake_url):
    client.force_login(client_admin.user)
    reply = autosave(client, intake_url + "field/", "crm", "HubSpot")
    body = reply.content.decode()
    assert reply.status_code == 200
    assert 'id="status-crm"' in body and "Saved" in body
    assert 'id="progress"' in body and 'hx-swap-oob="true"' in body
    audit.refresh_from_db()
    assert audit.crm == "HubSpot"


def test_an_invalid_value_shows_an_error_and_keeps_the_rest(
    client, client_admin, audit, intake_url
):
    client.force_login(client_admin.user)
    autosave(client, intake_url + "field/", "crm", "Salesforce")
    reply = autosave(client, intake_url + "field/", "monthly_lead_volume", "lots")
    assert "Enter a whole number" in reply.content.decode()
    audit.refresh_from_db()
    assert audit.crm == "Salesforce" and audit.monthly_lead_volume is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("revenue_band", "999m"),
        ("urgency", "yesterday"),
        ("q_orchestration_chain", "9"),
        ("loaded_hourly_rate_usd", "-5"),
    ],
)
def test_tampered_values_are_rejected_and_nothing_changes(
    client, client_admin, audit, intake_url, name, value
):
    client.force_login(client_admin.user)
    reply = autosave(client, intake_url + "field/", name, value)
    assert 'hx-swap-oob="innerHTML"><span class="error">' in reply.content.decode()
    fresh = Audit.objects.get(pk=audit.pk)
    assert (fresh.revenue_band, fresh.urgency, fresh.assessment, fresh.loaded_hourly_rate_usd) == (
        "",
        "",
        {},
        audit.loaded_hourly_rate_usd,
    )


@pytest.mark.parametrize("name", ["status", "organization", "computed_tier", "share_token", ""])
def test_autosave_refuses_fields_outside_the_intake(client, client_admin, audit, intake_url, name):
    client.force_login(client_admin.user)
    reply = autosave(client, intake_url + "field/", name, "won")
    assert reply.status_code == 400
    assert Audit.objects.get(pk=audit.pk).status == Audit.Status.DRAFT


def test_an_assessment_answer_saves(client, client_admin, audit, intake_url):
    client.force_login(client_admin.user)
    autosave(client, intake_url + "field/", "q_attribution_flags", "3")
    audit.refresh_from_db()
    assert audit.assessment == {"attribution_flags": 3}


def test_rows_are_added_edited_and_removed(client, client_admin, audit, intake_url):
    client.force_login(client_admin.user)
    added = client.post(intake_url + "tools/add/", HTTP_HX_REQUEST="true")
    tool = AuditTool.objects.get()
    assert f'id="tool-{tool.pk}"' in added.content.decode()
    autosave(client, f"{intake_url}tools/{tool.pk}/", f"tool-{tool.pk}-name", "Jasper")
    autosave(client, f"{intake_url}tools/{tool.pk}/", f"tool-{tool.pk}-monthly_cost_usd", "1,2")
    saved = autosave(
        client, f"{intake_url}tools/{tool.pk}/", f"tool-{tool.pk}-monthly_cost_usd", "490"
    )
    assert "Saved" in saved.content.decode()
    assert "$490" in saved.content.decode()  # the derived monthly spend, swapped out of band
    tool.refresh_from_db()
    assert (tool.name, tool.monthly_cost_usd) == ("Jasper", 490)
    removed = client.post(f"{intake_url}tools/{tool.pk}/delete/", HTTP_HX_REQUEST="true")
    assert removed.status_code == 200
    assert not AuditTool.objects.exists()


def test_rows_work_without_javascript(client, client_admin, audit, intake_url):
    client.force_login(client_admin.user)
    assert client.post(intake_url + "candidates/add/")["Location"] == intake_url + "#candidates"
    candidate = CandidateWorkflow.objects.get()
    assert candidate.organization == audit.organization
    data = {
        f"candidate-{candidate.pk}-name": "Inbound follow-up",
        f"candidate-{candidate.pk}-hours_per_week": "12",
        f"candidate-{candidate.pk}-people_involved": "2",
        f"candidate-{candidate.pk}-ai_can_automate_step": "true",
        f"candidate-{candidate.pk}-degrees_from_revenue": "1",
        "crm": "HubSpot",
        "monthly_lead_volume": "-4",
    }
    page = client.post(intake_url, data)
    assert page.status_code == 422
    body = page.content.decode()
    assert "Ensure this value is greater than or equal to 0" in body
    assert 'value="-4"' in body  # what was typed is kept
    candidate.refresh_from_db()
    audit.refresh_from_db()
    assert candidate.hours_per_week == 12 and audit.crm == "HubSpot"


def test_derived_figures_and_ranked_candidates_show_live(client, client_admin, audit, intake_url):
    fill_complete(audit, tools=8)
    AuditTool.objects.filter(name="Tool 7").update(used_daily=False, integrated_with="")
    client.force_login(client_admin.user)
    page = client.get(intake_url).content.decode()
    assert "Tool sprawl" in page
    assert "8 AI tools paid for" in page
    assert "#1 Inbound lead follow-up" in page
    assert "$88,400 a year" in page  # 20 h x $85 x 52


def test_progress_counts_sections(client, client_admin, audit, intake_url):
    client.force_login(client_admin.user)
    assert "<strong>0 of 7</strong>" in client.get(intake_url).content.decode()
    fill_complete(audit)
    assert "<strong>7 of 7</strong>" in client.get(intake_url).content.decode()


def test_submitting_an_incomplete_intake_names_what_is_missing(
    client, client_admin, audit, intake_url
):
    client.force_login(client_admin.user)
    autosave(client, intake_url + "field/", "crm", "HubSpot")
    reply = client.post(intake_url + "submit/")
    assert reply.status_code == 422
    assert "Still to fill in: Contact, company and budget" in reply.content.decode()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DRAFT and audit.crm == "HubSpot"


def test_submitting_starts_the_24_hour_clock_and_locks_client_edits(
    client, client_admin, audit, intake_url
):
    fill_complete(audit)
    client.force_login(client_admin.user)
    before = timezone.now()
    client.post(intake_url + "submit/")
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert (audit.reply_due_at - audit.submitted_at).total_seconds() == 24 * 3600
    assert audit.submitted_at >= before
    assert audit.computed_tier == "qualified"
    assert autosave(client, intake_url + "field/", "crm", "Pipedrive").status_code == 403
    assert Audit.objects.get(pk=audit.pk).crm == "HubSpot"


def test_the_share_link_lets_a_client_fill_in_without_an_account(client, audit):
    base = f"/audit/{audit.share_token}/"
    assert client.get(base).status_code == 200
    autosave(client, base + "field/", "crm", "Close")
    audit.refresh_from_db()
    assert audit.crm == "Close"
    assert client.get("/audit/not-the-token/").status_code == 404


def test_a_self_score_is_not_copied_into_another_organizations_audit(client, client_admin):
    other = MembershipFactory()
    response_create(level=3, membership=other)
    client.force_login(client_admin.user)
    client.post(f"/orgs/{client_admin.organization.slug}/audits/")
    assert Audit.objects.get().assessment == {}
    assert Response.objects.count() == 1


def test_a_yes_answer_survives_a_reload_and_the_save_button(
    client, client_admin, audit, intake_url
):
    """Reported: "Used daily" and "AI can automate a step today" saved as Yes showed
    "Choose…" after a reload, and the sticky Save then erased them."""
    from bs4 import BeautifulSoup

    from tests.forms_sweep import form_entries

    client.force_login(client_admin.user)
    tool = AuditTool.objects.create(audit=audit, name="Clay", used_daily=True)
    candidate = CandidateWorkflow.objects.create(
        organization=audit.organization, audit=audit, name="Inbound", ai_can_automate_step=True
    )
    soup = BeautifulSoup(client.get(intake_url).content.decode(), "html.parser")
    used = soup.find("select", attrs={"name": f"tool-{tool.pk}-used_daily"})
    assert used.find("option", selected=True).get_text() == "Yes"
    form = soup.find("form", id="intake-form")
    client.post(intake_url, dict(form_entries(form, soup)))  # the sticky Save
    tool.refresh_from_db()
    candidate.refresh_from_db()
    assert tool.used_daily is True and candidate.ai_can_automate_step is True


def test_enter_in_the_intake_saves_instead_of_removing_a_row(
    client, client_admin, audit, intake_url
):
    """Pressing Enter submits with the form's first submit button: it must be Save."""
    from bs4 import BeautifulSoup

    client.force_login(client_admin.user)
    AuditTool.objects.create(audit=audit, name="Clay")
    soup = BeautifulSoup(client.get(intake_url).content.decode(), "html.parser")
    first = soup.find("form", id="intake-form").find("button")
    assert first.get_text(strip=True) == "Save" and not first.get("formaction")
    assert soup.find("button", attrs={"formaction": True}).get_text(strip=True) == "Remove"

"""The intake's fields and rows are drawn once per version of the audit and its rows
(issue 13, ``core.fragments``): a load after any edit shows it, a POST's typed values and
errors are never kept, and more rows add no query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.models import Audit, AuditTool
from tests.audits.conftest import autosave, fill_complete
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow

pytestmark = pytest.mark.django_db


def page_of(client, url):
    reply = client.get(url)
    assert reply.status_code == 200
    return reply.content.decode()


def test_an_autosaved_field_shows_on_the_next_load(client, client_admin, audit, intake_url):
    client.force_login(client_admin.user)
    assert 'value="HubSpot"' not in page_of(client, intake_url)
    autosave(client, intake_url + "field/", "crm", "HubSpot")
    assert 'value="HubSpot"' in page_of(client, intake_url)


def test_an_edit_written_behind_the_forms_back_shows_on_the_next_load(
    client, client_admin, audit, intake_url
):
    """QuerySet.update leaves updated_at alone: the key hashes the values themselves."""
    fill_complete(audit, tools=2)
    client.force_login(client_admin.user)
    assert "Tool 1" in page_of(client, intake_url)
    AuditTool.objects.filter(name="Tool 1").update(name="Clay")
    CandidateWorkflow.objects.filter(audit=audit).update(name="Renewal nudges")
    Audit.objects.filter(pk=audit.pk).update(crm="Pipedrive")
    page = page_of(client, intake_url)
    assert 'value="Clay"' in page and 'value="Tool 1"' not in page
    assert 'value="Renewal nudges"' in page
    assert 'value="Pipedrive"' in page


def test_added_and_removed_rows_show_on_the_next_load(client, client_admin, audit, intake_url):
    client.force_login(client_admin.user)
    page_of(client, intake_url)
    client.post(intake_url + "tools/add/")
    tool = AuditTool.objects.get()
    assert f'id="tool-{tool.pk}"' in page_of(client, intake_url)
    client.post(f"{intake_url}tools/{tool.pk}/delete/")
    assert f'id="tool-{tool.pk}"' not in page_of(client, intake_url)


def test_typed_values_and_errors_of_a_post_are_not_kept(client, client_admin, audit, intake_url):
    client.force_login(client_admin.user)
    page_of(client, intake_url)
    posted = client.post(intake_url, {"crm": "HubSpot", "monthly_lead_volume": "-4"})
    assert posted.status_code == 422 and 'value="-4"' in posted.content.decode()
    page = page_of(client, intake_url)
    assert 'value="-4"' not in page and "greater than or equal to 0" not in page
    assert 'value="HubSpot"' in page


def test_a_locked_audit_is_not_served_the_editable_fields(client, client_admin, audit, intake_url):
    fill_complete(audit)
    consultant = MembershipFactory(role="consultant", organization=audit.organization)
    client.force_login(consultant.user)
    assert "hx-post" in page_of(client, intake_url)
    client.force_login(client_admin.user)
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.SUBMITTED)
    assert 'hx-post="' + intake_url + 'field/"' not in page_of(client, intake_url)


def test_the_share_link_posts_to_the_link_not_the_members_url(
    client, client_admin, audit, intake_url
):
    client.force_login(client_admin.user)
    page_of(client, intake_url)
    client.logout()
    page = page_of(client, f"/audit/{audit.share_token}/")
    assert f'hx-post="{intake_url}field/"' not in page
    assert f'hx-post="/audit/{audit.share_token}/field/"' in page


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        page_of(client, url)
    return len(queries)


def test_more_tools_and_candidates_add_no_query(client, client_admin, audit, intake_url):
    fill_complete(audit, tools=2)
    client.force_login(client_admin.user)
    page_of(client, intake_url)
    few = queries_of(client, intake_url)
    for i in range(2, 10):
        AuditTool.objects.create(audit=audit, name=f"Tool {i}", monthly_cost_usd=10, seats=1)
        CandidateWorkflow.objects.create(
            organization=audit.organization, audit=audit, name=f"Workflow {i}"
        )
    page_of(client, intake_url)
    assert queries_of(client, intake_url) == few
    # And the same again when nothing is cached (the first load after an edit).
    AuditTool.objects.filter(name="Tool 9").update(seats=2)
    assert queries_of(client, intake_url) == few

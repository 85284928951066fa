"""The map editor's form fields are drawn once and then read from the cache (issue 13,
``core.fragments``): the settings per version of the map, the empty add and import forms
once. A load after any edit shows it, and a POST's typed values and errors are never
kept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.workflows.test_map_editor import add_step, base
from workflows.models import WorkflowMap

pytestmark = pytest.mark.django_db


def page_of(client, url, **extra):
    reply = client.get(url, **extra)
    assert reply.status_code == 200
    return reply.content.decode()


def test_saved_settings_show_on_the_next_load(client, workflow):
    assert "HubSpot form submitted" not in page_of(client, base(workflow))
    client.post(base(workflow) + "settings/", {"trigger": "HubSpot form submitted"})
    assert 'value="HubSpot form submitted"' in page_of(client, base(workflow))


def test_a_map_changed_behind_the_forms_back_shows_on_the_next_load(client, workflow):
    client.post(base(workflow) + "settings/", {"kpi": "Meetings booked"})
    page_of(client, base(workflow))
    WorkflowMap.objects.filter(workflow=workflow).update(kpi="Pipeline created")
    page = page_of(client, base(workflow))
    assert 'value="Pipeline created"' in page and "Meetings booked" not in page


def test_each_map_shows_its_own_settings(client, workflow):
    client.post(base(workflow) + "settings/", {"kpi": "Now"})
    client.post(base(workflow, "future") + "settings/", {"kpi": "Later"})
    assert 'value="Now"' in page_of(client, base(workflow))
    assert 'value="Later"' in page_of(client, base(workflow, "future"))
    assert 'value="Now"' not in page_of(client, base(workflow, "future"))


def test_typed_values_and_errors_of_a_post_are_not_kept(client, workflow):
    page_of(client, base(workflow))
    refused = client.post(base(workflow) + "settings/", {"runs_per_week": "-3"})
    assert refused.status_code == 422 and 'value="-3"' in refused.content.decode()
    added = add_step(client, workflow, name="", tool="Typed tool")
    assert added.status_code == 422 and 'value="Typed tool"' in added.content.decode()
    page = page_of(client, base(workflow))
    assert 'value="-3"' not in page and 'value="Typed tool"' not in page
    assert "field-error" not in page


def test_the_add_form_takes_the_focus_only_after_adding_a_step(client, workflow):
    page_of(client, base(workflow))
    added = add_step(client, workflow, name="First", htmx=True).content.decode()
    assert 'name="add-name" id="id_add-name" maxlength="200" value="" autofocus' in added
    assert "autofocus" not in page_of(client, base(workflow))


def test_a_map_with_both_states_and_more_steps_adds_no_query(client, workflow):
    add_step(client, workflow, name="One")
    add_step(client, workflow, "future", name="One")
    page_of(client, base(workflow))
    with CaptureQueriesContext(connection) as few:
        page_of(client, base(workflow))
    for i in range(8):
        add_step(client, workflow, name=f"Step {i}", team="Sales" if i % 2 else "Marketing")
        add_step(client, workflow, "future", name=f"Step {i}")
    with CaptureQueriesContext(connection) as many:
        page_of(client, base(workflow))
    assert 0 < len(few) == len(many)

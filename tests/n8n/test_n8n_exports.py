"""The n8n map import on files a real n8n wrote: workflows imported with ``n8n
import:workflow`` and written back by ``n8n export:workflow`` (tests/n8n/workflows.py), not
hand-written exports. n8n adds its own fields (versionId, shared, triggerCount, ...), and
its CLI writes a list of workflows where the editor's download is one object."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Membership
from tests.factories import MembershipFactory
from tests.n8n import workflows
from tests.n8n_server import N8n, together
from workflows.maps.exchange import MapImportError, map_from_n8n, parse_json_bytes
from workflows.maps.shapes import Actor
from workflows.models import CandidateWorkflow, WorkflowMap


@pytest.fixture(scope="module")
def exports(n8n_workflows: N8n) -> dict[str, Path]:
    """The file of ``export:workflow --all`` and the file of ``--id`` for LEAD_ROUTING,
    written at once."""
    every, one = together(
        n8n_workflows.export, lambda: n8n_workflows.export(workflows.LEAD_ROUTING_ID)
    )
    return {"all": every, "one": one}


@pytest.fixture(scope="module")
def exported(exports: dict[str, Path]) -> dict[str, dict]:
    """Each workflow as n8n wrote it, by id (the objects ``--separate`` writes one a file)."""
    return {w["id"]: w for w in json.loads(exports["all"].read_text())}


def test_n8n_writes_back_the_workflows_with_its_own_fields(exported):
    assert set(exported) == {w["id"] for w in workflows.ALL}
    lead = exported[workflows.LEAD_ROUTING_ID]
    assert {"versionId", "shared", "triggerCount", "createdAt", "isArchived"} <= set(lead)
    assert lead["settings"]["errorWorkflow"] == workflows.FAILURE_ALERTS_ID
    by_name = {node["name"]: node for node in lead["nodes"]}
    assert by_name["Enrich company"]["disabled"] is True
    assert by_name["Send reply"]["onError"] == "continueErrorOutput"
    assert (by_name["Alert SDR"]["maxTries"], by_name["Alert SDR"]["waitBetweenTries"]) == (
        7,
        9000,
    )


def test_the_lead_routing_export_imports_with_its_routes_retries_and_notes(exported):
    imported = map_from_n8n(exported[workflows.LEAD_ROUTING_ID])
    map_ = imported.map
    assert (map_.name, map_.trigger) == ("Inbound lead routing", "Demo request (webhook)")
    to_error_workflow = f"error workflow {workflows.FAILURE_ALERTS_ID}"
    assert [(s.name, s.actor, s.tool, s.failure_summary) for s in map_.steps] == [
        (
            "Find contact",
            Actor.RULE,
            "HubSpot",
            f"retry ×4, 2 s apart, then to {to_error_workflow}",
        ),
        ("Draft reply", Actor.AI, "OpenAI", f"dead-letter → {to_error_workflow}"),
        ("Asks about pricing?", Actor.RULE, "n8n IF", f"dead-letter → {to_error_workflow}"),
        ("Alert SDR", Actor.RULE, "Slack", f"retry ×5, 5 s apart, then to {to_error_workflow}"),
        ("Send reply", Actor.RULE, "Gmail", "queue → Log failed send"),
    ]
    assert map_.notes == "## Inbound lead\nDemo form -> HubSpot -> AI draft -> reply"
    assert map_.time_saved_minutes == 12
    assert imported.carries == {"trigger", "notes", "time_saved_minutes"}
    report = imported.report
    assert report.summary == (
        "Imported 5 steps, the trigger 'Demo request (webhook)', the failure routes of 5 of 5 "
        "steps, 1 sticky note as the map's notes and the time saved per run (12 min)."
    )
    assert report.approximated == (
        "'Alert SDR' retries as n8n runs it, 5 tries 5 s apart (the file says maxTries 7 and "
        "waitBetweenTries 9000 ms)",
        "IF 'Asks about pricing?' branches to 2 paths; flattened in order: Alert SDR, Send reply",
        "every step after a branch counts as taken by 100% of runs; set each one's share of "
        "runs in the editor",
        "the error output of 'Send reply' leads to Log failed send: kept as the step's failure "
        "route, not as steps",
        "'OpenAI chat model' is attached to 'Draft reply' (ai_languageModel); it is part of "
        "that step",
    )
    assert report.dropped == ("disabled node 'Enrich company' (n8n passes its input straight on)",)


def test_the_error_workflow_imports_from_its_error_trigger(exported):
    imported = map_from_n8n(exported[workflows.FAILURE_ALERTS_ID])
    assert imported.map.trigger == "Run failed (errorTrigger)"
    assert [(s.name, s.tool, s.failure_summary) for s in imported.map.steps] == [
        ("Post failure", "Slack", "none")
    ]
    assert imported.report.approximated == imported.report.dropped == ()


def test_the_file_of_one_workflow_the_cli_writes_imports_like_the_workflow(exports, exported):
    one = parse_json_bytes(exports["one"].read_bytes())
    assert isinstance(one, list) and len(one) == 1  # what n8n export:workflow --id writes
    assert map_from_n8n(one) == map_from_n8n(exported[workflows.LEAD_ROUTING_ID])


def test_the_file_of_every_workflow_is_refused_naming_them(exports):
    with pytest.raises(MapImportError) as refused:
        map_from_n8n(parse_json_bytes(exports["all"].read_bytes()))
    (problem,) = refused.value.problems
    assert problem.startswith(f"This file holds {len(workflows.ALL)} n8n workflows: ")
    for name in ("Inbound lead routing", "Failure alerts", "Run log", "Outside call"):
        assert name in problem
    assert "--all --separate" in problem


@pytest.mark.django_db
def test_the_file_n8n_wrote_imports_through_the_map_page(client, exports):
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(member.user)
    candidate = CandidateWorkflow.objects.create(
        organization=member.organization, name="Inbound lead follow-up"
    )
    url = f"/orgs/{member.organization.slug}/workflows/{candidate.pk}/map/future/import/"
    upload = SimpleUploadedFile(
        exports["one"].name, exports["one"].read_bytes(), content_type="application/json"
    )
    page = client.post(url, {"format": "n8n", "file": upload}, follow=True).content.decode()
    future = WorkflowMap.objects.get(workflow=candidate, kind="future")
    assert list(future.steps.order_by("position").values_list("name", flat=True)) == [
        "Find contact",
        "Draft reply",
        "Asks about pricing?",
        "Alert SDR",
        "Send reply",
    ]
    assert future.trigger == "Demo request (webhook)"
    assert "Imported 5 steps, the trigger &#x27;Demo request (webhook)&#x27;" in page
    assert (
        "Dropped: disabled node &#x27;Enrich company&#x27; (n8n passes its input straight on)."
        in page
    )

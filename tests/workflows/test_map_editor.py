"""The candidate list and the map editor: steps, verdict, break step, copy, exchange."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from core.models import Membership
from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, Step, WorkflowMap

pytestmark = pytest.mark.django_db

N8N_EXPORT = Path(__file__).resolve().parents[1] / "domain" / "fixtures" / "n8n_inbound_lead.json"


@pytest.fixture
def member(client):
    membership = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(membership.user)
    return membership


@pytest.fixture
def workflow(member):
    return CandidateWorkflow.objects.create(
        organization=member.organization,
        name="Inbound lead follow-up",
        hours_per_week=20,
        people_involved=3,
        ai_can_automate_step=True,
        degrees_from_revenue=1,
    )


def base(workflow, kind="current"):
    return f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/map/{kind}/"


def add_step(client, workflow, kind="current", htmx=False, **fields):
    data = {
        "add-name": "Step",
        "add-actor": "human",
        "add-tool": "HubSpot",
        "add-team": "Marketing",
        "add-process_minutes": "5",
        "add-wait_minutes": "0",
        "add-failure_route": "queue",
    }
    data.update({f"add-{k}": v for k, v in fields.items()})
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(base(workflow, kind) + "steps/add/", data, **extra)


def test_candidates_are_ranked_with_reasons_and_one_is_marked_first(client, member, workflow):
    CandidateWorkflow.objects.create(
        organization=member.organization,
        name="Weekly report",
        hours_per_week=4,
        people_involved=1,
        ai_can_automate_step=True,
        degrees_from_revenue=3,
    )
    page = client.get(f"/orgs/{member.organization.slug}/workflows/").content.decode()
    assert page.index("Inbound lead follow-up") < page.index("Weekly report")
    assert "$88,400 a year" in page
    assert "below 5" in page
    client.post(
        f"/orgs/{member.organization.slug}/workflows/{workflow.pk}/choose/", {"position": "1"}
    )
    workflow.refresh_from_db()
    assert workflow.portfolio_position == 1


def test_opening_a_map_writes_nothing(client, workflow):
    assert client.get(base(workflow)).status_code == 200
    assert not WorkflowMap.objects.exists()


def test_an_unknown_map_kind_is_404(client, workflow):
    assert client.get(base(workflow, "someday")).status_code == 404


def test_adding_a_step_with_htmx_returns_the_map_body(client, workflow):
    reply = add_step(client, workflow, htmx=True, name="Look up the lead")
    body = reply.content.decode()
    assert body.lstrip().startswith('<div id="map-body"')
    assert "Look up the lead" in body and "<html" not in body
    assert Step.objects.get().position == 1


def test_a_step_without_a_name_keeps_what_was_typed(client, workflow):
    reply = add_step(client, workflow, name="", tool="Typed tool")
    assert reply.status_code == 422
    assert "This field is required" in reply.content.decode()
    assert 'value="Typed tool"' in reply.content.decode()
    assert not Step.objects.exists()


def test_steps_move_and_removal_closes_the_gap(client, workflow):
    for name in ["A", "B", "C"]:
        add_step(client, workflow, name=name)
    c = Step.objects.get(name="C")
    client.post(base(workflow) + f"steps/{c.pk}/move/", {"direction": "up"})
    assert list(Step.objects.values_list("name", flat=True)) == ["A", "C", "B"]
    remove = base(workflow) + f"steps/{Step.objects.get(name='A').pk}/delete/"
    asked = client.post(remove)
    assert "Remove step 1?" in asked.content.decode()  # asked first, nothing removed yet
    assert Step.objects.count() == 3
    client.post(remove, {"confirmed": "1"})
    assert list(Step.objects.values_list("name", "position")) == [("C", 1), ("B", 2)]


def test_removing_a_step_by_htmx_carries_the_browser_confirmation(client, workflow):
    add_step(client, workflow, name="A")
    page = client.get(base(workflow)).content.decode()
    assert 'hx-confirm="Remove step 1 “A”?' in page
    assert 'hx-vals=\'{"confirmed": "1"}\'' in page


def test_editing_a_step_saves_its_contract(client, workflow):
    add_step(client, workflow, name="Enrich")
    step = Step.objects.get()
    data = {
        "edit-name": "Enrich the lead",
        "edit-actor": "ai",
        "edit-tool": "Clay",
        "edit-team": "RevOps",
        "edit-inputs": "email, company",
        "edit-outputs": "email, company, employees",
        "edit-process_minutes": "0.05",
        "edit-wait_minutes": "0",
        "edit-failure_route": "retry",
    }
    client.post(base(workflow) + f"steps/{step.pk}/", data)
    step.refresh_from_db()
    assert (step.name, step.actor, step.inputs, step.outputs) == (
        "Enrich the lead",
        "ai",
        ["email", "company"],
        ["email", "company", "employees"],
    )


def orchestrated_future(client, workflow, logged):
    client.post(
        base(workflow, "future") + "settings/",
        {
            "trigger": "HubSpot form submitted",
            "outcome_owner": "Head of demand gen",
            "kpi": "Meetings booked per week",
            "runs_per_week": "120",
            **({"outcome_logged": "on"} if logged else {}),
        },
    )
    add_step(
        client,
        workflow,
        "future",
        name="Enrich",
        actor="ai",
        tool="Clay",
        outputs="email, company",
        inputs="email",
        failure_route="retry",
    )
    add_step(
        client,
        workflow,
        "future",
        name="Draft SMS",
        actor="ai",
        tool="OpenAI",
        inputs="email, company",
        outputs="sms",
        failure_route="queue",
    )


def test_the_verdict_turns_to_orchestration_when_the_last_component_is_filled(client, workflow):
    orchestrated_future(client, workflow, logged=False)
    page = client.get(base(workflow, "future")).content.decode()
    assert '<h2 id="verdict">Automation</h2>' in page
    client.post(
        base(workflow, "future") + "settings/",
        {
            "trigger": "HubSpot form submitted",
            "outcome_owner": "Head of demand gen",
            "kpi": "Meetings booked per week",
            "runs_per_week": "120",
            "outcome_logged": "on",
        },
    )
    assert (
        '<h2 id="verdict">Orchestration</h2>'
        in client.get(base(workflow, "future")).content.decode()
    )


def test_the_future_state_starts_as_a_copy_of_the_current(client, workflow):
    add_step(client, workflow, name="Look up the lead", manual_transfer="on", wait_minutes="47")
    add_step(client, workflow, name="Send SMS")
    client.post(base(workflow, "future") + "copy-current/")
    future = WorkflowMap.objects.get(kind="future")
    assert list(future.steps.values_list("name", "position")) == [
        ("Look up the lead", 1),
        ("Send SMS", 2),
    ]
    assert Step.objects.filter(map__kind="current").count() == 2


def test_the_team_confirms_a_break_step(client, workflow):
    add_step(
        client, workflow, name="Look up", manual_transfer="on", wait_minutes="47", team="Sales"
    )
    add_step(client, workflow, name="Send", team="Marketing")
    page = client.get(base(workflow)).content.decode()
    assert "Suggested break step" in page
    send = Step.objects.get(name="Send")
    client.post(base(workflow) + "break-step/", {"step": str(send.pk)})
    assert WorkflowMap.objects.get().confirmed_break_step == send


def test_json_export_imports_back(client, workflow):
    add_step(client, workflow, name="Look up the 🦷 lead", inputs="email", outputs="email, phone")
    exported = client.get(base(workflow) + "export.json")
    assert exported["Content-Disposition"].startswith("attachment;")
    upload = SimpleUploadedFile("map.json", exported.content, content_type="application/json")
    client.post(base(workflow, "future") + "import/", {"format": "json", "file": upload})
    future = WorkflowMap.objects.get(kind="future").steps.get()
    assert (future.name, future.outputs) == ("Look up the 🦷 lead", ["email", "phone"])


def test_mermaid_export(client, workflow):
    add_step(client, workflow, name="Look up")
    reply = client.get(base(workflow) + "export.mmd")
    assert reply["Content-Type"].startswith("text/plain")
    assert reply.content.decode().startswith("flowchart LR")


def test_an_n8n_export_imports_into_the_future_state(client, workflow):
    upload = SimpleUploadedFile(
        "n8n.json", N8N_EXPORT.read_bytes(), content_type="application/json"
    )
    reply = client.post(
        base(workflow, "future") + "import/", {"format": "n8n", "file": upload}, follow=True
    )
    future = WorkflowMap.objects.get(kind="future")
    assert future.trigger
    assert future.steps.filter(actor="ai").exists()
    assert "Imported" in reply.content.decode()


def test_an_n8n_export_is_refused_for_the_current_state(client, workflow):
    upload = SimpleUploadedFile(
        "n8n.json", N8N_EXPORT.read_bytes(), content_type="application/json"
    )
    reply = client.post(base(workflow) + "import/", {"format": "n8n", "file": upload})
    assert reply.status_code == 422
    assert "import it into the future state" in reply.content.decode()


@pytest.mark.parametrize(
    "content",
    [b"not json", b"\xff\xfe\x00", json.dumps({"zaps": []}).encode(), json.dumps([1, 2]).encode()],
)
def test_foreign_or_broken_files_get_a_clear_error_and_nothing_changes(client, workflow, content):
    add_step(client, workflow, "future", name="Keep me")
    for fmt in ("json", "n8n"):
        upload = SimpleUploadedFile("x.json", content, content_type="application/json")
        reply = client.post(base(workflow, "future") + "import/", {"format": fmt, "file": upload})
        assert reply.status_code == 422
        assert 'class="field-error"' in reply.content.decode()
    assert list(Step.objects.values_list("name", flat=True)) == ["Keep me"]


def test_the_map_page_query_count_does_not_grow_with_steps(client, workflow):
    add_step(client, workflow, name="One")
    with CaptureQueriesContext(connection) as few:
        client.get(base(workflow))
    for i in range(8):
        add_step(client, workflow, name=f"Step {i}", team="Sales" if i % 2 else "Marketing")
    with CaptureQueriesContext(connection) as many:
        client.get(base(workflow))
    assert 0 < len(few) == len(many)


def test_mapped_hours_feed_the_filter(client, workflow):
    client.post(base(workflow) + "settings/", {"runs_per_week": "60"})
    add_step(client, workflow, name="Look up", process_minutes="6")
    client.post(base(workflow) + "use-hours/")
    workflow.refresh_from_db()
    assert workflow.hours_per_week == 6  # 6 human minutes x 60 runs / 60


# --- imports: nothing lost, nothing blanked, everything reported -------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "domain" / "fixtures"
SETTINGS = {
    "trigger": "HubSpot form submitted",
    "outcome_owner": "Head of demand gen",
    "kpi": "Meetings booked per week",
    "runs_per_week": "120",
    "outcome_logged": "on",
    "notes": "Agreed with Sales on 3 March.",
    "time_saved_per_run_minutes": "4",
}


def upload(client, workflow, content, fmt, kind="future", follow=True, replace=True):
    file = SimpleUploadedFile("import.json", content, content_type="application/json")
    data = {"format": fmt, "file": file, **({"replace": "on"} if replace else {})}
    return client.post(base(workflow, kind) + "import/", data, follow=follow)


def a_future_map(client, workflow):
    client.post(base(workflow, "future") + "settings/", SETTINGS)
    add_step(client, workflow, "future", name="Keep me", share_of_runs="40")
    return WorkflowMap.objects.get(kind="future")


def map_state(workflow_map):
    """Every editable value of the map and of its steps."""
    workflow_map.refresh_from_db()
    return model_to_dict(workflow_map), [model_to_dict(s) for s in workflow_map.steps.all()]


def test_an_n8n_export_keeps_the_maps_owner_kpi_logging_and_runs(client, workflow):
    # On main the import blanked all four: the n8n file carries none of them.
    future = a_future_map(client, workflow)
    upload(client, workflow, N8N_EXPORT.read_bytes(), "n8n")
    future.refresh_from_db()
    assert (future.outcome_owner, future.kpi, future.outcome_logged, future.runs_per_week) == (
        "Head of demand gen",
        "Meetings booked per week",
        True,
        120,
    )
    assert future.trigger == "New demo request (webhook)"  # the file carries its trigger
    assert future.time_saved_per_run_minutes == 4  # the file has no time saved
    assert future.notes.startswith("## Inbound lead")  # its sticky note replaces the notes
    page = client.get(base(workflow, "future")).content.decode()
    assert 'value="Head of demand gen"' in page


def test_a_json_import_never_blanks_what_its_file_does_not_carry(client, workflow):
    future = a_future_map(client, workflow)
    data = {
        "format": "ai-maturity-workflow-map",
        "version": 1,
        "name": "Bare",
        "trigger": "Chat started",
        "steps": [{"name": "Reply", "actor": "ai"}],
    }
    upload(client, workflow, json.dumps(data).encode(), "json")
    future.refresh_from_db()
    assert (future.outcome_owner, future.kpi, future.outcome_logged, future.runs_per_week) == (
        "Head of demand gen",
        "Meetings booked per week",
        True,
        120,
    )
    assert (future.notes, future.time_saved_per_run_minutes) == (
        "Agreed with Sales on 3 March.",
        4,
    )
    assert future.trigger == "Chat started"
    assert list(future.steps.values_list("name", flat=True)) == ["Reply"]


@pytest.mark.parametrize(
    ("fmt", "content", "problem"),
    [
        (
            "n8n",
            json.dumps(
                {
                    "nodes": [
                        {"name": "Form", "type": "n8n-nodes-base.webhook", "parameters": {}},
                        {"name": "Send", "type": "n8n-nodes-base.gmail", "parameters": {}},
                    ],
                    "connections": {
                        "Form": {"main": [[{"node": "Enrich", "type": "main", "index": 0}]]}
                    },
                }
            ).encode(),
            "&#x27;Form&#x27; connects to &#x27;Enrich&#x27;, but the workflow has no node "
            "of that name.",
        ),
        (
            "json",
            json.dumps(
                {
                    "format": "ai-maturity-workflow-map",
                    "version": 1,
                    "name": "Precise",
                    "kpi": "",
                    "steps": [
                        {"name": "A", "actor": "ai", "process_minutes": "1"},
                        {"name": "B", "actor": "ai", "process_minutes": "0.0667"},
                    ],
                }
            ).encode(),
            "step 2: process minutes 0.0667 has more than 2 decimal places",
        ),
    ],
)
def test_a_refused_import_names_its_problem_and_changes_nothing(
    client, workflow, fmt, content, problem
):
    # On main the n8n file imported "0 steps" and wiped the map; the JSON one was rounded
    # to 0.07 minutes and saved.
    future = a_future_map(client, workflow)
    before = map_state(future)
    reply = upload(client, workflow, content, fmt, follow=False)
    assert reply.status_code == 422
    assert problem in reply.content.decode()
    assert map_state(future) == before
    assert before[0]["outcome_owner"] == "Head of demand gen" and before[1]


def test_the_page_lists_what_was_imported_approximated_and_dropped(client, workflow):
    page = upload(
        client, workflow, (FIXTURES / "n8n_1x_lead_routing.json").read_bytes(), "n8n"
    ).content.decode()
    assert (
        "Imported 6 steps, the trigger &#x27;New lead (webhook)&#x27;, the failure routes of "
        "5 of 6 steps, 2 sticky notes as the map&#x27;s notes and the time saved per run "
        "(12 min)." in page
    )
    assert (
        "Approximated: IF &#x27;Hot lead?&#x27; branches to 2 paths; flattened in order: "
        "SDR escalation, Create deal." in page
    )
    assert (
        "Dropped: disabled node &#x27;Legacy lead score&#x27; (n8n passes its input straight "
        "on)." in page
    )


def test_an_imported_error_output_is_a_failure_route_not_a_step(client, workflow):
    # On main "Notify RevOps" (reached only through Create deal's error output) was a step.
    upload(client, workflow, (FIXTURES / "n8n_2x_lead_routing.json").read_bytes(), "n8n")
    future = WorkflowMap.objects.get(kind="future")
    names = list(future.steps.values_list("name", flat=True))
    assert "Notify RevOps" not in names
    deal = future.steps.get(name="Create deal")
    assert (deal.failure_route, deal.failure_target) == ("queue", "Notify RevOps")
    assert (deal.retry_max_tries, deal.retry_wait_seconds) == (3, 1)
    page = client.get(base(workflow, "future")).content.decode()
    assert "Retry ×3, 1 s apart, then queue → Notify RevOps" in page


def test_imported_retries_show_their_tries_and_wait(client, workflow):
    # On main "Find contact" (retryOnFail, maxTries 3, waitBetweenTries 2000) showed "Retry".
    upload(client, workflow, N8N_EXPORT.read_bytes(), "n8n")
    page = client.get(base(workflow, "future")).content.decode()
    assert "<dd>Retry ×3, 2 s apart</dd>" in page


def test_the_error_workflow_routes_the_steps_without_a_route(client, workflow):
    # On main settings.errorWorkflow was ignored: Qualify lead had no failure route.
    upload(client, workflow, (FIXTURES / "n8n_1x_lead_routing.json").read_bytes(), "n8n")
    page = client.get(base(workflow, "future")).content.decode()
    assert "<dd>Dead-letter → error workflow Kp3xErrAlerts01</dd>" in page
    assert "<dd>Retry ×4, 2 s apart, then to error workflow Kp3xErrAlerts01</dd>" in page
    qualify = WorkflowMap.objects.get(kind="future").steps.get(name="Qualify lead")
    assert qualify.failure_target == "error workflow Kp3xErrAlerts01"


def test_sticky_notes_and_time_saved_show_on_the_map_page(client, workflow):
    client.post(base(workflow, "future") + "settings/", {"runs_per_week": "10"})
    upload(client, workflow, (FIXTURES / "n8n_1x_lead_routing.json").read_bytes(), "n8n")
    page = client.get(base(workflow, "future")).content.decode()
    assert "## Lead routing\nEvery demo request is enriched" in page  # in the notes field
    human = page.index("Human time a run")
    saved = page.index("Time saved a run, as estimated")
    assert 0 < saved - human < 200  # shown next to each other
    assert "<dd>12 min</dd>" in page[saved:]


def test_a_step_carries_its_share_of_runs_and_failure_detail(client, workflow):
    add_step(
        client,
        workflow,
        name="SDR escalation",
        process_minutes="20",
        share_of_runs="15",
        failure_route="human",
        failure_target="Dana (SDR lead)",
        retry_max_tries="3",
        retry_wait_seconds="1.5",
    )
    client.post(base(workflow) + "settings/", {"runs_per_week": "60"})
    step = Step.objects.get()
    assert (step.share_of_runs, step.failure_target, step.retry_max_tries) == (
        15,
        "Dana (SDR lead)",
        3,
    )
    page = client.get(base(workflow)).content.decode()
    assert "15% of runs" in page
    assert "Retry ×3, 1.5 s apart, then a named human → Dana (SDR lead)" in page
    assert "<dd>3 min</dd>" in page  # human time a run: 20 min on 15% of runs
    exported = json.loads(client.get(base(workflow) + "export.json").content)
    assert exported["version"] == 2
    assert exported["steps"][0]["share_of_runs"] == "15.0"
    upload(client, workflow, json.dumps(exported).encode(), "json")
    future_step = WorkflowMap.objects.get(kind="future").steps.get()
    assert (future_step.share_of_runs, future_step.retry_wait_seconds) == (15, Decimal("1.5"))


def test_blank_numbers_in_the_step_form_take_their_defaults(client, workflow):
    add_step(client, workflow, name="Blank", process_minutes="", share_of_runs="")
    step = Step.objects.get()
    assert (step.process_minutes, step.share_of_runs, step.retry_max_tries) == (0, 100, 0)


def test_an_import_over_existing_steps_asks_to_replace_them_first(client, workflow):
    future = a_future_map(client, workflow)
    reply = upload(client, workflow, N8N_EXPORT.read_bytes(), "n8n", replace=False)
    assert reply.status_code == 422
    assert "This map has 1 step: tick the box to replace it with the file&#x27;s" in (
        reply.content.decode()
    )
    assert list(future.steps.values_list("name", flat=True)) == ["Keep me"]
    upload(client, workflow, N8N_EXPORT.read_bytes(), "n8n")
    assert "Keep me" not in future.steps.values_list("name", flat=True)

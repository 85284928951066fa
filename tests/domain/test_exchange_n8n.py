"""The n8n import: a workflow export (1.x and 2.x) read as a map, with what was imported,
approximated and dropped. Fixtures are hand-written exports in n8n's own shapes."""

import copy
import itertools
from decimal import Decimal
from pathlib import Path

import pytest

from workflows.maps.exchange import (
    N8N_NO_TRIGGER,
    N8N_NOT_AN_EXPORT,
    MapImportError,
    map_from_json,
    map_from_n8n,
    map_to_json,
    map_to_mermaid,
    parse_json_bytes,
)
from workflows.maps.shapes import Actor, FailureRoute, MapInput

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name):
    return parse_json_bytes((FIXTURES / name).read_bytes())


@pytest.fixture
def inbound_lead_n8n():
    return parse_json_bytes((FIXTURES / "n8n_inbound_lead.json").read_bytes())


def test_an_n8n_export_becomes_a_map_from_its_trigger(inbound_lead_n8n):
    imported = map_from_n8n(inbound_lead_n8n)
    map_ = imported.map
    assert map_.name == "Inbound lead: demo request to first reply"
    assert map_.trigger == "New demo request (webhook)"
    assert [(s.order, s.name, s.actor, s.tool, s.failure_summary) for s in map_.steps] == [
        (1, "Find contact", Actor.RULE, "HubSpot", "retry ×3, 2 s apart"),
        (2, "Draft reply", Actor.AI, "OpenAI", "none"),
        (3, "Asks about pricing?", Actor.RULE, "n8n IF", "none"),
        (4, "Alert SDR", Actor.RULE, "Slack", "none"),
        (5, "Send reply", Actor.RULE, "Gmail", "none"),
    ]
    assert imported.report.approximated == (
        "the error output of 'Send reply' is connected to nothing: n8n drops its failed items "
        "there, so its failure route is none",
        "IF 'Asks about pricing?' branches to 2 paths; flattened in order: Alert SDR, Send reply",
        "every step after a branch counts as taken by 100% of runs; set each one's share of "
        "runs in the editor",
    )
    assert imported.report.dropped == ("1 node not reachable from the trigger: Old enrichment",)
    assert map_.notes.startswith("## Inbound lead\nDemo form -> HubSpot lookup")


def test_n8n_steps_have_no_team_times_or_manual_transfer(inbound_lead_n8n):
    for s in map_from_n8n(inbound_lead_n8n).map.steps:
        assert (s.team, s.owner, s.inputs, s.outputs, s.key) == ("", "", (), (), "")
        assert (s.process_minutes, s.wait_minutes, s.manual_transfer) == (0, 0, False)


def test_the_caller_may_name_the_imported_map(inbound_lead_n8n):
    assert map_from_n8n(inbound_lead_n8n, name="Demo requests").map.name == "Demo requests"


def test_an_imported_map_exports_to_our_json_and_mermaid(inbound_lead_n8n):
    map_ = map_from_n8n(inbound_lead_n8n).map
    assert map_from_json(map_to_json(map_)) == map_
    assert '        s2(["2. Draft reply<br/>OpenAI"])' in map_to_mermaid(map_).splitlines()


def node(name, node_type, x=0, **extra):
    return {
        "id": f"id-{name}",
        "name": name,
        "type": node_type,
        "typeVersion": 1,
        "position": [x, 0],
        "parameters": {},
        **extra,
    }


def link(*targets, kind="main"):
    return {kind: [[{"node": t, "type": kind, "index": 0} for t in targets]]}


def chain(*nodes):
    """A workflow whose nodes are connected one after another on output 0."""
    connections = {a["name"]: link(b["name"]) for a, b in itertools.pairwise(nodes)}
    return {"name": "Chain", "nodes": list(nodes), "connections": connections}


WEBHOOK = node("Form", "n8n-nodes-base.webhook")


@pytest.mark.parametrize(
    ("node_type", "actor", "tool"),
    [
        ("n8n-nodes-base.hubspot", Actor.RULE, "HubSpot"),
        ("n8n-nodes-base.httpRequest", Actor.RULE, "HTTP Request"),
        ("n8n-nodes-base.slack", Actor.RULE, "Slack"),
        ("n8n-nodes-base.gmail", Actor.RULE, "Gmail"),
        ("n8n-nodes-base.if", Actor.RULE, "n8n IF"),
        ("n8n-nodes-base.googleSheets", Actor.RULE, "Google Sheets"),
        ("n8n-nodes-base.microsoftExcel", Actor.RULE, "Microsoft Excel"),
        ("n8n-nodes-base.activeCampaign", Actor.RULE, "Active Campaign"),
        ("n8n-nodes-mycompany.crmSync", Actor.RULE, "Crm Sync"),
        ("@n8n/n8n-nodes-langchain.lmChatOpenAi", Actor.AI, "OpenAI"),
        ("@n8n/n8n-nodes-langchain.openAi", Actor.AI, "OpenAI"),
        ("@n8n/n8n-nodes-langchain.agent", Actor.AI, "n8n AI Agent"),
        ("@n8n/n8n-nodes-langchain.chainLlm", Actor.AI, "n8n LLM Chain"),
        ("@n8n/n8n-nodes-langchain.lmChatAnthropic", Actor.AI, "Anthropic"),
        ("@n8n/n8n-nodes-langchain.lmChatGoogleGemini", Actor.AI, "Google Gemini"),
        ("n8n-nodes-base.mistralAi", Actor.AI, "Mistral Ai"),
        ("@n8n/n8n-nodes-langchain.lmChatOllama", Actor.AI, "Ollama"),
        ("n8n-nodes-base.openAi", Actor.AI, "OpenAI"),
    ],
)
def test_node_types_name_the_tool_and_the_actor(node_type, actor, tool):
    only = map_from_n8n(chain(WEBHOOK, node("Do it", node_type))).map.steps[0]
    assert (only.actor, only.tool) == (actor, tool)


@pytest.mark.parametrize(
    ("extra", "route", "summary"),
    [
        ({"retryOnFail": True, "maxTries": 3}, FailureRoute.RETRY, "retry ×3, 1 s apart"),
        ({"retryOnFail": True}, FailureRoute.RETRY, "retry ×3, 1 s apart"),  # n8n's defaults
        (
            {"retryOnFail": True, "maxTries": 4, "waitBetweenTries": 1500},
            FailureRoute.RETRY,
            "retry ×4, 1.5 s apart",
        ),
        ({"retryOnFail": True, "maxTries": 0}, FailureRoute.RETRY, "retry ×3, 1 s apart"),
        ({"retryOnFail": True, "maxTries": 9}, FailureRoute.RETRY, "retry ×5, 1 s apart"),
        (
            {"retryOnFail": True, "waitBetweenTries": 30_000},
            FailureRoute.RETRY,
            "retry ×3, 5 s apart",
        ),
        ({"retryOnFail": False, "maxTries": 4}, FailureRoute.NONE, "none"),
        ({"onError": "continueErrorOutput"}, FailureRoute.NONE, "none"),  # leads nowhere
        ({"onError": "continueRegularOutput"}, FailureRoute.NONE, "none"),
        ({"onError": "stopWorkflow"}, FailureRoute.NONE, "none"),
        ({}, FailureRoute.NONE, "none"),
    ],
)
def test_node_settings_name_the_failure_route(extra, route, summary):
    only = map_from_n8n(chain(WEBHOOK, node("Call API", "n8n-nodes-base.httpRequest", **extra)))
    step = only.map.steps[0]
    assert (step.failure_route, step.failure_summary) == (route, summary)


@pytest.mark.parametrize(
    ("extra", "note"),
    [
        (
            {"retryOnFail": True, "maxTries": 9},
            "'Call API' retries as n8n runs it, 5 tries 1 s apart (the file says maxTries 9)",
        ),
        (
            {"retryOnFail": True, "maxTries": 1, "waitBetweenTries": 0},
            "'Call API' retries as n8n runs it, 2 tries 1 s apart (the file says maxTries 1 "
            "and waitBetweenTries 0 ms)",
        ),
    ],
)
def test_retries_n8n_would_clamp_are_kept_as_n8n_runs_them_and_noted(extra, note):
    imported = map_from_n8n(chain(WEBHOOK, node("Call API", "n8n-nodes-base.httpRequest", **extra)))
    assert imported.report.approximated == (note,)


@pytest.mark.parametrize(
    ("node_type", "trigger"),
    [
        ("n8n-nodes-base.webhook", "Form (webhook)"),
        ("n8n-nodes-base.manualTrigger", "Form (manualTrigger)"),
        ("n8n-nodes-base.scheduleTrigger", "Form (scheduleTrigger)"),
        ("n8n-nodes-base.hubspotTrigger", "Form (hubspotTrigger)"),
        ("@n8n/n8n-nodes-langchain.chatTrigger", "Form (chatTrigger)"),
        ("n8n-nodes-mycompany.formtrigger", "Form (formtrigger)"),
    ],
)
def test_the_trigger_node_becomes_the_maps_trigger(node_type, trigger):
    imported = map_from_n8n(chain(node("Form", node_type), node("Log", "n8n-nodes-base.noOp")))
    assert imported.map.trigger == trigger
    assert [s.name for s in imported.map.steps] == ["Log"]


def test_branches_are_flattened_breadth_first_in_output_then_connection_order():
    switch = node("Route by intent", "n8n-nodes-base.switch")
    names = ["Book", "Answer", "Escalate", "Log", "Close"]
    data = {
        "nodes": [WEBHOOK, switch, *(node(n, "n8n-nodes-base.noOp") for n in names)],
        "connections": {
            "Form": link("Route by intent"),
            "Route by intent": {
                "main": [
                    [{"node": "Book", "type": "main", "index": 0}],
                    None,
                    [
                        {"node": "Escalate", "type": "main", "index": 0},
                        {"node": "Answer", "type": "main", "index": 0},
                    ],
                ]
            },
            "Book": link("Close"),
            "Escalate": link("Log"),
            "Answer": link("Log"),
        },
    }
    imported = map_from_n8n(data)
    assert [s.name for s in imported.map.steps] == [
        "Route by intent",
        "Book",
        "Escalate",
        "Answer",
        "Close",
        "Log",
    ]
    assert [s.order for s in imported.map.steps] == [1, 2, 3, 4, 5, 6]
    assert imported.report.approximated == (
        "Switch 'Route by intent' branches to 3 paths; flattened in order: Book, Escalate, Answer",
        "every step after a branch counts as taken by 100% of runs; set each one's share of "
        "runs in the editor",
    )
    assert {s.share_of_runs for s in imported.map.steps} == {100}
    assert imported.map.name == "Imported n8n workflow"


def test_a_fan_out_from_an_ordinary_node_is_noted_with_its_tool():
    data = chain(WEBHOOK, node("Find contact", "n8n-nodes-base.hubspot"))
    data["nodes"] += [node("A", "n8n-nodes-base.slack"), node("B", "n8n-nodes-base.gmail")]
    data["connections"]["Find contact"] = link("A", "B")
    assert map_from_n8n(data).report.approximated[0] == (
        "HubSpot 'Find contact' branches to 2 paths; flattened in order: A, B"
    )


def test_a_loop_visits_each_node_once():
    data = chain(WEBHOOK, node("A", "n8n-nodes-base.noOp"), node("B", "n8n-nodes-base.wait"))
    data["connections"]["B"] = link("A")
    assert [s.name for s in map_from_n8n(data).map.steps] == ["A", "B"]


def test_of_several_triggers_the_first_by_x_without_inputs_is_used():
    data = {
        "nodes": [
            node("Nightly", "n8n-nodes-base.scheduleTrigger", x=400),
            node("Chained", "n8n-nodes-base.executeWorkflowTrigger", x=-100),
            node("Form", "n8n-nodes-base.webhook", x=100),
            node("Work", "n8n-nodes-base.noOp", x=600),
            node("Start", "n8n-nodes-base.noOp", x=-300),
        ],
        "connections": {
            "Start": link("Chained"),
            "Form": link("Work"),
            "Nightly": link("Work"),
        },
    }
    imported = map_from_n8n(data)
    assert imported.map.trigger == "Form (webhook)"
    assert imported.report.dropped == (
        "2 other triggers: Nightly, Chained (the map starts from 'Form')",
        "1 node not reachable from the trigger: Start",
    )


def test_an_enabled_trigger_is_chosen_over_a_disabled_one():
    data = {
        "nodes": [
            node("Old form", "n8n-nodes-base.webhook", x=-100, disabled=True),
            node("Form", "n8n-nodes-base.webhook", x=100),
            node("Work", "n8n-nodes-base.noOp", x=300),
        ],
        "connections": {"Old form": link("Work"), "Form": link("Work")},
    }
    assert map_from_n8n(data).map.trigger == "Form (webhook)"


def test_sub_nodes_attached_to_an_agent_are_part_of_its_step():
    agent = node("Qualify lead", "@n8n/n8n-nodes-langchain.agent")
    model = node("Claude", "@n8n/n8n-nodes-langchain.lmChatAnthropic")
    memory = node("Memory", "@n8n/n8n-nodes-langchain.memoryBufferWindow")
    data = chain(WEBHOOK, agent, node("Update deal", "n8n-nodes-base.hubspot"))
    data["nodes"] += [model, memory]
    data["connections"]["Claude"] = link("Qualify lead", kind="ai_languageModel")
    data["connections"]["Memory"] = link("Qualify lead", kind="ai_memory")
    imported = map_from_n8n(data)
    assert [(s.name, s.actor, s.tool) for s in imported.map.steps] == [
        ("Qualify lead", Actor.AI, "Anthropic"),
        ("Update deal", Actor.RULE, "HubSpot"),
    ]
    assert imported.report.approximated == (
        "'Claude' is attached to 'Qualify lead' (ai_languageModel); it is part of that step",
        "'Memory' is attached to 'Qualify lead' (ai_memory); it is part of that step",
    )


def test_disabled_nodes_are_dropped_and_the_chain_goes_on_through_them():
    # n8n runs a disabled node as a pass-through: its input goes on to its first output.
    data = chain(
        WEBHOOK,
        node("Old filter", "n8n-nodes-base.filter", disabled=True),
        node("Send", "n8n-nodes-base.gmail"),
    )
    imported = map_from_n8n(data)
    assert [(s.order, s.name) for s in imported.map.steps] == [(1, "Send")]
    assert imported.report.dropped == (
        "disabled node 'Old filter' (n8n passes its input straight on)",
    )


def test_a_disabled_branch_passes_everything_to_its_first_output():
    data = chain(WEBHOOK, node("Hot?", "n8n-nodes-base.if", disabled=True))
    data["nodes"] += [
        node("Escalate", "n8n-nodes-base.slack"),
        node("Nurture", "n8n-nodes-base.hubspot"),
    ]
    data["connections"]["Hot?"] = {
        "main": [
            [{"node": "Escalate", "type": "main", "index": 0}],
            [{"node": "Nurture", "type": "main", "index": 0}],
        ]
    }
    imported = map_from_n8n(data)
    assert [s.name for s in imported.map.steps] == ["Escalate"]
    assert imported.report.dropped == (
        "disabled node 'Hot?' (n8n passes its input straight on)",
        "1 node not reachable from the trigger: Nurture",
    )


def test_a_trigger_with_nothing_after_it_gives_an_empty_map():
    imported = map_from_n8n({"nodes": [WEBHOOK], "connections": {}})
    assert imported.map.steps == ()
    assert imported.report.approximated == (
        "the trigger 'Form (webhook)' leads to no steps; the map has none",
    )


def sticky(name, content):
    return node(name, "n8n-nodes-base.stickyNote", parameters={"content": content})


def test_sticky_notes_become_the_maps_notes():
    data = chain(WEBHOOK, node("A", "n8n-nodes-base.noOp"))
    data["nodes"] += [
        sticky("Sticky Note", "## Why\nLeads wait too long."),
        sticky("Sticky Note1", "   "),
        sticky("Sticky Note2", "Owner: Dana"),
    ]
    imported = map_from_n8n(data)
    assert imported.map.notes == "## Why\nLeads wait too long.\n\nOwner: Dana"
    assert "notes" in imported.carries
    assert "2 sticky notes as the map's notes" in imported.report.imported
    assert [s.name for s in imported.map.steps] == ["A"]


def test_without_sticky_notes_the_import_does_not_carry_notes():
    imported = map_from_n8n(chain(WEBHOOK, node("A", "n8n-nodes-base.noOp")))
    assert imported.carries == {"trigger"}


@pytest.mark.parametrize(
    ("connections", "problems"),
    [
        (
            {"Form": link("A"), "A": link("Deleted node")},
            ["'A' connects to 'Deleted node', but the workflow has no node of that name."],
        ),
        (
            {"Form": link("A"), "Ghost": link("A")},
            [
                "The connections name 'Ghost' as a source, but the workflow has no node of "
                "that name."
            ],
        ),
        (
            {"Form": link("Nowhere"), "A": link("Gone", kind="ai_tool")},
            [
                "'Form' connects to 'Nowhere', but the workflow has no node of that name.",
                "'A' connects to 'Gone', but the workflow has no node of that name.",
            ],
        ),
    ],
)
def test_connections_naming_a_missing_node_are_refused_and_name_it(connections, problems):
    # On main this was accepted as "Imported 0 steps" (or fewer steps), silently.
    data = {"nodes": [WEBHOOK, node("A", "n8n-nodes-base.noOp")], "connections": connections}
    with pytest.raises(MapImportError) as caught:
        map_from_n8n(data)
    assert caught.value.problems == problems


def too_many_nodes():
    return {
        "nodes": [WEBHOOK] + [node(f"N{i}", "n8n-nodes-base.noOp") for i in range(200)],
        "connections": {},
    }


def with_nodes(*nodes):
    return {"nodes": list(nodes), "connections": {}}


ZAPIER_EXPORT = {
    "metadata": {"version": 2},
    "zaps": [{"id": 2841, "title": "Demo form to HubSpot", "steps": [{"app": "Typeform"}]}],
}
MAKE_EXPORT = {"name": "Integration HubSpot", "flow": [{"id": 1, "module": "hubspotcrm:watch"}]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "An n8n workflow export is a JSON object; this is a list."),
        (ZAPIER_EXPORT, f"{N8N_NOT_AN_EXPORT} It looks like a Zapier export."),
        (MAKE_EXPORT, f"{N8N_NOT_AN_EXPORT} It looks like a Make scenario blueprint."),
        (
            map_to_json(MapInput(name="Ours")),
            f"{N8N_NOT_AN_EXPORT} It looks like a workflow map exported from here.",
        ),
        ({}, f"{N8N_NOT_AN_EXPORT} It looks like an empty JSON object."),
        ({"nodes": {}, "connections": {}}, 'The workflow has no "nodes" list.'),
        ({"connections": {}}, 'The workflow has no "nodes" list.'),
        ({"nodes": [], "connections": []}, 'The workflow\'s "connections" must be an object.'),
        ({"nodes": []}, 'The workflow\'s "connections" must be an object.'),
        (with_nodes({"type": "n8n-nodes-base.noOp"}), "node 1: has no name"),
        (with_nodes(WEBHOOK, {"name": "X"}), "node 2 ('X'): has no type"),
        (with_nodes(WEBHOOK, "X"), "node 2: must be an object, got text"),
        (
            with_nodes(WEBHOOK, node("Form", "n8n-nodes-base.noOp")),
            "Two nodes are named 'Form'; node names must be unique.",
        ),
        (too_many_nodes(), "The workflow has 201 nodes; the limit is 200."),
        ({"nodes": [], "connections": {}}, N8N_NO_TRIGGER),
        (with_nodes(node("A", "n8n-nodes-base.noOp")), N8N_NO_TRIGGER),
        (
            {"nodes": [WEBHOOK], "connections": {"Form": {"main": [["A"]]}}},
            "The connections of 'Form' are malformed.",
        ),
        (
            {"nodes": [WEBHOOK], "connections": {"Form": "A"}},
            "The connections of 'Form' are malformed.",
        ),
    ],
)
def test_unreadable_n8n_exports_are_refused_with_a_clear_message(data, message):
    with pytest.raises(MapImportError) as caught:
        map_from_n8n(data)
    assert str(caught.value) == message


def test_the_no_trigger_message_reads_well():
    assert N8N_NO_TRIGGER == "The workflow has no trigger node; n8n imports start from a trigger."
    assert N8N_NOT_AN_EXPORT == (
        "This is not an n8n workflow export: it has no nodes and connections."
    )


def test_the_n8n_import_does_not_change_its_input(inbound_lead_n8n):
    before = copy.deepcopy(inbound_lead_n8n)
    map_from_n8n(inbound_lead_n8n)
    assert inbound_lead_n8n == before


# --- error outputs, the error workflow, time saved ---------------------------------------------


def with_error_output(*, on_error="continueErrorOutput", **extra):
    """Form -> Send reply; Send reply's output 0 goes on to Log, output 1 (the error output)
    to Notify SDR, which goes on to Open ticket."""
    nodes = [
        WEBHOOK,
        node("Send reply", "n8n-nodes-base.gmail", onError=on_error, **extra),
        node("Log", "n8n-nodes-base.googleSheets"),
        node("Notify SDR", "n8n-nodes-base.slack"),
        node("Open ticket", "n8n-nodes-base.hubspot"),
    ]
    connections = {
        "Form": link("Send reply"),
        "Send reply": {
            "main": [
                [{"node": "Log", "type": "main", "index": 0}],
                [{"node": "Notify SDR", "type": "main", "index": 0}],
            ]
        },
        "Notify SDR": link("Open ticket"),
    }
    return {"name": "Reply", "nodes": nodes, "connections": connections}


def test_an_error_output_is_the_steps_failure_route_not_a_step():
    # On main, Notify SDR and Open ticket became steps 3 and 4 of the happy path.
    imported = map_from_n8n(with_error_output())
    steps = imported.map.steps
    assert [s.name for s in steps] == ["Send reply", "Log"]
    assert (steps[0].failure_route, steps[0].failure_target) == (FailureRoute.QUEUE, "Notify SDR")
    assert steps[0].failure_summary == "queue → Notify SDR"
    assert imported.report.approximated == (
        "the error output of 'Send reply' leads to Notify SDR: kept as the step's failure "
        "route, not as steps",
    )
    assert imported.report.dropped == ("1 node further along error outputs: Open ticket",)


def test_an_error_output_after_retries_keeps_both():
    imported = map_from_n8n(with_error_output(retryOnFail=True, maxTries=3, waitBetweenTries=1000))
    assert imported.map.steps[0].failure_summary == "retry ×3, 1 s apart, then queue → Notify SDR"


def test_a_node_on_both_paths_stays_a_step():
    data = with_error_output()
    data["connections"]["Send reply"]["main"][1].append({"node": "Log", "type": "main", "index": 0})
    steps = map_from_n8n(data).map.steps
    assert [s.name for s in steps] == ["Send reply", "Log"]
    assert steps[0].failure_target == "Notify SDR, Log"


def test_the_error_output_of_an_if_node_is_its_third_output():
    data = chain(WEBHOOK, node("Hot?", "n8n-nodes-base.if", onError="continueErrorOutput"))
    data["nodes"] += [node(n, "n8n-nodes-base.noOp") for n in ("Yes", "No", "Oops")]
    data["connections"]["Hot?"] = {
        "main": [[{"node": n, "type": "main", "index": 0}] for n in ("Yes", "No", "Oops")]
    }
    steps = map_from_n8n(data).map.steps
    assert [s.name for s in steps] == ["Hot?", "Yes", "No"]
    assert steps[0].failure_target == "Oops"


def test_the_error_output_of_a_switch_follows_its_rules():
    rules = {"values": [{"outputKey": "a"}, {"outputKey": "b"}]}
    switch = node(
        "Route", "n8n-nodes-base.switch", onError="continueErrorOutput", parameters={"rules": rules}
    )
    data = chain(WEBHOOK, switch)
    data["nodes"] += [node(n, "n8n-nodes-base.noOp") for n in ("A", "B", "Oops")]
    data["connections"]["Route"] = {
        "main": [[{"node": n, "type": "main", "index": 0}] for n in ("A", "B", "Oops")]
    }
    steps = map_from_n8n(data).map.steps
    assert [s.name for s in steps] == ["Route", "A", "B"]
    assert steps[0].failure_target == "Oops"


def with_settings(**settings):
    data = chain(
        WEBHOOK,
        node("Enrich", "n8n-nodes-base.httpRequest", retryOnFail=True),
        node("Draft", "@n8n/n8n-nodes-langchain.openAi"),
        node("Send", "n8n-nodes-base.gmail", onError="continueRegularOutput"),
    )
    data["settings"] = {"executionOrder": "v1", **settings}
    return data


def test_the_error_workflow_routes_every_step_whose_failure_stops_the_run():
    # On main the error workflow was ignored and these steps had no failure route.
    imported = map_from_n8n(with_settings(errorWorkflow="Kp3xErrAlerts01"))
    assert [s.failure_summary for s in imported.map.steps] == [
        "retry ×3, 1 s apart, then to error workflow Kp3xErrAlerts01",
        "dead-letter → error workflow Kp3xErrAlerts01",
        "none",  # continues on error: the run does not fail, the error workflow never runs
    ]
    assert imported.report.approximated == (
        "'Send' continues on error: n8n passes its failed items on as ordinary output, and "
        "the error workflow never sees them",
    )


@pytest.mark.parametrize("value", ["", "DEFAULT", None])
def test_no_error_workflow_routes_nothing(value):
    imported = map_from_n8n(with_settings(errorWorkflow=value))
    assert [s.failure_summary for s in imported.map.steps][1] == "none"


@pytest.mark.parametrize(
    ("settings", "saved", "line"),
    [
        ({"timeSavedPerExecution": 12}, Decimal(12), None),
        ({"timeSavedPerExecution": Decimal("7.5")}, Decimal("7.5"), None),
        (
            {"timeSavedPerExecution": Decimal("2.333")},
            Decimal("2.33"),
            ("approximated", "the time saved per run, 2.333 min, kept as 2.33"),
        ),
        (
            {"timeSavedPerExecution": "twelve"},
            None,
            (
                "dropped",
                'settings.timeSavedPerExecution "twelve": not a number of minutes from 0 to '
                "1000000",
            ),
        ),
        (
            {"timeSavedPerExecution": 12, "timeSavedMode": "dynamic"},
            None,
            (
                "dropped",
                "the time saved per run: the workflow counts it with Time Saved nodes "
                "(timeSavedMode dynamic), so timeSavedPerExecution is unused",
            ),
        ),
        ({}, None, None),
    ],
)
def test_time_saved_per_execution_is_the_maps_time_saved_in_minutes(settings, saved, line):
    imported = map_from_n8n(with_settings(**settings))
    assert imported.map.time_saved_minutes == saved
    assert ("time_saved_minutes" in imported.carries) is (saved is not None)
    if line:
        kind, text = line
        assert text in getattr(imported.report, kind)


# --- realistic exports, 1.x and 2.x -------------------------------------------------------------

LEAD_ROUTING = [
    (
        "Enrich company",
        Actor.RULE,
        "HTTP Request",
        "retry ×4, 2 s apart, then to error workflow Kp3xErrAlerts01",
    ),
    ("Qualify lead", Actor.AI, "OpenAI", "dead-letter → error workflow Kp3xErrAlerts01"),
    ("Hot lead?", Actor.RULE, "n8n IF", "dead-letter → error workflow Kp3xErrAlerts01"),
    ("SDR escalation", Actor.RULE, "Slack", "dead-letter → error workflow Kp3xErrAlerts01"),
    ("Create deal", Actor.RULE, "HubSpot", "retry ×3, 1 s apart, then queue → Notify RevOps"),
    ("Send welcome email", Actor.RULE, "Gmail", "none"),
]


@pytest.mark.parametrize("name", ["n8n_1x_lead_routing.json", "n8n_2x_lead_routing.json"])
def test_a_lead_routing_export_reads_the_same_in_1x_and_2x(name):
    imported = map_from_n8n(fixture(name))
    map_ = imported.map
    assert map_.name == "Lead routing: enrich, qualify, route"
    assert map_.trigger == "New lead (webhook)"
    assert [(s.name, s.actor, s.tool, s.failure_summary) for s in map_.steps] == LEAD_ROUTING
    assert map_.time_saved_minutes == 12
    assert map_.notes.startswith("## Lead routing\nEvery demo request is enriched")
    assert map_.notes.endswith("failed deals go to #revops-alerts.")
    assert imported.carries == {"trigger", "notes", "time_saved_minutes"}
    report = imported.report
    assert report.summary == (
        "Imported 6 steps, the trigger 'New lead (webhook)', the failure routes of 5 of 6 "
        "steps, 2 sticky notes as the map's notes and the time saved per run (12 min)."
    )
    assert report.approximated == (
        "'Send welcome email' continues on error: n8n passes its failed items on as ordinary "
        "output, and the error workflow never sees them",
        "IF 'Hot lead?' branches to 2 paths; flattened in order: SDR escalation, Create deal",
        "every step after a branch counts as taken by 100% of runs; set each one's share of "
        "runs in the editor",
        "the error output of 'Create deal' leads to Notify RevOps: kept as the step's failure "
        "route, not as steps",
        "'OpenAI Chat Model' is attached to 'Qualify lead' (ai_languageModel); it is part of "
        "that step",
        "'Lead memory' is attached to 'Qualify lead' (ai_memory); it is part of that step",
    )
    assert report.dropped == (
        "disabled node 'Legacy lead score' (n8n passes its input straight on)",
    )


def test_the_2x_export_carries_2x_only_fields_and_they_change_nothing():
    one, two = fixture("n8n_1x_lead_routing.json"), fixture("n8n_2x_lead_routing.json")
    assert "activeVersionId" in two and "activeVersionId" not in one
    assert two["pinData"] and all("id" in n for n in two["nodes"])
    assert map_from_n8n(one) == map_from_n8n(two)


def test_the_lead_routing_map_survives_our_json_and_draws_its_error_routes():
    map_ = map_from_n8n(fixture("n8n_2x_lead_routing.json")).map
    assert map_from_json(map_to_json(map_)) == map_
    lines = map_to_mermaid(map_).splitlines()
    assert '    e5>"Notify RevOps"]' in lines
    assert "    s5 -.->|on error| e5" in lines
    assert "    s1 -.->|retry ×4, 2 s apart| s1" in lines

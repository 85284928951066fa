"""Exchange formats: our JSON export and import, the Mermaid flowchart, the n8n import."""

import copy
import itertools
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.exchange import (
    N8N_NO_TRIGGER,
    N8N_NOT_AN_EXPORT,
    MapImportError,
    map_from_json,
    map_from_n8n,
    map_to_json,
    map_to_mermaid,
    parse_json_bytes,
)
from workflows.mapping import Actor, FailureRoute, MapInput, StepInput

FIXTURES = Path(__file__).parent / "fixtures"


def step(order, name, actor=Actor.HUMAN, **fields):
    return StepInput(order=order, name=name, actor=actor, **fields)


def inbound_lead_map():
    return MapInput(
        name="Inbound lead",
        trigger="Demo form submitted",
        outcome_owner="Dana (RevOps)",
        outcome_logged=True,
        kpi="Bookings per week",
        runs_per_week=Decimal("42.5"),
        steps=(
            step(
                1,
                "Look up lead",
                Actor.HUMAN,
                tool="HubSpot",
                owner="SDR",
                team="Sales",
                inputs=("email",),
                outputs=("contact_id", "company"),
                manual_transfer=True,
                process_minutes=Decimal("4"),
                wait_minutes=Decimal("47"),
                failure_route=FailureRoute.HUMAN,
                done_criteria="Contact found or created",
            ),
            step(
                2,
                "Draft SMS",
                Actor.AI,
                tool="OpenAI",
                team="Marketing",
                inputs=("contact_id", "company"),
                outputs=("sms_text",),
                process_minutes=Decimal("0.07"),
                failure_route=FailureRoute.RETRY,
            ),
            step(
                3,
                "Send SMS",
                Actor.RULE,
                tool="Twilio",
                team="Sales",
                wait_minutes=Decimal("2.5"),
                failure_route=FailureRoute.DEAD_LETTER,
            ),
            step(4, "Log outcome", Actor.RULE),
        ),
    )


def exported(**changes):
    """A valid export of the inbound-lead map with top-level ``changes`` applied."""
    data = map_to_json(inbound_lead_map())
    data.update(changes)
    return data


def exported_with_step(position, **changes):
    data = map_to_json(inbound_lead_map())
    data["steps"][position - 1].update(changes)
    return data


def problems_of(data):
    with pytest.raises(MapImportError) as caught:
        map_from_json(data)
    return caught.value.problems


# --- JSON export ---------------------------------------------------------------------------------


def test_the_export_is_versioned_and_carries_decimals_as_strings():
    data = map_to_json(inbound_lead_map())
    assert data["format"] == "ai-maturity-workflow-map"
    assert data["version"] == 1
    assert data["runs_per_week"] == "42.5"
    assert data["steps"][0] == {
        "order": 1,
        "name": "Look up lead",
        "actor": "human",
        "tool": "HubSpot",
        "owner": "SDR",
        "team": "Sales",
        "inputs": ["email"],
        "outputs": ["contact_id", "company"],
        "manual_transfer": True,
        "process_minutes": "4",
        "wait_minutes": "47",
        "failure_route": "human",
        "done_criteria": "Contact found or created",
    }
    assert data["steps"][1]["process_minutes"] == "0.07"
    assert data["steps"][2]["failure_route"] == "dead_letter"


def test_the_export_leaves_the_key_behind():
    map_ = MapInput(name="M", steps=(step(1, "A", key="step-17"),))
    assert "key" not in map_to_json(map_)["steps"][0]


def test_the_export_is_plain_json():
    text = json.dumps(map_to_json(inbound_lead_map()))
    assert json.loads(text) == map_to_json(inbound_lead_map())


# --- JSON round trip -----------------------------------------------------------------------------


def test_a_map_survives_the_round_trip():
    map_ = inbound_lead_map()
    assert map_from_json(map_to_json(map_)) == map_


def test_a_map_survives_the_round_trip_through_bytes():
    map_ = inbound_lead_map()
    raw = json.dumps(map_to_json(map_), ensure_ascii=False).encode()
    assert map_from_json(parse_json_bytes(raw)) == map_


def test_unicode_and_emoji_names_survive_the_round_trip():
    map_ = MapInput(
        name="Relance clients 🚀",
        trigger="Formulaire « démo » reçu",
        steps=(
            step(1, "Qualifier le lead ✅", team="Ventes", inputs=("e-mail", "société")),
            step(2, "返信を下書き 🤖", Actor.AI, tool="Claude"),
        ),
    )
    raw = json.dumps(map_to_json(map_), ensure_ascii=False).encode("utf-8")
    assert map_from_json(parse_json_bytes(raw)) == map_


def test_decimals_keep_their_exact_value():
    map_ = MapInput(
        name="M",
        runs_per_week=Decimal("0.1"),
        steps=(step(1, "A", process_minutes=Decimal("2.50"), wait_minutes=Decimal("1e2")),),
    )
    back = map_from_json(map_to_json(map_))
    assert back == map_
    assert back.runs_per_week == Decimal("0.1")
    assert back.steps[0].wait_minutes == 100


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [(2, Decimal(2)), (2.5, Decimal("2.5")), ("2.5", Decimal("2.5")), (" 3 ", Decimal(3))],
)
def test_minutes_may_be_numbers_or_decimal_strings(given_value, expected):
    back = map_from_json(exported_with_step(1, process_minutes=given_value))
    assert back.steps[0].process_minutes == expected


def test_optional_fields_may_be_left_out():
    data = {
        "format": "ai-maturity-workflow-map",
        "version": 1,
        "name": "Minimal",
        "steps": [{"name": "Only step", "actor": "ai"}],
    }
    assert map_from_json(data) == MapInput(name="Minimal", steps=(step(1, "Only step", Actor.AI),))


def test_steps_without_orders_are_numbered_by_position():
    data = exported()
    for raw in data["steps"]:
        del raw["order"]
    assert [s.order for s in map_from_json(data).steps] == [1, 2, 3, 4]


def test_steps_are_sorted_by_their_orders():
    data = exported()
    data["steps"].reverse()
    back = map_from_json(data)
    assert [s.name for s in back.steps] == [
        "Look up lead",
        "Draft SMS",
        "Send SMS",
        "Log outcome",
    ]
    assert back == inbound_lead_map()


# --- JSON import problems ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (exported(format="zapier"), "format must be 'ai-maturity-workflow-map'"),
        ({"version": 1, "name": "M", "steps": []}, "format must be 'ai-maturity-workflow-map'"),
        (exported(version=2), "version must be 1, got 2"),
        (exported(version="1"), 'version must be 1, got "1"'),
        (exported(name=""), "name is missing"),
        (exported(name="   "), "name is missing"),
        (exported(name=7), "name must be text, got a number"),
        (exported(name="x" * 301), "name is longer than 300 characters (301)"),
        (exported(outcome_logged="yes"), 'outcome_logged must be true or false, got "yes"'),
        (exported(runs_per_week="-1"), "runs_per_week must be a number from 0 to 1000000"),
        (exported(steps={"1": {}}), "steps must be a list"),
        (exported_with_step(3, actor="robot"), "step 3: actor must be one of human, ai, rule"),
        (exported_with_step(2, actor=None), "step 2: actor is missing (one of human, ai, rule)"),
        (exported_with_step(1, name=""), "step 1: name is missing"),
        (exported_with_step(4, name="n" * 301), "step 4: name is longer than 300 characters"),
        (
            exported_with_step(2, failure_route="pray"),
            "step 2: failure_route must be one of queue, human, retry, dead_letter, none",
        ),
        (exported_with_step(1, process_minutes="-5"), "step 1: process_minutes must be a number"),
        (exported_with_step(1, process_minutes=-5), "step 1: process_minutes must be a number"),
        (exported_with_step(2, wait_minutes="soon"), "step 2: wait_minutes must be a number"),
        (exported_with_step(2, wait_minutes="NaN"), "step 2: wait_minutes must be a number"),
        (exported_with_step(2, wait_minutes=True), "step 2: wait_minutes must be a number"),
        (exported_with_step(2, wait_minutes="2e6"), "step 2: wait_minutes must be a number"),
        (exported_with_step(3, inputs="email"), "step 3: inputs must be a list of field names"),
        (exported_with_step(3, outputs=["ok", 5]), "step 3: outputs item 2 must be text"),
        (exported_with_step(3, inputs=["x" * 301]), "step 3: inputs item 1 is longer than 300"),
        (exported_with_step(1, manual_transfer="no"), "step 1: manual_transfer must be true"),
        (exported_with_step(2, tool=["A", "B"]), "step 2: tool must be text, got a list"),
        (
            exported_with_step(1, done_criteria="d" * 2001),
            "step 1: done_criteria is longer than 2000 characters",
        ),
        (exported_with_step(2, order=1), "step 2: order 1 is already used by step 1"),
        (exported_with_step(4, order=9), "step 4: order must be from 1 to 4, got 9"),
        (exported_with_step(4, order=0), "step 4: order must be from 1 to 4, got 0"),
        (exported_with_step(2, order="2"), 'step 2: order must be a whole number, got "2"'),
        (exported_with_step(3, order=None), "step 3: order is missing"),
    ],
)
def test_each_import_problem_is_named(data, problem):
    assert any(p.startswith(problem) for p in problems_of(data)), problems_of(data)


def test_done_criteria_may_be_longer_than_a_name():
    back = map_from_json(exported_with_step(1, done_criteria="d" * 2000))
    assert len(back.steps[0].done_criteria) == 2000


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "A map export is a JSON object; this is a list."),
        ("map", "A map export is a JSON object; this is text."),
        (None, "A map export is a JSON object; this is null."),
    ],
)
def test_anything_but_an_object_is_refused(data, problem):
    assert problems_of(data) == [problem]


def test_a_step_that_is_not_an_object_is_named():
    data = exported()
    data["steps"][1] = "Draft SMS"
    assert "step 2: must be an object, got text" in problems_of(data)


def test_every_problem_is_reported_at_once():
    data = exported()
    data["steps"][0]["actor"] = "robot"
    data["steps"][2]["wait_minutes"] = "-1"
    data["name"] = ""
    with pytest.raises(MapImportError) as caught:
        map_from_json(data)
    assert caught.value.problems == [
        "name is missing",
        "step 1: actor must be one of human, ai, rule",
        'step 3: wait_minutes must be a number from 0 to 1000000, got "-1"',
    ]
    assert str(caught.value).startswith("3 problems: name is missing; step 1: actor")
    assert isinstance(caught.value, ValueError)


def test_the_message_lists_the_first_ten_problems_and_counts_the_rest():
    data = exported(steps=[{"name": "", "actor": "ai"} for _ in range(12)])
    with pytest.raises(MapImportError) as caught:
        map_from_json(data)
    assert len(caught.value.problems) == 12
    assert str(caught.value).endswith("step 10: name is missing; and 2 more")


def test_more_than_two_hundred_steps_are_refused():
    data = exported(steps=[{"name": f"S{i}", "actor": "rule"} for i in range(201)])
    assert problems_of(data) == ["The map has 201 steps; the limit is 200."]


def test_two_hundred_steps_are_fine():
    data = exported(steps=[{"name": f"S{i}", "actor": "rule"} for i in range(200)])
    assert len(map_from_json(data).steps) == 200


def test_an_n8n_export_passed_as_a_map_gets_a_hint():
    data = json.loads((FIXTURES / "n8n_inbound_lead.json").read_text())
    assert problems_of(data) == [
        "format must be 'ai-maturity-workflow-map': this is not a workflow map "
        "(this looks like an n8n workflow)"
    ]


# --- bytes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe{}", "The file is not UTF-8 text (a bad byte at position 0)."),
        (b'{"name": "caf\xe9"}', "The file is not UTF-8 text (a bad byte at position 13)."),
        (b'{"name": ', "The file is not valid JSON: Expecting value at line 1, column 10."),
        (b"", "The file is not valid JSON: Expecting value at line 1, column 1."),
        (
            b'{"a": NaN}',
            "The file is not usable JSON: a number is too long, or is NaN or Infinity.",
        ),
        (b"[" * 100_000, "The file is not usable JSON: it nests too deeply."),
        (b"9" * 5000, "The file is not usable JSON: a number is too long, or is NaN or Infinity."),
    ],
)
def test_bad_bytes_are_refused_with_a_clear_message(raw, message):
    with pytest.raises(MapImportError) as caught:
        parse_json_bytes(raw)
    assert str(caught.value) == message
    assert caught.value.__cause__ is None


def test_oversize_bytes_are_refused_before_parsing():
    with pytest.raises(MapImportError) as caught:
        parse_json_bytes(b" " * 11 + b"{}", max_bytes=12)
    assert str(caught.value) == "The file is too large: 13 bytes; the limit is 12 bytes."


def test_the_default_limit_is_one_megabyte():
    assert parse_json_bytes(b"[" + b" " * 999_998 + b"]") == []
    with pytest.raises(MapImportError, match="1,000,001 bytes; the limit is 1,000,000"):
        parse_json_bytes(b"[" + b" " * 999_999 + b"]")


def test_a_byte_order_mark_is_allowed_and_fractions_stay_exact():
    assert parse_json_bytes(b'\xef\xbb\xbf{"m": 0.1}') == {"m": Decimal("0.1")}


# --- Mermaid -------------------------------------------------------------------------------------


def test_a_small_map_becomes_a_flowchart_with_lanes_shapes_and_waits():
    assert map_to_mermaid(inbound_lead_map()).splitlines() == [
        "flowchart LR",
        '    t0(("Demo form submitted"))',
        '    subgraph lane1["Sales"]',
        '        s1["1. Look up lead<br/>HubSpot"]',
        '        s3[["3. Send SMS<br/>Twilio"]]',
        "    end",
        '    subgraph lane2["Marketing"]',
        '        s2(["2. Draft SMS<br/>OpenAI"])',
        "    end",
        '    subgraph lane3["Unassigned"]',
        '        s4[["4. Log outcome"]]',
        "    end",
        "    t0 --> s1",
        "    s1 -->|wait 47 min| s2",
        "    s2 --> s3",
        "    s3 -->|wait 2.5 min| s4",
        "    classDef manual fill:#fdecea,stroke:#c62828,stroke-width:2px,stroke-dasharray:5 5",
        "    class s1 manual",
    ]


def test_a_map_without_trigger_or_manual_steps_has_neither_line():
    map_ = MapInput(name="M", steps=(step(1, "A", team="Ops"), step(2, "B", team="Ops")))
    assert map_to_mermaid(map_).splitlines() == [
        "flowchart LR",
        '    subgraph lane1["Ops"]',
        '        s1["1. A"]',
        '        s2["2. B"]',
        "    end",
        "    s1 --> s2",
    ]


def test_an_empty_map_is_just_its_trigger():
    assert map_to_mermaid(MapInput(name="M", trigger="Form")) == 'flowchart LR\n    t0(("Form"))'


def test_every_manual_transfer_step_gets_the_class():
    map_ = MapInput(
        name="M",
        steps=tuple(step(i, f"S{i}", manual_transfer=i != 2) for i in (1, 2, 3)),
    )
    assert map_to_mermaid(map_).splitlines()[-1] == "    class s1,s3 manual"


HOSTILE = '"]; click s1 call alert(1) %%'
EDGE_LINE = re.compile(r"^    (s\d+|t0) -->")
NODE_LINE = re.compile(r'^        s\d+(\["|\(\["|\[\[")[^"\n]*("\]|"\]\)|"\]\])$')


def test_hostile_text_is_made_inert():
    map_ = MapInput(
        name="M",
        trigger='Form"))\nclick t0 href "javascript:alert(1)"',
        steps=(
            step(1, HOSTILE, tool="<script>alert(1)</script>", team='Sales"]\nend\n%%{init'),
            step(2, "Q&A #1 `md`", Actor.AI, team="Ops\r\nTeam"),
        ),
    )
    lines = map_to_mermaid(map_).splitlines()
    assert lines[1] == ('    t0(("Form#quot;)) click t0 href #quot;javascript:alert(1)#quot;"))')
    assert lines[2] == '    subgraph lane1["Sales#quot;] end %%{init"]'
    assert lines[3] == (
        '        s1["1. #quot;]; click s1 call alert(1) %%'
        '<br/>#lt;script#gt;alert(1)#lt;/script#gt;"]'
    )
    assert lines[6] == '        s2(["2. Q#amp;A #35;1 #96;md#96;"])'
    assert lines[5] == '    subgraph lane2["Ops Team"]'
    for line in lines:
        assert not line.lstrip().startswith(("click", "%%", "end\t")), line
    node_lines = [line for line in lines if line.startswith("        s")]
    assert len(node_lines) == 2
    assert all(NODE_LINE.match(line) for line in node_lines)
    assert "<script" not in map_to_mermaid(map_)


@given(st.text(max_size=60))
def test_no_user_text_escapes_its_quotes(text):
    map_ = MapInput(name="M", trigger="T", steps=(step(1, text, tool=text, team=text),))
    lines = map_to_mermaid(map_).splitlines()
    assert lines[0] == "flowchart LR"
    assert len(lines) == 6  # trigger, subgraph, node, end, trigger edge
    assert all(line.count('"') in (0, 2) for line in lines)
    assert NODE_LINE.match(lines[3])


# --- n8n -----------------------------------------------------------------------------------------


@pytest.fixture
def inbound_lead_n8n():
    return parse_json_bytes((FIXTURES / "n8n_inbound_lead.json").read_bytes())


def test_an_n8n_export_becomes_a_map_from_its_trigger(inbound_lead_n8n):
    imported = map_from_n8n(inbound_lead_n8n)
    map_ = imported.map
    assert map_.name == "Inbound lead: demo request to first reply"
    assert map_.trigger == "New demo request (webhook)"
    assert [(s.order, s.name, s.actor, s.tool, s.failure_route) for s in map_.steps] == [
        (1, "Find contact", Actor.RULE, "HubSpot", FailureRoute.RETRY),
        (2, "Draft reply", Actor.AI, "OpenAI", FailureRoute.NONE),
        (3, "Asks about pricing?", Actor.RULE, "n8n IF", FailureRoute.NONE),
        (4, "Alert SDR", Actor.RULE, "Slack", FailureRoute.NONE),
        (5, "Send reply", Actor.RULE, "Gmail", FailureRoute.QUEUE),
    ]
    assert imported.notes == (
        "IF 'Asks about pricing?' branches to 2 paths; flattened in order: Alert SDR, Send reply.",
        "Skipped 1 node not reachable from the trigger: Old enrichment.",
    )


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
    ("extra", "route"),
    [
        ({"retryOnFail": True, "maxTries": 3}, FailureRoute.RETRY),
        ({"onError": "continueErrorOutput"}, FailureRoute.QUEUE),
        ({"retryOnFail": True, "onError": "continueErrorOutput"}, FailureRoute.RETRY),
        ({"onError": "continueRegularOutput"}, FailureRoute.NONE),
        ({"retryOnFail": False}, FailureRoute.NONE),
        ({}, FailureRoute.NONE),
    ],
)
def test_node_settings_name_the_failure_route(extra, route):
    only = node("Call API", "n8n-nodes-base.httpRequest", **extra)
    assert map_from_n8n(chain(WEBHOOK, only)).map.steps[0].failure_route == route


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
    assert imported.notes == (
        "Switch 'Route by intent' branches to 3 paths; flattened in order: Book, Escalate, Answer.",
    )
    assert imported.map.name == "Imported n8n workflow"


def test_a_fan_out_from_an_ordinary_node_is_noted_with_its_tool():
    data = chain(WEBHOOK, node("Find contact", "n8n-nodes-base.hubspot"))
    data["nodes"] += [node("A", "n8n-nodes-base.slack"), node("B", "n8n-nodes-base.gmail")]
    data["connections"]["Find contact"] = link("A", "B")
    assert map_from_n8n(data).notes == (
        "HubSpot 'Find contact' branches to 2 paths; flattened in order: A, B.",
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
    assert imported.notes == (
        "The workflow has 3 triggers; the map starts from 'Form' (not Nightly, Chained).",
        "Skipped 1 node not reachable from the trigger: Start.",
    )


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
    assert imported.notes == (
        "'Claude' is attached to 'Qualify lead' (ai_languageModel); it is part of that step.",
        "'Memory' is attached to 'Qualify lead' (ai_memory); it is part of that step.",
    )


def test_disabled_nodes_are_passed_through_and_noted():
    data = chain(
        WEBHOOK,
        node("Old filter", "n8n-nodes-base.filter", disabled=True),
        node("Send", "n8n-nodes-base.gmail"),
    )
    imported = map_from_n8n(data)
    assert [(s.order, s.name) for s in imported.map.steps] == [(1, "Send")]
    assert imported.notes == ("Skipped disabled node 'Old filter'.",)


def test_a_trigger_with_nothing_after_it_gives_an_empty_map():
    imported = map_from_n8n({"nodes": [WEBHOOK], "connections": {}})
    assert imported.map.steps == ()
    assert imported.notes == ("The trigger 'Form' leads to no steps; the map has none.",)


def test_sticky_notes_are_ignored_silently():
    plain = chain(WEBHOOK, node("A", "n8n-nodes-base.noOp"))
    with_sticky = chain(WEBHOOK, node("A", "n8n-nodes-base.noOp"))
    with_sticky["nodes"].append(node("Sticky Note", "n8n-nodes-base.stickyNote"))
    assert map_from_n8n(with_sticky) == map_from_n8n(plain)


def test_connections_to_missing_nodes_are_dropped():
    data = chain(WEBHOOK, node("A", "n8n-nodes-base.noOp"))
    data["connections"]["A"] = link("Deleted node")
    data["connections"]["Ghost"] = link("A")
    assert [s.name for s in map_from_n8n(data).map.steps] == ["A"]


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
        (ZAPIER_EXPORT, N8N_NOT_AN_EXPORT),
        (MAKE_EXPORT, N8N_NOT_AN_EXPORT),
        (map_to_json(MapInput(name="Ours")), N8N_NOT_AN_EXPORT),
        ({}, N8N_NOT_AN_EXPORT),
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


# --- properties ----------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NAME = TEXT.filter(lambda s: s.strip() != "")
MINUTES = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)


@st.composite
def maps(draw):
    count = draw(st.integers(min_value=0, max_value=8))
    steps = tuple(
        StepInput(
            order=position,
            name=draw(NAME),
            actor=draw(st.sampled_from(Actor)),
            tool=draw(TEXT),
            owner=draw(TEXT),
            team=draw(TEXT),
            inputs=tuple(draw(st.lists(TEXT, max_size=4))),
            outputs=tuple(draw(st.lists(TEXT, max_size=4))),
            manual_transfer=draw(st.booleans()),
            process_minutes=draw(MINUTES),
            wait_minutes=draw(MINUTES),
            failure_route=draw(st.sampled_from(FailureRoute)),
            done_criteria=draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=200)),
        )
        for position in range(1, count + 1)
    )
    return MapInput(
        name=draw(NAME),
        trigger=draw(TEXT),
        outcome_owner=draw(TEXT),
        outcome_logged=draw(st.booleans()),
        kpi=draw(TEXT),
        runs_per_week=draw(MINUTES),
        steps=steps,
    )


@given(maps())
def test_every_map_survives_the_json_round_trip(map_):
    assert map_from_json(map_to_json(map_)) == map_


@given(maps())
def test_every_map_survives_the_round_trip_through_bytes(map_):
    raw = json.dumps(map_to_json(map_)).encode()
    assert map_from_json(parse_json_bytes(raw)) == map_


@given(maps())
def test_every_map_draws_one_node_per_step(map_):
    lines = map_to_mermaid(map_).splitlines()
    assert sum(1 for line in lines if NODE_LINE.match(line)) == len(map_.steps)
    assert sum(1 for line in lines if EDGE_LINE.match(line)) == max(
        len(map_.steps) - 1 + bool(map_.trigger.strip()), 0
    )

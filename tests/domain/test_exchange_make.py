"""The Make import: a scenario blueprint read as a map, with what was imported, approximated
and dropped; and the shared sniffing that refuses a foreign JSON file by naming it.

Sources of the format and of the rules asserted here:

- The fixture ``make_lead_scoring.json`` follows the shape of a blueprint exported by Make
  and published in a public repository (a Google Sheets "watchRows" trigger, a
  ``util:SetVariable2``, an ``openai-gpt-3:CreateCompletion`` whose ``onerror`` holds a
  ``builtin:Break`` with ``mapper: {"retry": true, "count": "3", "interval": "15"}``, as
  strings, and ``metadata.designer`` positions), with its connection ids and personal data
  replaced; the router (``builtin:BasicRouter`` with ``routes: [{"flow": [...]}]``) and the
  scenario metadata (``roundtrips``, ``maxErrors``, ``autoCommit``, ``dlq``, ``zone``)
  are as public exported blueprints write them.
- Make's help, "Break error handler" (https://help.make.com/break-error-handler; also
  https://www.make.com/en/help/errors/error-handlers/break-error-handler.html): the failed
  bundle becomes an incomplete execution, retried automatically ("Number of attempts",
  "Interval between attempts" in minutes) or kept until resolved; incomplete executions
  must be enabled in the scenario settings (``dlq``). The Break dialog allows up to 44,640
  minutes between attempts (Make community, "Error handler (Break): what is the maximum
  interval between attempts",
  https://community.make.com/t/error-handler-break-what-is-the-maximum-interval-between-attempts/22789).
- Make's "Directives for error handling" (the text Make published, as kept at
  https://docs.axelor.com/connect-help-center/docs/HTML/en/errors/directives-for-error-handling.html):
  Rollback stops and reverts (status error; also what happens with no handler and no
  incomplete executions), Commit stops and commits (status success), Resume supplies a
  substitute output and goes on, Ignore drops the bundle and goes on, Break stores the
  incomplete execution.
- The blueprint fields (``flow``, ``module`` as "app:Module", ``mapper``, ``parameters``,
  ``metadata.designer``, ``routes[].flow`` of ``builtin:BasicRouter``, ``onerror``) as
  public blueprints and the tools that read them use them, found by searching public
  repositories for ``builtin:BasicRouter`` and ``"module": "builtin:Break"``.
"""

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from workflows.maps.exchange import (
    MAKE_NO_TRIGGER,
    MapImportError,
    describe_json,
    map_from_json,
    map_from_make,
    map_from_n8n,
    map_import_from_json,
    map_to_json,
    parse_json_bytes,
)
from workflows.maps.shapes import Actor, FailureRoute, MapInput

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name):
    return parse_json_bytes((FIXTURES / name).read_bytes())


def module(id_, kind, name=None, **extra):
    designer = {"x": 0, "y": 0, **({"name": name} if name else {})}
    return {
        "id": id_,
        "module": kind,
        "version": 1,
        "parameters": {},
        "mapper": {},
        "metadata": {"designer": designer},
        **extra,
    }


def blueprint(*modules, dlq=False):
    return {
        "name": "Demo",
        "flow": [module(1, "gateway:CustomWebHook", "Form"), *modules],
        "metadata": {"instant": True, "version": 1, "scenario": {"roundtrips": 1, "dlq": dlq}},
    }


def test_a_published_blueprint_becomes_a_map():
    imported = map_from_make(fixture("make_lead_scoring.json"))
    map_ = imported.map
    assert (map_.name, map_.trigger) == (
        "Lead scoring and routing",
        "New lead row (google-sheets:watchRows)",
    )
    assert [(s.name, s.actor, s.tool, s.failure_summary) for s in map_.steps] == [
        (
            "Make Tools: SetVariable2",
            Actor.RULE,
            "Make Tools",
            "dead-letter → Make incomplete executions",
        ),
        (
            "Classify lead",
            Actor.AI,
            "OpenAI",
            "retry ×4, 900 s apart, then to Make incomplete executions",
        ),
        (
            "HubSpot: createContact",
            Actor.RULE,
            "HubSpot",
            "to Alert sales ops, then continue with a substitute output (Resume)",
        ),
        ("Gmail: sendAnEmail", Actor.RULE, "Gmail", "to stop the run and roll back (Rollback)"),
        (
            "Log low priority",
            Actor.RULE,
            "Google Sheets",
            "to drop the bundle and continue (Ignore)",
        ),
    ]
    assert imported.report.imported == (
        "5 steps",
        "the trigger 'New lead row (google-sheets:watchRows)'",
        "the failure routes of 5 of 5 steps",
    )
    assert imported.report.approximated == (
        "router 'By priority' splits into 2 routes; flattened in order: "
        "HubSpot: createContact, Log low priority",
        "'HubSpot: createContact' runs only when its filter 'High priority' passes; the map "
        "shows it for every run",
        "every step after a router counts as taken by 100% of runs; set each one's share of "
        "runs in the editor",
    )
    assert imported.carries == {"trigger"}


def test_the_imported_map_is_one_the_json_import_accepts():
    map_ = map_from_make(fixture("make_lead_scoring.json")).map
    assert map_from_json(map_to_json(map_)) == map_


@pytest.mark.parametrize(
    ("handler", "route", "target", "tries", "wait"),
    [
        (
            [module(3, "builtin:Break", mapper={"retry": True, "count": 2, "interval": 1})],
            FailureRoute.RETRY,
            "Make incomplete executions",
            3,
            Decimal(60),
        ),
        (
            [
                module(
                    3,
                    "builtin:Break",
                    mapper={"retry": "{{true}}", "count": "3 ", "interval": "15"},
                )
            ],
            FailureRoute.RETRY,
            "Make incomplete executions",
            4,
            Decimal(900),
        ),
        (
            [module(3, "builtin:Break", mapper={"retry": False})],
            FailureRoute.QUEUE,
            "Make incomplete executions",
            0,
            Decimal(0),
        ),
        (
            [module(3, "builtin:Resume")],
            FailureRoute.NONE,
            "continue with a substitute output (Resume)",
            0,
            Decimal(0),
        ),
        (
            [module(3, "builtin:Ignore")],
            FailureRoute.NONE,
            "drop the bundle and continue (Ignore)",
            0,
            Decimal(0),
        ),
        (
            [module(3, "builtin:Commit")],
            FailureRoute.NONE,
            "stop the run and commit (Commit)",
            0,
            Decimal(0),
        ),
        (
            [module(3, "builtin:Rollback")],
            FailureRoute.NONE,
            "stop the run and roll back (Rollback)",
            0,
            Decimal(0),
        ),
        (
            [module(3, "slack:CreateMessage", "Alert")],
            FailureRoute.QUEUE,
            "Alert, then drop the bundle and continue (Ignore)",
            0,
            Decimal(0),
        ),
        ([], FailureRoute.NONE, "", 0, Decimal(0)),
    ],
    ids=[
        "break",
        "break-as-strings",
        "break-no-retry",
        "resume",
        "ignore",
        "commit",
        "rollback",
        "no-directive",
        "no-handler",
    ],
)
def test_each_error_directive_becomes_the_steps_failure_route(handler, route, target, tries, wait):
    step = map_from_make(blueprint(module(2, "http:ActionSendData", onerror=handler))).map.steps[0]
    assert (
        step.failure_route,
        step.failure_target,
        step.retry_max_tries,
        step.retry_wait_seconds,
    ) == (route, target, tries, wait)


def test_a_scenario_that_stores_incomplete_executions_dead_letters_unhandled_failures():
    step = map_from_make(blueprint(module(2, "http:ActionSendData"), dlq=True)).map.steps[0]
    assert (step.failure_route, step.failure_target) == (
        FailureRoute.DEAD_LETTER,
        "Make incomplete executions",
    )


def test_a_break_beyond_what_the_map_holds_is_kept_at_its_limits_and_reported():
    brk = module(3, "builtin:Break", mapper={"retry": True, "count": 20, "interval": 44640})
    imported = map_from_make(blueprint(module(2, "http:ActionSendData", "Call API", onerror=[brk])))
    step = imported.map.steps[0]
    assert (step.retry_max_tries, step.retry_wait_seconds) == (10, Decimal(86400))
    assert imported.report.approximated == (
        "'Call API' retries 21 tries and 44640 minutes apart in Make; the map keeps at most "
        "10 tries, a day apart",
    )


def test_apps_become_tools_and_ai_apps_ai_steps():
    imported = map_from_make(
        blueprint(
            module(2, "anthropic-claude:createAMessage"),
            module(3, "google-sheets:addRow"),
            module(4, "active-campaign:createContact"),
        )
    )
    assert [(s.tool, s.actor) for s in imported.map.steps] == [
        ("Anthropic Claude", Actor.AI),
        ("Google Sheets", Actor.RULE),
        ("Active Campaign", Actor.RULE),
    ]


def test_routers_in_routers_flatten_route_by_route():
    inner = module(
        5,
        "builtin:BasicRouter",
        "Inner",
        routes=[{"flow": [module(6, "slack:a", "C")]}, {"flow": [module(7, "slack:b", "D")]}],
    )
    outer = module(
        3,
        "builtin:BasicRouter",
        "Outer",
        routes=[
            {"flow": [module(4, "slack:c", "B"), inner]},
            {"flow": [module(8, "slack:d", "E")]},
        ],
    )
    map_ = map_from_make(blueprint(module(2, "slack:e", "A"), outer)).map
    assert [s.name for s in map_.steps] == ["A", "B", "C", "D", "E"]


def test_a_file_nested_two_hundred_routers_deep_is_refused_not_a_recursion_error():
    flow = [module(999, "slack:a", "Leaf")]
    for depth in range(200):
        flow = [module(depth + 2, "builtin:BasicRouter", routes=[{"flow": flow}])]
    with pytest.raises(MapImportError) as caught:
        map_from_make(blueprint(*flow))
    assert str(caught.value) == "The scenario nests routers more than 20 deep."


def test_an_empty_flow_has_no_trigger():
    with pytest.raises(MapImportError) as caught:
        map_from_make({"name": "Empty", "flow": []})
    assert str(caught.value) == MAKE_NO_TRIGGER


def test_the_make_import_does_not_change_its_input():
    data = fixture("make_lead_scoring.json")
    before = copy.deepcopy(data)
    map_from_make(data)
    assert data == before


# --- foreign JSON: every JSON import names what it was given ------------------------------------

N8N = fixture("n8n_inbound_lead.json")
MAKE = fixture("make_lead_scoring.json")
OURS = map_to_json(MapInput(name="Ours"))
ZAPIER = {"metadata": {"version": 2}, "zaps": [{"id": 1, "title": "Form to HubSpot"}]}


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (N8N, "an n8n workflow export"),
        (OURS, "a workflow map exported from here"),
        (ZAPIER, "a Zapier export"),
        ({"id": 1, "title": "x"}, 'a JSON object with the keys "id", "title"'),
        ({}, "an empty JSON object"),
        ([1, 2], "a JSON list"),
        ("text", "JSON text"),
    ],
)
def test_the_make_import_refuses_foreign_json_saying_what_it_looks_like(data, looks_like):
    with pytest.raises(MapImportError) as caught:
        map_from_make(data)
    assert str(caught.value) == (
        "This is not a Make scenario blueprint: it has no flow of modules. "
        f"It looks like {looks_like}."
    )


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (MAKE, "a Make scenario blueprint"),
        (OURS, "a workflow map exported from here"),
        (ZAPIER, "a Zapier export"),
        ({}, "an empty JSON object"),
    ],
)
def test_the_n8n_import_refuses_foreign_json_saying_what_it_looks_like(data, looks_like):
    with pytest.raises(MapImportError) as caught:
        map_from_n8n(data)
    assert str(caught.value) == (
        "This is not an n8n workflow export: it has no nodes and connections. "
        f"It looks like {looks_like}."
    )


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (MAKE, "a Make scenario blueprint"),
        (N8N, "an n8n workflow export"),
        (
            {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6},
            'a JSON object with the keys "a", "b", "c", "d", "e" ...',
        ),
    ],
)
def test_the_map_import_refuses_foreign_json_saying_what_it_looks_like(data, looks_like):
    with pytest.raises(MapImportError) as caught:
        map_import_from_json(data)
    assert str(caught.value) == (
        "format must be 'ai-maturity-workflow-map': this is not a workflow map. "
        f"It looks like {looks_like}."
    )


def test_an_xml_file_given_to_a_json_import_is_named():
    with pytest.raises(MapImportError) as caught:
        parse_json_bytes(b'<?xml version="1.0"?><definitions/>')
    assert str(caught.value) == (
        "The file is not JSON: it looks like XML. For a BPMN file, choose the BPMN import."
    )


def test_describe_json_names_each_kind():
    assert [describe_json(d) for d in (MAKE, N8N, OURS, None, 3)] == [
        "a Make scenario blueprint",
        "an n8n workflow export",
        "a workflow map exported from here",
        "JSON null",
        "a JSON number",
    ]

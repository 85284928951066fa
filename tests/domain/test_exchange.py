"""Exchange formats: our JSON export and import, and the Mermaid flowchart (the n8n import is
tests/domain/test_exchange_n8n.py)."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.maps.exchange import (
    MapImportError,
    map_from_json,
    map_import_from_json,
    map_to_json,
    map_to_mermaid,
    parse_json_bytes,
)
from workflows.maps.shapes import (
    MAP_SETTINGS,
    PROCESS_MINUTES,
    RETRY_MAX_TRIES,
    RETRY_WAIT_SECONDS,
    RUNS_PER_WEEK,
    SHARE_OF_RUNS,
    TIME_SAVED_MINUTES,
    WAIT_MINUTES,
    Actor,
    FailureRoute,
    MapInput,
    StepInput,
)

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
                retry_max_tries=3,
                retry_wait_seconds=Decimal("1.5"),
            ),
            step(
                3,
                "Send SMS",
                Actor.RULE,
                tool="Twilio",
                team="Sales",
                wait_minutes=Decimal("2.5"),
                failure_route=FailureRoute.DEAD_LETTER,
                failure_target="SMS dead-letter queue",
                share_of_runs=Decimal("85.5"),
            ),
            step(4, "Log outcome", Actor.RULE),
        ),
        notes="Twilio sends only in business hours.",
        time_saved_minutes=Decimal("6.5"),
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
    assert data["version"] == 2
    assert data["runs_per_week"] == "42.5"
    assert (data["notes"], data["time_saved_minutes"]) == (
        "Twilio sends only in business hours.",
        "6.5",
    )
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
        "failure_target": "",
        "retry_max_tries": 0,
        "retry_wait_seconds": "0",
        "share_of_runs": "100",
        "done_criteria": "Contact found or created",
    }
    assert data["steps"][1]["process_minutes"] == "0.07"
    assert (data["steps"][1]["retry_max_tries"], data["steps"][1]["retry_wait_seconds"]) == (
        3,
        "1.5",
    )
    assert data["steps"][2]["failure_route"] == "dead_letter"
    assert data["steps"][2]["failure_target"] == "SMS dead-letter queue"
    assert data["steps"][2]["share_of_runs"] == "85.5"


def test_an_unknown_time_saved_is_exported_as_null():
    assert map_to_json(MapInput(name="M"))["time_saved_minutes"] is None


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


VERSION_1_EXPORT = {
    "format": "ai-maturity-workflow-map",
    "version": 1,
    "name": "Inbound lead",
    "trigger": "Demo form submitted",
    "outcome_owner": "Dana (RevOps)",
    "outcome_logged": True,
    "kpi": "Bookings per week",
    "runs_per_week": "42.5",
    "steps": [
        {
            "order": 1,
            "name": "Look up lead",
            "actor": "human",
            "tool": "HubSpot",
            "owner": "SDR",
            "team": "Sales",
            "inputs": ["email"],
            "outputs": ["contact_id"],
            "manual_transfer": True,
            "process_minutes": "4",
            "wait_minutes": "47",
            "failure_route": "retry",
            "done_criteria": "Contact found",
        }
    ],
}


def test_a_version_1_file_is_still_read_with_the_new_values_at_their_defaults():
    map_ = map_from_json(VERSION_1_EXPORT)
    only = map_.steps[0]
    assert (only.name, only.failure_route, only.process_minutes) == (
        "Look up lead",
        FailureRoute.RETRY,
        Decimal(4),
    )
    assert (only.failure_target, only.retry_max_tries, only.share_of_runs) == ("", 0, 100)
    assert (map_.notes, map_.time_saved_minutes) == ("", None)


def test_a_version_1_file_carries_its_settings_but_not_notes_or_time_saved():
    imported = map_import_from_json(VERSION_1_EXPORT)
    assert imported.carries == {
        "trigger",
        "outcome_owner",
        "outcome_logged",
        "kpi",
        "runs_per_week",
    }
    assert imported.report.summary == (
        "Imported 1 step and the map's trigger, owner, outcome logged, KPI, runs per week."
    )


def test_a_json_import_carries_only_the_settings_its_file_gives():
    data = exported()
    for key in ("outcome_owner", "kpi", "runs_per_week", "notes"):
        del data[key]
    data["outcome_logged"] = None  # null counts as absent
    imported = map_import_from_json(data)
    assert imported.carries == {"trigger", "time_saved_minutes"}
    assert set(MAP_SETTINGS) - imported.carries == {
        "outcome_owner",
        "outcome_logged",
        "kpi",
        "runs_per_week",
        "notes",
    }


def test_many_unknown_fields_are_listed_in_one_line():
    data = exported(**{f"extra_{i}": i for i in range(12)})
    (line,) = map_import_from_json(data).report.dropped
    assert line.startswith('12 unknown fields, ignored: "extra_0", "extra_1"')
    assert line.endswith('"extra_9" and 2 more')


def test_an_export_carries_every_setting_back():
    assert map_import_from_json(exported()).carries == set(MAP_SETTINGS)


def test_unknown_fields_are_reported_as_dropped():
    data = exported(colour="blue")
    data["steps"][1]["priority"] = "high"
    imported = map_import_from_json(data)
    assert imported.report.dropped == ('2 unknown fields, ignored: "colour", step 2 "priority"',)
    assert imported.map == inbound_lead_map()


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
        (exported(version=3), "version must be 1 or 2, got 3"),
        (exported(version="1"), 'version must be 1 or 2, got "1"'),
        (exported(name=""), "name is missing"),
        (exported(name="   "), "name is missing"),
        (exported(name=7), "name must be text, got a number"),
        (exported(name="x" * 301), "name is longer than 300 characters (301)"),
        (exported(outcome_logged="yes"), 'outcome_logged must be true or false, got "yes"'),
        (exported(runs_per_week="-1"), "runs per week must be from 0 to 1000000, got -1"),
        (exported(runs_per_week="0.25"), "runs per week 0.25 has more than 1 decimal place"),
        (exported(time_saved_minutes="x"), 'time saved per run must be a number, got "x"'),
        (exported(notes=7), "notes must be text, got a number"),
        (exported(steps={"1": {}}), "steps must be a list"),
        (exported_with_step(3, actor="robot"), "step 3: actor must be one of human, ai, rule"),
        (exported_with_step(2, actor=None), "step 2: actor is missing (one of human, ai, rule)"),
        (exported_with_step(1, name=""), "step 1: name is missing"),
        (exported_with_step(4, name="n" * 201), "step 4: name is longer than 200 characters"),
        (exported_with_step(4, tool="t" * 121), "step 4: tool is longer than 120 characters"),
        (exported_with_step(4, team="t" * 81), "step 4: team is longer than 80 characters"),
        (
            exported_with_step(2, failure_route="pray"),
            "step 2: failure_route must be one of queue, human, retry, dead_letter, none",
        ),
        (
            exported_with_step(1, process_minutes="-5"),
            "step 1: process minutes must be from 0 to 1000000, got -5",
        ),
        (
            exported_with_step(1, process_minutes=-5),
            "step 1: process minutes must be from 0 to 1000000, got -5",
        ),
        (
            exported_with_step(2, process_minutes=Decimal("0.0667")),
            "step 2: process minutes 0.0667 has more than 2 decimal places",
        ),
        (
            exported_with_step(2, process_minutes="2.500"),
            "step 2: process minutes 2.500 has more than 2 decimal places",
        ),
        (
            exported_with_step(2, wait_minutes="soon"),
            'step 2: wait minutes must be a number, got "soon"',
        ),
        (exported_with_step(2, wait_minutes="NaN"), "step 2: wait minutes must be a number"),
        (exported_with_step(2, wait_minutes=True), "step 2: wait minutes must be a number"),
        (
            exported_with_step(2, wait_minutes="2e6"),
            "step 2: wait minutes must be from 0 to 1000000",
        ),
        (exported_with_step(2, share_of_runs="101"), "step 2: share of runs must be from 0 to 100"),
        (
            exported_with_step(2, share_of_runs="15.25"),
            "step 2: share of runs 15.25 has more than 1",
        ),
        (
            exported_with_step(2, retry_max_tries=11),
            "step 2: retry tries must be a whole number from 0 to 10",
        ),
        (
            exported_with_step(2, retry_max_tries=2.5),
            "step 2: retry tries must be a whole number, got 2.5",
        ),
        (exported_with_step(2, retry_max_tries=True), "step 2: retry tries must be a whole number"),
        (
            exported_with_step(2, retry_wait_seconds="0.0005"),
            "step 2: retry wait seconds 0.0005 has more than 3 decimal places",
        ),
        (
            exported_with_step(2, failure_target="f" * 201),
            "step 2: failure_target is longer than 200 characters",
        ),
        (exported_with_step(3, inputs="email"), "step 3: inputs must be a list of field names"),
        (exported_with_step(3, outputs=["ok", 5]), "step 3: outputs item 2 must be text"),
        (exported_with_step(3, inputs=["x" * 101]), "step 3: inputs item 1 is longer than 100"),
        (exported_with_step(3, inputs=["x"] * 51), "step 3: inputs has 51 fields; the limit is 50"),
        (exported_with_step(1, manual_transfer="no"), "step 1: manual_transfer must be true"),
        (exported_with_step(2, tool=["A", "B"]), "step 2: tool must be text, got a list"),
        (
            exported_with_step(1, done_criteria="d" * 501),
            "step 1: done_criteria is longer than 500 characters",
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
    back = map_from_json(exported_with_step(1, done_criteria="d" * 500))
    assert len(back.steps[0].done_criteria) == 500


def test_too_precise_minutes_are_refused_not_rounded():
    # On main, 0.0667 was read as is and the database rounded it to 0.07 on save.
    data = exported_with_step(2, process_minutes="0.0667")
    assert problems_of(data) == ["step 2: process minutes 0.0667 has more than 2 decimal places"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("process_minutes", "1000000"),
        ("process_minutes", "0.07"),
        ("wait_minutes", "1000000.00"),
        ("share_of_runs", "0"),
        ("share_of_runs", "99.5"),
        ("retry_max_tries", 10),
        ("retry_max_tries", "3"),
        ("retry_wait_seconds", "86400"),
        ("retry_wait_seconds", "0.001"),
    ],
)
def test_values_at_the_limits_are_read(key, value):
    back = map_from_json(exported_with_step(2, **{key: value})).steps[1]
    assert getattr(back, key) == (int(value) if key == "retry_max_tries" else Decimal(value))


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
        "step 3: wait minutes must be from 0 to 1000000, got -1",
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
        "format must be 'ai-maturity-workflow-map': this is not a workflow map. "
        "It looks like an n8n workflow export."
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
        '        s3[["3. Send SMS<br/>Twilio<br/>85.5% of runs"]]',
        "    end",
        '    subgraph lane2["Marketing"]',
        '        s2(["2. Draft SMS<br/>OpenAI"])',
        "    end",
        '    subgraph lane3["Unassigned"]',
        '        s4[["4. Log outcome"]]',
        "    end",
        '    e3>"SMS dead-letter queue"]',
        "    t0 --> s1",
        "    s1 -->|wait 47 min| s2",
        "    s2 --> s3",
        "    s3 -->|wait 2.5 min| s4",
        "    s2 -.->|retry ×3, 1.5 s apart| s2",
        "    s3 -.->|on error| e3",
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


def test_a_failure_target_that_names_a_step_points_at_that_step():
    map_ = MapInput(
        name="M",
        steps=(
            step(1, "Send", team="Ops", failure_target="Escalate", retry_max_tries=2),
            step(2, "Escalate", team="Ops"),
        ),
    )
    assert map_to_mermaid(map_).splitlines()[-2:] == [
        "    s1 -.->|retry ×2, 0 s apart| s1",
        "    s1 -.->|on error| s2",
    ]


def test_a_failure_target_is_escaped_like_any_user_text():
    map_ = MapInput(name="M", steps=(step(1, "A", failure_target='x"]\nclick e1 call alert(1)'),))
    lines = map_to_mermaid(map_).splitlines()
    assert '    e1>"x#quot;] click e1 call alert(1)"]' in lines
    assert all(line.count('"') in (0, 2) for line in lines)


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


# --- properties ----------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NAME = TEXT.filter(lambda s: s.strip() != "")


def within(limit):
    """Every value a field with ``limit`` stores (and so the form takes)."""
    return st.decimals(
        min_value=0, max_value=limit.maximum, places=limit.decimal_places, allow_nan=False
    )


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
            process_minutes=draw(within(PROCESS_MINUTES)),
            wait_minutes=draw(within(WAIT_MINUTES)),
            failure_route=draw(st.sampled_from(FailureRoute)),
            failure_target=draw(TEXT),
            retry_max_tries=draw(st.integers(min_value=0, max_value=RETRY_MAX_TRIES.maximum)),
            retry_wait_seconds=draw(within(RETRY_WAIT_SECONDS)),
            share_of_runs=draw(within(SHARE_OF_RUNS)),
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
        runs_per_week=draw(within(RUNS_PER_WEEK)),
        steps=steps,
        notes=draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=200)),
        time_saved_minutes=draw(st.none() | within(TIME_SAVED_MINUTES)),
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

"""The BPMN 2.0 export and import, proved by real consumers: the OMG BPMN 2.0 XSDs that the
``spiffworkflow`` package ships (SpiffWorkflow/bpmn/parser/schema/BPMN20.xsd with its DI,
DC and Semantic imports), SpiffWorkflow's own ``BpmnParser``, and our import giving back
the map that was exported. The browser test (tests/browser/test_bpmn_viewer.py) opens the
same export in bpmn-js."""

import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from workflows.maps.exchange import (
    BPMN_HOSTILE,
    MapImportError,
    map_from_bpmn,
    map_to_bpmn,
    parse_bpmn_bytes,
)
from workflows.maps.exchange.bpmn_xml import APP, BPMN, BPMNDI, DC, DI
from workflows.maps.shapes import Actor, FailureRoute, MapInput, StepInput

NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "wm": APP}

INBOUND = MapInput(
    name="Inbound lead",
    trigger="Demo form submitted",
    outcome_owner="Head of demand gen",
    outcome_logged=True,
    kpi="Meetings booked per week",
    runs_per_week=Decimal("120"),
    notes="Agreed with Sales.\nReviewed weekly.",
    time_saved_minutes=Decimal("4.5"),
    steps=(
        StepInput(
            order=1,
            name="Look up contact",
            actor=Actor.HUMAN,
            tool="HubSpot",
            owner="SDR lead",
            team="RevOps",
            inputs=("email", "company"),
            outputs=("contact_id",),
            manual_transfer=True,
            process_minutes=Decimal("5"),
            wait_minutes=Decimal("47"),
            failure_route=FailureRoute.QUEUE,
            failure_target="Notify SDR",
            done_criteria="Contact found or created",
        ),
        StepInput(
            order=2,
            name="Draft SMS",
            actor=Actor.AI,
            tool="OpenAI",
            team="Marketing",
            inputs=("contact_id",),
            outputs=("sms_text",),
            retry_max_tries=3,
            retry_wait_seconds=Decimal("1.5"),
            share_of_runs=Decimal("80"),
        ),
        StepInput(
            order=3,
            name="Send SMS",
            actor=Actor.RULE,
            tool="Twilio",
            team="Marketing",
            inputs=("sms",),
        ),
    ),
)


@pytest.fixture(scope="module")
def validator():
    return BpmnValidator()


def tree(map_=INBOUND, **kwargs):
    return etree.fromstring(map_to_bpmn(map_, **kwargs))


def names(root, xpath):
    return [e.get("name") for e in root.xpath(xpath, namespaces=NS)]


# --- what the export holds ----------------------------------------------------------------------


def test_the_export_is_a_pool_with_a_lane_per_team():
    root = tree()
    assert names(root, "//bpmn:participant") == ["Inbound lead"]
    assert root.xpath("//bpmn:participant/@processRef", namespaces=NS) == ["Process_1"]
    assert names(root, "//bpmn:lane") == ["RevOps", "Marketing"]
    marketing = root.xpath("//bpmn:lane[@name='Marketing']/bpmn:flowNodeRef/text()", namespaces=NS)
    assert {"Task_2", "Task_3"} <= set(marketing)


def test_tasks_are_typed_by_actor():
    root = tree()
    assert names(root, "//bpmn:userTask") == ["Look up contact"]
    assert names(root, "//bpmn:serviceTask") == ["Draft SMS", "Send SMS"]


def test_the_flow_runs_from_the_trigger_through_the_steps_to_an_end():
    root = tree()
    assert names(root, "//bpmn:startEvent") == ["Demo form submitted"]
    flows = [
        (f.get("sourceRef"), f.get("targetRef"))
        for f in root.xpath("//bpmn:sequenceFlow", namespaces=NS)
        if not f.get("sourceRef").startswith("Boundary")
    ]
    assert flows == [
        ("StartEvent_1", "Task_1"),
        ("Task_1", "Task_2"),
        ("Task_2", "Task_3"),
        ("Task_3", "EndEvent_1"),
    ]


def test_failure_routes_are_error_boundary_events_leading_to_their_target():
    root = tree()
    boundaries = root.xpath("//bpmn:boundaryEvent", namespaces=NS)
    assert [(b.get("attachedToRef"), b.get("name")) for b in boundaries] == [
        ("Task_1", "queue → Notify SDR"),
        ("Task_2", "retry ×3, 1.5 s apart"),
    ]
    assert all(b.find("bpmn:errorEventDefinition", NS) is not None for b in boundaries)
    target = root.xpath("//bpmn:sequenceFlow[@sourceRef='Boundary_1']/@targetRef", namespaces=NS)
    assert names(root, f"//bpmn:endEvent[@id='{target[0]}']") == ["Notify SDR"]
    assert (
        root.xpath(
            "//bpmn:task[@id='Task_3']|//bpmn:boundaryEvent[@attachedToRef='Task_3']", namespaces=NS
        )
        == []
    )  # no route, no event


def test_data_contracts_are_data_objects_shared_where_they_match():
    root = tree()
    assert names(root, "//bpmn:dataObjectReference") == [
        "email, company",
        "contact_id",
        "sms_text",
        "sms",  # step 3 needs "sms" but step 2 hands on "sms_text": a mismatch, drawn apart
    ]
    shared = root.xpath("//bpmn:dataObjectReference[@name='contact_id']/@id", namespaces=NS)[0]
    assert root.xpath(
        f"//bpmn:dataOutputAssociation[bpmn:targetRef='{shared}']/../@id", namespaces=NS
    ) == ["Task_1"]
    assert root.xpath(
        f"//bpmn:dataInputAssociation[bpmn:sourceRef='{shared}']/../@id", namespaces=NS
    ) == ["Task_2"]


def test_what_bpmn_has_no_place_for_travels_in_the_apps_extension_elements():
    root = tree()
    step = root.xpath("//bpmn:userTask/bpmn:extensionElements/wm:step", namespaces=NS)[0]
    assert (step.get("tool"), step.get("wait_minutes"), step.get("manual_transfer")) == (
        "HubSpot",
        "47",
        "true",
    )
    assert step.xpath("wm:input/text()", namespaces=NS) == ["email", "company"]
    assert root.xpath("//bpmn:process/bpmn:extensionElements/wm:map/@kpi", namespaces=NS) == [
        "Meetings booked per week"
    ]


def test_the_diagram_draws_every_element_lanes_as_bands_left_to_right():
    root = tree()
    drawn = set(
        root.xpath("//bpmndi:BPMNShape/@bpmnElement|//bpmndi:BPMNEdge/@bpmnElement", namespaces=NS)
    )
    ids = set(root.xpath("//bpmn:process//*[@id]/@id", namespaces=NS))
    ids -= set(
        root.xpath(
            "//bpmn:dataObject/@id|//bpmn:laneSet/@id|//bpmn:property/@id"
            "|//bpmn:errorEventDefinition/@id",
            namespaces=NS,
        )
    )
    assert ids <= drawn
    assert all(
        e.xpath("di:waypoint", namespaces=NS)
        for e in root.xpath("//bpmndi:BPMNEdge", namespaces=NS)
    )

    def bounds(element):
        b = root.xpath(f"//bpmndi:BPMNShape[@bpmnElement='{element}']/dc:Bounds", namespaces=NS)[0]
        return {k: float(b.get(k)) for k in ("x", "y", "width", "height")}

    lane_1, lane_2 = bounds("Lane_1"), bounds("Lane_2")
    assert lane_1["y"] + lane_1["height"] == lane_2["y"] and lane_1["width"] > lane_1["height"]
    tasks = [bounds(f"Task_{n}") for n in (1, 2, 3)]
    assert tasks[0]["x"] < tasks[1]["x"] < tasks[2]["x"]
    assert lane_1["y"] <= tasks[0]["y"] < lane_2["y"] <= tasks[1]["y"]


def test_a_map_is_exported_as_a_descriptive_process_not_an_executable_one():
    assert tree().xpath("//bpmn:process/@isExecutable", namespaces=NS) == ["false"]
    assert tree(executable=True).xpath("//bpmn:process/@isExecutable", namespaces=NS) == ["true"]


def test_text_xml_cannot_carry_is_replaced_not_written():
    map_ = MapInput(name="A\x01B", steps=(StepInput(order=1, name="Ste\x0bp", actor=Actor.HUMAN),))
    root = tree(map_)
    assert names(root, "//bpmn:userTask") == ["Ste\ufffdp"]


# --- proved by the OMG XSDs and SpiffWorkflow ----------------------------------------------------


@pytest.mark.parametrize(
    "map_",
    [
        INBOUND,
        MapInput(name="Empty"),
        MapInput(name="No teams", steps=(StepInput(1, "Only", Actor.AI),)),
    ],
    ids=["inbound", "empty", "one-step"],
)
def test_the_export_validates_against_the_omg_bpmn_xsds(validator, map_):
    validator.validate(etree.fromstring(map_to_bpmn(map_)))


def test_the_xsd_check_can_fail(validator):
    # The same document with an incoming ref after the task's data association, where the
    # XSD's sequence does not allow it (the builder takes care to place refs first).
    broken = map_to_bpmn(INBOUND).replace(
        b"</bpmn:dataOutputAssociation>",
        b"</bpmn:dataOutputAssociation><bpmn:incoming>Flow_1</bpmn:incoming>",
        1,
    )
    with pytest.raises(ValidationException):
        validator.validate(etree.fromstring(broken))


def test_spiffworkflow_parses_the_export_into_a_process_with_the_same_tasks(validator):
    parser = BpmnParser(validator=validator)
    parser.add_bpmn_xml(etree.fromstring(map_to_bpmn(INBOUND, executable=True)))
    assert parser.get_process_ids() == ["Process_1"]
    spec = parser.get_spec("Process_1")
    tasks = sorted(
        (t.bpmn_id, t.bpmn_name, type(t).__name__)
        for t in spec.task_specs.values()
        if (t.bpmn_id or "").startswith("Task_")
    )
    assert tasks == [
        ("Task_1", "Look up contact", "UserTask"),
        ("Task_2", "Draft SMS", "ServiceTask"),
        ("Task_3", "Send SMS", "ServiceTask"),
    ]
    assert [
        lane
        for _, lane in sorted(
            (t.bpmn_id, t.lane)
            for t in spec.task_specs.values()
            if (t.bpmn_id or "").startswith("Task_")
        )
    ] == ["RevOps", "Marketing", "Marketing"]


def test_spiffworkflow_skips_the_descriptive_export_as_the_flag_says(validator):
    parser = BpmnParser(validator=validator)
    parser.add_bpmn_xml(etree.fromstring(map_to_bpmn(INBOUND)))
    assert parser.get_process_ids() == []


# --- the round trip -------------------------------------------------------------------------------


def test_an_exported_map_imports_back_the_same():
    imported = map_from_bpmn(parse_bpmn_bytes(map_to_bpmn(INBOUND)))
    assert imported.map == INBOUND
    assert imported.report.approximated == imported.report.dropped == ()
    assert "the values this app keeps in BPMN extension elements" in imported.report.imported


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\n\t\r"),
    max_size=30,
)
_NAME = _TEXT.filter(lambda s: s.strip())
_FIELDS = st.lists(st.text(alphabet="abcdefgh_, ", min_size=1, max_size=12), max_size=4).map(
    lambda names: tuple(dict.fromkeys(names))
)
_MINUTES = st.decimals(min_value=0, max_value=10_000, places=2)


@st.composite
def maps(draw):
    count = draw(st.integers(0, 6))
    teams = draw(st.lists(_TEXT, min_size=1, max_size=3))
    steps = tuple(
        StepInput(
            order=order,
            name=draw(_NAME),
            actor=draw(st.sampled_from(list(Actor))),
            tool=draw(_TEXT),
            owner=draw(_TEXT),
            team=draw(st.sampled_from(teams)),
            inputs=draw(_FIELDS),
            outputs=draw(_FIELDS),
            manual_transfer=draw(st.booleans()),
            process_minutes=draw(_MINUTES),
            wait_minutes=draw(_MINUTES),
            failure_route=draw(st.sampled_from(list(FailureRoute))),
            failure_target=draw(_TEXT),
            retry_max_tries=draw(st.integers(0, 10)),
            retry_wait_seconds=draw(st.decimals(min_value=0, max_value=600, places=3)),
            share_of_runs=draw(st.decimals(min_value=0, max_value=100, places=1)),
            done_criteria=draw(_TEXT),
        )
        for order in range(1, count + 1)
    )
    return MapInput(
        name=draw(_NAME),
        trigger=draw(_TEXT),
        outcome_owner=draw(_TEXT),
        outcome_logged=draw(st.booleans()),
        kpi=draw(_TEXT),
        runs_per_week=draw(st.decimals(min_value=0, max_value=1000, places=1)),
        steps=steps,
        notes=draw(_TEXT),
        time_saved_minutes=draw(st.none() | _MINUTES),
    )


@settings(max_examples=60, deadline=None)
@given(maps())
def test_any_map_survives_the_round_trip_through_bpmn(map_):
    assert map_from_bpmn(parse_bpmn_bytes(map_to_bpmn(map_))).map == map_


# --- a BPMN file drawn elsewhere -------------------------------------------------------------------

FOREIGN = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" id="Definitions_0x" targetNamespace="x">
  <bpmn:collaboration id="Collab">
    <bpmn:participant id="Pool" name="Lead handling" processRef="Process_A" />
    <bpmn:participant id="Customer" name="Customer" />
    <bpmn:messageFlow id="Msg" sourceRef="Customer" targetRef="Start" />
  </bpmn:collaboration>
  <bpmn:process id="Process_A" isExecutable="false">
    <bpmn:laneSet id="Lanes">
      <bpmn:lane id="L1" name="Sales"><bpmn:flowNodeRef>Qualify</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Call</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="L2" name="Marketing"><bpmn:flowNodeRef>Score</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Nurture</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Start" name="Form submitted" />
    <bpmn:serviceTask id="Score" name="Score lead" />
    <bpmn:task id="Qualify" name="Qualify lead" />
    <bpmn:exclusiveGateway id="Hot" name="Hot?" />
    <bpmn:userTask id="Call" name="Call lead" />
    <bpmn:subProcess id="Nurture" name="Nurture sequence">
      <bpmn:startEvent id="NS" /><bpmn:task id="NT" name="Send email" />
    </bpmn:subProcess>
    <bpmn:intermediateCatchEvent id="Wait" name="Two days"><bpmn:timerEventDefinition />
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End" />
    <bpmn:boundaryEvent id="ScoreFails" attachedToRef="Score"><bpmn:errorEventDefinition />
    </bpmn:boundaryEvent>
    <bpmn:userTask id="Manual" name="Score by hand" />
    <bpmn:boundaryEvent id="CallTimeout" attachedToRef="Call"><bpmn:timerEventDefinition />
    </bpmn:boundaryEvent>
    <bpmn:userTask id="Orphan" name="Old spreadsheet" />
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Score" />
    <bpmn:sequenceFlow id="f2" sourceRef="Score" targetRef="Qualify" />
    <bpmn:sequenceFlow id="f3" sourceRef="Qualify" targetRef="Hot" />
    <bpmn:sequenceFlow id="f4" sourceRef="Hot" targetRef="Call" />
    <bpmn:sequenceFlow id="f5" sourceRef="Hot" targetRef="Wait" />
    <bpmn:sequenceFlow id="f6" sourceRef="Wait" targetRef="Nurture" />
    <bpmn:sequenceFlow id="f7" sourceRef="Call" targetRef="End" />
    <bpmn:sequenceFlow id="f8" sourceRef="Nurture" targetRef="End" />
    <bpmn:sequenceFlow id="f9" sourceRef="ScoreFails" targetRef="Manual" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_foreign_process_becomes_a_map_with_a_report():
    imported = map_from_bpmn(parse_bpmn_bytes(FOREIGN))
    map_ = imported.map
    assert (map_.name, map_.trigger) == ("Lead handling", "Form submitted")
    assert [(s.name, s.actor, s.team, s.failure_summary) for s in map_.steps] == [
        ("Score lead", Actor.RULE, "Marketing", "queue → Score by hand"),
        ("Qualify lead", Actor.HUMAN, "Sales", "none"),
        ("Call lead", Actor.HUMAN, "Sales", "none"),
        ("Nurture sequence", Actor.HUMAN, "Marketing", "none"),
    ]
    report = imported.report
    assert report.imported == (
        "4 steps",
        "the trigger 'Form submitted'",
        "2 lanes as teams",
        "the failure routes of 1 of 4 steps",
    )
    assert report.approximated == (
        "exclusiveGateway 'Hot?' branches to 2 paths; flattened in order: Call lead, Two days",
        "every step after a branch counts as taken by 100% of runs; set each one's share of "
        "runs in the editor",
        "'Qualify lead' is an untyped task: taken as a human step",
        "the subProcess 'Nurture sequence' is one step; its 2 inner elements are dropped",
    )
    assert report.dropped == (
        "1 message flow between pools",
        "the intermediate event 'Two days' (passed through)",
        "1 gateway (the map is a sequence of steps)",
        "1 boundary event that are not error events on a step",
        "1 activity not reachable from the start event: Old spreadsheet",
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'<?xml version="1.0"?><root/>', "This is not a BPMN 2.0 file"),
        (
            f'<definitions xmlns="{BPMN}" id="d" targetNamespace="x"/>'.encode(),
            "The BPMN file has no process.",
        ),
        (
            f'<definitions xmlns="{BPMN}" id="d"><process id="p"><task id="t"/></process>'
            "</definitions>".encode(),
            "The process has no start event",
        ),
    ],
)
def test_a_file_that_is_not_a_usable_process_is_refused(raw, message):
    with pytest.raises(MapImportError) as caught:
        map_from_bpmn(parse_bpmn_bytes(raw))
    assert str(caught.value).startswith(message)


# --- hostile and broken files ------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">
<startEvent id="s" name="&secret;"/></process></definitions>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol3;</definitions>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE definitions SYSTEM "http://127.0.0.1:9/evil.dtd">
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>"""


@pytest.mark.parametrize("raw", [XXE, LAUGHS, EXTERNAL_DTD], ids=["xxe", "billion-laughs", "dtd"])
def test_hostile_xml_is_refused_with_a_clear_message(raw):
    with pytest.raises(MapImportError) as caught:
        parse_bpmn_bytes(raw)
    assert str(caught.value) == BPMN_HOSTILE


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"<definitions><process>", "The file is not well-formed XML (line 1, column 23)."),
        (b' {"nodes": []}', "This is not a BPMN file: it looks like JSON."),
        (b"<a>" * 70 + b"</a>" * 70, "The file nests more than 64 elements deep."),
        (b"<a>" + b"<b/>" * 20_001 + b"</a>", "The file has more than 20,000 XML elements"),
        (b"<a>" + b" " * 1_000_000 + b"</a>", "The file is too large: 1,000,007 bytes"),
    ],
)
def test_broken_or_oversized_xml_is_refused(raw, message):
    with pytest.raises(MapImportError) as caught:
        parse_bpmn_bytes(raw)
    assert str(caught.value).startswith(message)


def test_the_export_is_well_formed_utf8_with_a_declaration():
    raw = map_to_bpmn(INBOUND)
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert etree.parse(io.BytesIO(raw)).docinfo.encoding.lower() == "utf-8"

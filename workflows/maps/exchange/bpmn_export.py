"""A workflow map as BPMN 2.0 XML (``map_to_bpmn``), laid out so it opens drawn.

Pure module: standard library only (``xml.etree.ElementTree`` builds; nothing is parsed).
The elements are those of the OMG BPMN 2.0 specification (formal/2011-01-03): one pool (a
``participant`` of a ``collaboration``) whose ``process`` has a ``lane`` per team; a step
is a ``userTask`` when a human performs it and a ``serviceTask`` when AI or rule-based
automation does (section 10.3.3); ``sequenceFlow``s from a ``startEvent`` named after the
trigger through the steps to an ``endEvent``; a failure route is an error ``boundaryEvent``
on its step (section 10.4.5) flowing to an ``endEvent`` named after the route's target;
a step's data contract is a ``dataObjectReference`` (section 10.3.1), shared by two steps
when the output of one is exactly the input of the next. Diagram interchange (section 12,
BPMNDI) draws lanes as horizontal bands and steps left to right.

BPMN has no place for a step's tool, contracts, times or failure details, nor for the map's
owner, KPI or notes: they travel in ``extensionElements`` under the app's namespace
(``bpmn_xml.APP``), as ``<wm:map .../>`` on the process and ``<wm:step ...>`` on each task,
with the attribute names and values of our JSON format (``json_format.map_to_json``), so
the BPMN import gives the same map back.

The process is exported with ``isExecutable="false"``: the specification (section 10.2.1)
marks a process that documents work, not one an engine should run, as non-executable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # nosec B405 - builds XML, never parses it
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement  # nosec B405 - building only

from workflows.maps.shapes import ROUTE_WORDS, Actor, FailureRoute, MapInput, StepInput

from .bpmn_xml import APP, BPMN, BPMNDI, DC, DI, q
from .json_format import map_to_json

EXPORTER = "AI maturity benchmark"
EXPORTER_VERSION = "1"
# Layout, in BPMN DI pixels.
POOL_LABEL, LANE_LABEL = 30, 30
LANE_HEIGHT = 265
TASK_W, TASK_H, TASK_TOP = 100, 80, 95  # TASK_TOP: from the lane's top edge
EVENT = 36
DATA_W, DATA_H, DATA_TOP = 36, 50, 26  # a data object's label sits above it
STEP_PITCH = 180  # from one task's left edge to the next
FAILURE_TOP = 205  # a failure end event's top, from the lane's top edge
LABEL_H = 28
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MAP_ATTRIBUTES = ("trigger", "outcome_owner", "outcome_logged", "kpi", "runs_per_week", "notes")
_STEP_SKIPPED = ("order", "name", "team", "inputs", "outputs")


def map_to_bpmn(map_: MapInput, *, executable: bool = False) -> bytes:
    """The map as a BPMN 2.0 document: UTF-8 bytes with an XML declaration.

    Ids are stable for a given map: ``Process_1``, ``Lane_<n>``, ``Task_<order>``,
    ``Boundary_<order>``, ``Failure_<order>``, ``Flow_<n>``, ``Data_<n>``. Text a user
    typed that XML 1.0 cannot carry (control characters) is replaced by U+FFFD.
    ``executable`` sets ``isExecutable`` (False, as the specification intends for a map;
    a test passes True where an engine's parser takes only executable processes).
    """
    builder = _Builder(map_)
    return builder.build(executable)


@dataclass
class _Builder:
    map: MapInput
    flows: int = 0
    data: int = 0
    shapes: list[tuple[str, float, float, float, float, bool]] = field(default_factory=list)
    labels: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    data_at: dict[str, tuple[float, float]] = field(default_factory=dict)  # ref -> top left
    edges: list[tuple[str, list[tuple[float, float]]]] = field(default_factory=list)

    def build(self, executable: bool) -> bytes:
        root = Element(
            q(BPMN, "definitions"),
            {
                "id": "Definitions_1",
                "targetNamespace": APP,
                "exporter": EXPORTER,
                "exporterVersion": EXPORTER_VERSION,
            },
        )
        SubElement(root, q(BPMN, "error"), id="Error_StepFailed", name="Step failed")
        collaboration = SubElement(root, q(BPMN, "collaboration"), id="Collaboration_1")
        SubElement(
            collaboration,
            q(BPMN, "participant"),
            id="Participant_1",
            name=_text(self.map.name),
            processRef="Process_1",
        )
        process = SubElement(
            root,
            q(BPMN, "process"),
            id="Process_1",
            name=_text(self.map.name),
            isExecutable="true" if executable else "false",
        )
        self._map_extension(process)
        self._process(process)
        self._diagram(root)
        ET.indent(root, space="  ")
        return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))

    # --- the process ----------------------------------------------------------------------

    def _map_extension(self, process: Element) -> None:
        exported = map_to_json(self.map)
        values = {key: _value(exported[key]) for key in _MAP_ATTRIBUTES}
        if self.map.time_saved_minutes is not None:
            values["time_saved_minutes"] = str(self.map.time_saved_minutes)
        extension = SubElement(process, q(BPMN, "extensionElements"))
        SubElement(extension, q(APP, "map"), values)

    def _process(self, process: Element) -> None:
        steps = self.map.steps
        teams = list(dict.fromkeys(step.team for step in steps))
        lane_of = {team: index for index, team in enumerate(teams)}
        self.lane_count = max(len(teams), 1)
        width = POOL_LABEL + LANE_LABEL + 60 + EVENT + (len(steps) + 1) * STEP_PITCH + EVENT
        self.width = float(width)
        members: dict[int, list[str]] = {index: [] for index in range(len(teams))}

        first_lane = lane_of[steps[0].team] if steps else 0
        last_lane = lane_of[steps[-1].team] if steps else 0
        start_x = POOL_LABEL + LANE_LABEL + 40
        start = self._node(process, "startEvent", "StartEvent_1", self.map.trigger)
        self._shape("StartEvent_1", start_x, self._mid(first_lane) - EVENT / 2, EVENT, EVENT)
        members.setdefault(first_lane, []).append("StartEvent_1")

        previous, previous_box = start, (start_x, self._mid(first_lane), EVENT)
        shared: str | None = None  # the data object the previous step's output became
        for index, step in enumerate(steps):
            lane = lane_of[step.team]
            x = start_x + EVENT + 60 + index * STEP_PITCH
            task_id = f"Task_{step.order}"
            tag = "userTask" if step.actor == Actor.HUMAN else "serviceTask"
            task = self._node(process, tag, task_id, step.name, extension=_step_extension(step))
            self._shape(task_id, x, self._top(lane) + TASK_TOP, TASK_W, TASK_H)
            members[lane].append(task_id)
            self._flow(process, previous, task, previous_box, (x, self._mid(lane), TASK_W))
            shared = self._contracts(process, task, step, index, x, lane, shared)
            if step.has_error_route:
                members[lane].extend(self._failure(process, step, task_id, x, lane))
            previous, previous_box = task, (x, self._mid(lane), TASK_W)

        end_x = start_x + EVENT + 60 + len(steps) * STEP_PITCH
        end = self._node(process, "endEvent", "EndEvent_1", "Done")
        self._shape("EndEvent_1", end_x, self._mid(last_lane) - EVENT / 2, EVENT, EVENT)
        members.setdefault(last_lane, []).append("EndEvent_1")
        self._flow(process, previous, end, previous_box, (end_x, self._mid(last_lane), EVENT))
        if teams:
            self._lanes(process, teams, members)

    def _lanes(self, process: Element, teams: list[str], members: dict[int, list[str]]) -> None:
        lane_set = Element(q(BPMN, "laneSet"), id="LaneSet_1")
        for index, team in enumerate(teams):
            lane = SubElement(lane_set, q(BPMN, "lane"), id=f"Lane_{index + 1}")
            if team:
                lane.set("name", _text(team))
            for ref in members[index]:
                SubElement(lane, q(BPMN, "flowNodeRef")).text = ref
            self._shape(
                f"Lane_{index + 1}",
                POOL_LABEL,
                self._top(index),
                self.width - POOL_LABEL,
                LANE_HEIGHT,
                horizontal=True,
            )
        process.insert(1, lane_set)  # after extensionElements, before every flow element

    def _node(
        self, process: Element, tag: str, node_id: str, name: str, extension: Element | None = None
    ) -> Element:
        node = SubElement(process, q(BPMN, tag), id=node_id)
        if name:
            node.set("name", _text(name))
        if extension is not None:
            SubElement(node, q(BPMN, "extensionElements")).append(extension)
        return node

    def _flow(
        self,
        process: Element,
        source: Element,
        target: Element,
        source_box: tuple[float, float, float],
        target_box: tuple[float, float, float],
    ) -> None:
        """A sequence flow, with its incoming/outgoing refs placed where the XSD wants them
        (after extensionElements, before any data association)."""
        self.flows += 1
        flow_id = f"Flow_{self.flows}"
        _insert_ref(source, "outgoing", flow_id)
        _insert_ref(target, "incoming", flow_id)
        SubElement(
            process,
            q(BPMN, "sequenceFlow"),
            id=flow_id,
            sourceRef=source.get("id", ""),
            targetRef=target.get("id", ""),
        )
        (sx, sy, sw), (tx, ty, _) = source_box, target_box
        out_x = sx + sw
        if sy == ty:
            self.edges.append((flow_id, [(out_x, sy), (tx, ty)]))
        else:  # across lanes: out, down or up in the gap, then in
            bend = out_x + (tx - out_x) / 2
            self.edges.append((flow_id, [(out_x, sy), (bend, sy), (bend, ty), (tx, ty)]))

    def _contracts(
        self,
        process: Element,
        task: Element,
        step: StepInput,
        index: int,
        x: float,
        lane: int,
        shared: str | None,
    ) -> str | None:
        """Data objects for the step's input and output contracts; returns the output's
        reference id, for the next step to share when its input is the same fields."""
        top = self._top(lane) + DATA_TOP
        task_top = self._top(lane) + TASK_TOP
        previous = self.map.steps[index - 1] if index else None
        if step.inputs:
            if shared is not None and previous is not None and previous.outputs == step.inputs:
                ref = shared
            else:
                ref = self._data_object(process, step.inputs, x + 4, top)
            # tDataInputAssociation's targetRef must name an element: the placeholder
            # property bpmn-js and Camunda Modeler write for a task without ioSpecification.
            placeholder = f"{task.get('id')}_input"
            SubElement(task, q(BPMN, "property"), id=placeholder, name="__targetRef_placeholder")
            association_id = f"{ref}_in_{index}"
            association = SubElement(task, q(BPMN, "dataInputAssociation"), id=association_id)
            SubElement(association, q(BPMN, "sourceRef")).text = ref
            SubElement(association, q(BPMN, "targetRef")).text = placeholder
            ox, oy = self.data_at[ref]
            if ref == shared:  # from the previous step's output: right, then down or up
                side = oy + DATA_H / 2
                points = [(ox + DATA_W, side), (x + 22, side), (x + 22, task_top)]
            else:
                points = [(ox + DATA_W / 2, oy + DATA_H), (ox + DATA_W / 2, task_top)]
            self.edges.append((association_id, points))
        if not step.outputs:
            return None
        ref = self._data_object(process, step.outputs, x + TASK_W - DATA_W - 4, top)
        association = SubElement(task, q(BPMN, "dataOutputAssociation"), id=f"{ref}_out")
        SubElement(association, q(BPMN, "targetRef")).text = ref
        out_x = x + TASK_W - DATA_W / 2 - 4
        self.edges.append((association.get("id", ""), [(out_x, task_top), (out_x, top + DATA_H)]))
        return ref

    def _data_object(self, process: Element, fields: tuple[str, ...], x: float, y: float) -> str:
        self.data += 1
        object_id, ref = f"DataObject_{self.data}", f"Data_{self.data}"
        SubElement(process, q(BPMN, "dataObject"), id=object_id)
        SubElement(
            process,
            q(BPMN, "dataObjectReference"),
            id=ref,
            name=_text(", ".join(fields)),
            dataObjectRef=object_id,
        )
        self._shape(ref, x, y, DATA_W, DATA_H)
        self.data_at[ref] = (x, y)
        self.labels[ref] = (x + DATA_W / 2 - 27, y - 18, 54, 16)  # above: clear of the arrows
        return ref

    def _failure(
        self, process: Element, step: StepInput, task_id: str, x: float, lane: int
    ) -> list[str]:
        """The step's error boundary event and the end event its failures flow to."""
        boundary_id, failure_id = f"Boundary_{step.order}", f"Failure_{step.order}"
        boundary = self._node(process, "boundaryEvent", boundary_id, step.failure_summary)
        boundary.set("attachedToRef", task_id)
        route = FailureRoute(step.failure_route)
        target_name = step.failure_target.strip() or (
            "retries exhausted"
            if route in (FailureRoute.NONE, FailureRoute.RETRY)
            else ROUTE_WORDS[route]
        )
        failure = self._node(process, "endEvent", failure_id, target_name)
        SubElement(
            boundary,
            q(BPMN, "errorEventDefinition"),
            id=f"{boundary_id}_error",
            errorRef="Error_StepFailed",
        )
        center = x + TASK_W / 2
        task_bottom = self._top(lane) + TASK_TOP + TASK_H
        self._shape(boundary_id, center - EVENT / 2, task_bottom - EVENT / 2, EVENT, EVENT)
        # The route's label beside the event, so it never covers the end event below it.
        self.labels[boundary_id] = (center + EVENT / 2 + 2, task_bottom + 2, 88, LABEL_H)
        failure_top = self._top(lane) + FAILURE_TOP
        self._shape(failure_id, center - EVENT / 2, failure_top, EVENT, EVENT)
        self.flows += 1
        flow_id = f"Flow_{self.flows}"
        _insert_ref(boundary, "outgoing", flow_id)
        _insert_ref(failure, "incoming", flow_id)
        SubElement(
            process,
            q(BPMN, "sequenceFlow"),
            id=flow_id,
            sourceRef=boundary_id,
            targetRef=failure_id,
        )
        self.edges.append((flow_id, [(center, task_bottom + EVENT / 2), (center, failure_top)]))
        return [boundary_id, failure_id]

    # --- the diagram ----------------------------------------------------------------------

    def _top(self, lane: int) -> float:
        return float(lane * LANE_HEIGHT)

    def _mid(self, lane: int) -> float:
        return self._top(lane) + TASK_TOP + TASK_H / 2

    def _shape(
        self, element: str, x: float, y: float, w: float, h: float, *, horizontal: bool = False
    ) -> None:
        self.shapes.append((element, x, y, w, h, horizontal))

    def _diagram(self, root: Element) -> None:
        diagram = SubElement(root, q(BPMNDI, "BPMNDiagram"), id="BPMNDiagram_1")
        plane = SubElement(
            diagram, q(BPMNDI, "BPMNPlane"), id="BPMNPlane_1", bpmnElement="Collaboration_1"
        )
        pool = SubElement(
            plane,
            q(BPMNDI, "BPMNShape"),
            id="Participant_1_di",
            bpmnElement="Participant_1",
            isHorizontal="true",
        )
        _bounds(pool, 0, 0, self.width, self.lane_count * LANE_HEIGHT)
        for element, x, y, w, h, horizontal in self.shapes:
            shape = SubElement(
                plane, q(BPMNDI, "BPMNShape"), id=f"{element}_di", bpmnElement=element
            )
            if horizontal:
                shape.set("isHorizontal", "true")
            _bounds(shape, x, y, w, h)
            if element in self.labels:
                _bounds(SubElement(shape, q(BPMNDI, "BPMNLabel")), *self.labels[element])
        for element, points in self.edges:
            edge = SubElement(plane, q(BPMNDI, "BPMNEdge"), id=f"{element}_di", bpmnElement=element)
            for px, py in points:
                SubElement(edge, q(DI, "waypoint"), x=_num(px), y=_num(py))


def _step_extension(step: StepInput) -> Element:
    """``<wm:step actor=... tool=...><wm:input>field</wm:input>...</wm:step>``: the step's
    values in our JSON format's names, contracts as child elements (a field name may hold
    a comma)."""
    exported = map_to_json(MapInput(name="", steps=(step,)))["steps"][0]
    values = {key: _value(value) for key, value in exported.items() if key not in _STEP_SKIPPED}
    extension = Element(q(APP, "step"), values)
    for tag, fields in (("input", step.inputs), ("output", step.outputs)):
        for name in fields:
            SubElement(extension, q(APP, tag)).text = _text(name)
    return extension


def _insert_ref(node: Element, tag: str, flow_id: str) -> None:
    """Add an incoming/outgoing ref after extensionElements and the refs already there, as
    tFlowNode's sequence in the XSD orders them (incoming before outgoing)."""
    position = 0
    for position, child in enumerate(node, 1):
        if child.tag not in (q(BPMN, "extensionElements"), q(BPMN, "incoming")) and not (
            tag == "outgoing" and child.tag == q(BPMN, "outgoing")
        ):
            position -= 1
            break
    ref = Element(q(BPMN, tag))
    ref.text = flow_id
    node.insert(position, ref)


def _bounds(shape: Element, x: float, y: float, w: float, h: float) -> None:
    SubElement(shape, q(DC, "Bounds"), x=_num(x), y=_num(y), width=_num(w), height=_num(h))


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _text(str(value))


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)

"""A BPMN 2.0 process read as a map (``map_from_bpmn``), with a report of what was imported,
approximated and dropped, as the n8n import reports.

Pure module: standard library and defusedxml (through ``bpmn_xml``). Element meanings are
the OMG BPMN 2.0 specification's (formal/2011-01-03): activities (section 10.3) become
steps, lanes (10.7) teams, sequence flows (10.4) the order, error boundary events (10.4.5)
failure routes, data objects (10.3.1) data contracts. What the map cannot hold (gateways,
intermediate events, a subprocess's inside, message flows, other pools) is reported.

A file this app exported carries ``<wm:map>`` and ``<wm:step>`` extension elements
(``bpmn_export``): when present they give the values BPMN has no place for, and the
import gives back the map that was exported. Every value is then checked as our JSON
import checks it (``json_format.map_from_json``), so limits and problems read the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element  # nosec B405 - the type; defusedxml parses

from workflows.maps.shapes import MAP_SETTINGS, STEP_NAME_CHARS, TRIGGER_CHARS

from .bpmn_xml import APP, BPMN, q
from .common import ImportReport, MapImport, MapImportError, count
from .json_format import FORMAT, MAX_NAME_CHARS, VERSION, map_from_json

BPMN_NOT_A_PROCESS = "This is not a BPMN 2.0 file: its root element is not bpmn:definitions."
BPMN_NO_PROCESS = "The BPMN file has no process."
BPMN_NO_START = "The process has no start event; a map starts from its trigger."
HUMAN_TASKS = {"userTask": "human", "manualTask": "human", "task": "human"}
AUTOMATED_TASKS = ("serviceTask", "scriptTask", "businessRuleTask", "sendTask", "receiveTask")
SUBPROCESSES = ("subProcess", "callActivity", "transaction", "adHocSubProcess")
GATEWAYS = (
    "exclusiveGateway",
    "inclusiveGateway",
    "parallelGateway",
    "eventBasedGateway",
    "complexGateway",
)
PASSING_EVENTS = ("intermediateCatchEvent", "intermediateThrowEvent")
_BOOLEAN_KEYS = ("manual_transfer", "outcome_logged")


@dataclass
class _Report:
    approximated: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def map_from_bpmn(root: Element, *, name: str = "") -> MapImport:
    """Read the first pool's process of a parsed BPMN file (``bpmn_xml.parse_bpmn_bytes``)
    as a map, with a report.

    Steps are the activities reached from the first start event along sequence flows,
    breadth first in document order, each once; gateways and intermediate events are
    passed through (flattened, every step at 100% of runs, reported); a subprocess or
    call activity is one step (its inside dropped, reported). A step's team is the name of
    its lane (the innermost of nested lanes); its actor human for user, manual and untyped
    tasks, rule-based for service, script, business rule, send and receive tasks; its
    contracts the names of the data objects associated with it; its failure route, for an
    error boundary event, a queue to the element(s) the event flows to (those are not
    steps). ``<wm:step>`` / ``<wm:map>`` extension elements, where present, give the exact
    values. The trigger is the start event's name. The map is named ``name``, else the
    process's or pool's name, else "Imported BPMN process".

    Raises:
        MapImportError: not a BPMN definitions root (BPMN_NOT_A_PROCESS); no process
            (BPMN_NO_PROCESS); no start event (BPMN_NO_START); values the JSON import
            would refuse (named by step position, as there); more steps than allowed.
    """
    if root.tag != q(BPMN, "definitions"):
        raise MapImportError([BPMN_NOT_A_PROCESS])
    report = _Report()
    process, pool_name = _choose_process(root, report)
    nodes = {n.get("id", ""): n for n in process if n.get("id")}
    flows = [n for n in process if _local(n) == "sequenceFlow"]
    outgoing: dict[str, list[str]] = {}
    for flow in flows:
        outgoing.setdefault(flow.get("sourceRef", ""), []).append(flow.get("targetRef", ""))
    starts = [n for n in process if _local(n) == "startEvent"]
    if not starts:
        raise MapImportError([BPMN_NO_START])
    if len(starts) > 1:
        report.dropped.append(
            f"{count(len(starts) - 1, 'other start event')} (the map starts from the first)"
        )
    start = starts[0]
    reached = _walk(start.get("id", ""), nodes, outgoing, report)
    steps = [nodes[i] for i in reached if _is_activity(nodes[i])]
    boundaries = _boundaries(process, {s.get("id", "") for s in steps})
    failure_nodes = {t for b in boundaries.values() for t in outgoing.get(b.get("id", ""), [])}
    lanes = _lanes(process, report)
    data_names = {
        n.get("id", ""): n.get("name", "") for n in process if _local(n) == "dataObjectReference"
    }
    map_extension = _extension(process, "map")

    raw_steps = [
        _raw_step(node, lanes, boundaries, outgoing, nodes, data_names, report) for node in steps
    ]
    _report_leftovers(process, set(reached) | failure_nodes, boundaries, report)
    trigger = start.get("name", "").strip()
    raw: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "name": _first_named(name, process.get("name", ""), pool_name)[:MAX_NAME_CHARS]
        or "Imported BPMN process",
        "trigger": trigger[:TRIGGER_CHARS],
        "steps": raw_steps,
    }
    if len(trigger) > TRIGGER_CHARS:
        report.approximated.append(f"the start event's name is cut to {TRIGGER_CHARS} characters")
    carries = {"trigger"}
    if map_extension is not None:
        values = _attributes(map_extension)
        carries |= {key for key in MAP_SETTINGS if key in values}
        raw.update({key: values[key] for key in MAP_SETTINGS if key in values})
    map_ = map_from_json(raw)
    imported = [count(len(map_.steps), "step"), f"the trigger '{map_.trigger}'"]
    teams = {s.team for s in map_.steps if s.team}
    if teams:
        imported.append(f"{count(len(teams), 'lane')} as teams")
    routed = sum(1 for s in map_.steps if s.has_error_route)
    if routed:
        imported.append(f"the failure routes of {routed} of {count(len(map_.steps), 'step')}")
    extended = sum(1 for s in steps if _extension(s, "step") is not None)
    if extended or map_extension is not None:
        imported.append("the values this app keeps in BPMN extension elements")
    return MapImport(map_, frozenset(carries), ImportReport(tuple(imported), *_sentences(report)))


def _sentences(report: _Report) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(report.approximated), tuple(report.dropped)


def _choose_process(root: Element, report: _Report) -> tuple[Element, str]:
    processes = [p for p in root if p.tag == q(BPMN, "process")]
    if not processes:
        raise MapImportError([BPMN_NO_PROCESS])
    participants = [p for p in root.iter(q(BPMN, "participant")) if p.get("processRef")]
    by_id = {p.get("id"): p for p in processes}
    pooled = [
        (by_id[p.get("processRef")], p.get("name", ""))
        for p in participants
        if p.get("processRef") in by_id
    ]
    chosen, pool_name = pooled[0] if pooled else (processes[0], "")
    if len(processes) > 1:
        report.dropped.append(
            f"{count(len(processes) - 1, 'other process')} (other pools); the map is "
            f"'{chosen.get('name') or pool_name or chosen.get('id')}'"
        )
    flows = sum(1 for _ in root.iter(q(BPMN, "messageFlow")))
    if flows:
        report.dropped.append(f"{count(flows, 'message flow')} between pools")
    return chosen, pool_name


def _walk(
    start: str, nodes: dict[str, Element], outgoing: dict[str, list[str]], report: _Report
) -> list[str]:
    reached, seen, position = [start], {start}, 0
    branched = False
    while position < len(reached):
        node_id = reached[position]
        node = nodes.get(node_id)
        targets = [t for t in outgoing.get(node_id, []) if t in nodes]
        kind = _local(node) if node is not None else ""
        if kind in GATEWAYS:
            if len(targets) > 1:
                branched = True
                names = ", ".join(_label(nodes[t]) for t in targets)
                report.approximated.append(
                    f"{kind} '{_label(node)}' branches to {len(targets)} paths; flattened in "
                    f"order: {names}"
                )
        elif kind in PASSING_EVENTS:
            report.dropped.append(f"the intermediate event '{_label(node)}' (passed through)")
        elif position and len(targets) > 1:
            branched = True
            report.approximated.append(
                f"'{_label(node)}' flows to {len(targets)} elements; flattened in order"
            )
        for target in targets:
            if target not in seen:
                seen.add(target)
                reached.append(target)
        position += 1
    if branched:
        report.approximated.append(
            "every step after a branch counts as taken by 100% of runs; set each one's share "
            "of runs in the editor"
        )
    return reached


def _boundaries(process: Element, step_ids: set[str]) -> dict[str, Element]:
    """Step id -> its first error boundary event."""
    found: dict[str, Element] = {}
    for node in process:
        attached = node.get("attachedToRef", "")
        if (
            _local(node) == "boundaryEvent"
            and attached in step_ids
            and attached not in found
            and node.find(q(BPMN, "errorEventDefinition")) is not None
        ):
            found[attached] = node
    return found


def _lanes(process: Element, report: _Report) -> dict[str, str]:
    """Flow node id -> the name of its innermost lane."""
    lanes: dict[str, str] = {}
    nested = False
    for lane in process.iter(q(BPMN, "lane")):  # document order: inner lanes come later
        name = lane.get("name", "")
        if lane.find(q(BPMN, "childLaneSet")) is not None:
            nested = True
        for ref in lane.findall(q(BPMN, "flowNodeRef")):
            lanes[(ref.text or "").strip()] = name
    if nested:
        report.approximated.append("nested lanes are read as their innermost lane")
    return lanes


def _raw_step(
    node: Element,
    lanes: dict[str, str],
    boundaries: dict[str, Element],
    outgoing: dict[str, list[str]],
    nodes: dict[str, Element],
    data_names: dict[str, str],
    report: _Report,
) -> dict[str, Any]:
    node_id, kind = node.get("id", ""), _local(node)
    name = node.get("name", "")  # kept as written: the round trip gives back the same name
    if not name.strip():
        name = f"Unnamed {kind}"
        report.approximated.append(f"the {kind} '{node_id}' has no name; it is '{name}'")
    if len(name) > STEP_NAME_CHARS:
        report.approximated.append(f"the name of '{name[:40]}...' is cut to {STEP_NAME_CHARS}")
        name = name[:STEP_NAME_CHARS]
    raw: dict[str, Any] = {"name": name, "team": lanes.get(node_id, "")}
    extension = _extension(node, "step")
    if extension is not None:
        raw.update(_attributes(extension))
        raw["inputs"] = [(e.text or "") for e in extension.findall(q(APP, "input"))]
        raw["outputs"] = [(e.text or "") for e in extension.findall(q(APP, "output"))]
        return raw
    raw["actor"] = HUMAN_TASKS.get(kind, "rule" if kind in AUTOMATED_TASKS else "human")
    if kind == "task":
        report.approximated.append(f"'{name}' is an untyped task: taken as a human step")
    if kind in SUBPROCESSES:
        inside = sum(1 for child in node if child.get("id") and _local(child) != "sequenceFlow")
        report.approximated.append(
            f"the {kind} '{name}' is one step"
            + (f"; its {inside} inner elements are dropped" if inside else "")
        )
    raw["inputs"] = _data(node, "dataInputAssociation", "sourceRef", data_names)
    raw["outputs"] = _data(node, "dataOutputAssociation", "targetRef", data_names)
    boundary = boundaries.get(node_id)
    if boundary is not None:
        targets = [_label(nodes[t]) for t in outgoing.get(boundary.get("id", ""), []) if t in nodes]
        raw["failure_route"] = "queue"
        raw["failure_target"] = (", ".join(targets) or _label(boundary))[:200]
    return raw


def _data(node: Element, tag: str, ref_tag: str, data_names: dict[str, str]) -> list[str]:
    names = []
    for association in node.findall(q(BPMN, tag)):
        for ref in association.findall(q(BPMN, ref_tag)):
            name = data_names.get((ref.text or "").strip(), "").strip()
            if name and name not in names:
                names.append(name[:100])
    return names


def _report_leftovers(
    process: Element, used: set[str], boundaries: dict[str, Element], report: _Report
) -> None:
    kept_boundaries = {b.get("id") for b in boundaries.values()}
    skipped, gateways, events, other_boundaries = [], 0, 0, 0
    for node in process:
        kind, node_id = _local(node), node.get("id", "")
        if kind in GATEWAYS:
            gateways += 1
        elif kind == "boundaryEvent" and node_id not in kept_boundaries:
            other_boundaries += 1
        elif _is_activity(node) and node_id not in used:
            skipped.append(_label(node))
        elif kind in PASSING_EVENTS and node_id not in used:
            events += 1
    if gateways:
        report.dropped.append(f"{count(gateways, 'gateway')} (the map is a sequence of steps)")
    if other_boundaries:
        report.dropped.append(
            f"{count(other_boundaries, 'boundary event')} that are not error events on a step"
        )
    if events:
        report.dropped.append(f"{count(events, 'intermediate event')} not on the path")
    if skipped:
        noun = "activity" if len(skipped) == 1 else "activities"
        report.dropped.append(
            f"{len(skipped)} {noun} not reachable from the start event: {', '.join(skipped)}"
        )


def _first_named(*names: str) -> str:
    return next((n for n in names if n.strip()), "")


def _extension(node: Element, tag: str) -> Element | None:
    extensions = node.find(q(BPMN, "extensionElements"))
    return None if extensions is None else extensions.find(q(APP, tag))


def _attributes(element: Element) -> dict[str, Any]:
    values: dict[str, Any] = dict(element.attrib)
    for key in _BOOLEAN_KEYS:
        if key in values:
            values[key] = {"true": True, "false": False}.get(values[key], values[key])
    return values


def _is_activity(node: Element) -> bool:
    kind = _local(node)
    return kind in HUMAN_TASKS or kind in AUTOMATED_TASKS or kind in SUBPROCESSES


def _label(node: Element | None) -> str:
    if node is None:
        return ""
    return (node.get("name") or "").strip() or node.get("id", "")


def _local(node: Element | None) -> str:
    if node is None or not isinstance(node.tag, str):
        return ""
    return node.tag.rsplit("}", 1)[-1] if node.tag.startswith(f"{{{BPMN}}}") else ""

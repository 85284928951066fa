"""An n8n workflow export read as a map (``map_from_n8n``), with a report of what was
imported, approximated and dropped.

Pure module: standard library only. The rules follow what n8n itself does with the file
(paths are in github.com/n8n-io/n8n):

- Retries: ``retryOnFail`` with ``maxTries`` (tries in total, default 3, clamped to 2..5)
  and ``waitBetweenTries`` (ms, default 1000, clamped to 0..5000); both defaults apply to
  0 too (JavaScript ``||``). packages/core/src/execution-engine/workflow-execute.ts, the
  retry loop (``getRetryParams`` in newer versions).
- ``onError``: "stopWorkflow" (the default) fails the run; "continueRegularOutput" passes
  failed items on as ordinary output; "continueErrorOutput" moves them to an extra, last
  "main" output (``handleNodeErrorOutput`` in workflow-execute.ts; the output is added by
  ``getNodeOutputs`` in packages/workflow/src/node-helpers.ts). The deprecated
  ``continueOnFail: true`` behaves as "continueRegularOutput".
- ``settings.errorWorkflow`` (a workflow id; "" or "DEFAULT" for none) runs when a run
  fails, so it catches the failures of steps that fail the run, not of steps that
  continue on error. packages/workflow/src/interfaces.ts ``IWorkflowSettings``.
- ``settings.timeSavedPerExecution`` is minutes per successful run (the insights module
  records it as ``time_saved_min``: packages/cli/src/modules/insights/); with
  ``timeSavedMode: "dynamic"`` Time Saved nodes count it instead and the number is unused.
- A disabled node passes the data of its first input to its first output and does nothing
  else (``runNode`` in workflow-execute.ts), so the chain goes on through output 0 only.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from workflows.maps.shapes import (
    FAILURE_TARGET_CHARS,
    Actor,
    FailureRoute,
    MapInput,
    StepInput,
    describe_failure_route,
    format_seconds,
)

from .common import ImportReport, MapImport, MapImportError, count, show, to_decimal
from .n8n_graph import Graph, Node, one_workflow, read_graph
from .n8n_settings import Report, read_error_workflow, read_notes, read_time_saved

N8N_NO_TRIGGER = "The workflow has no trigger node; n8n imports start from a trigger."
DEFAULT_MAX_TRIES, MIN_MAX_TRIES, MAX_MAX_TRIES = 3, 2, 5
DEFAULT_WAIT_MS, MAX_WAIT_MS = 1000, 5000
_BRANCH_KINDS = {"if": "IF", "switch": "Switch", "filter": "Filter"}


def map_from_n8n(data: object, *, name: str = "") -> MapImport:
    """Read an n8n workflow export (1.x or 2.x, ``{"nodes": [...], "connections": {...}}``,
    or the list of one such workflow that ``n8n export:workflow --id`` writes) as a map,
    with a report.

    The trigger (a node type ending in "Trigger"/"trigger", or webhook / manualTrigger /
    scheduleTrigger; of several, the first enabled one by x with no incoming connection)
    becomes ``trigger`` as "Name (shortType)". Steps are the nodes on the happy path: those
    reached from the trigger breadth first along "main" outputs (output index order, then
    connection order), each once, not following error outputs, and through a disabled node
    only along its first output. Disabled nodes are dropped (n8n passes their input on);
    branching nodes are flattened with a note, every step at 100% of runs. Sub-nodes
    attached through an AI connection (a chat model, a tool, a memory) are part of their
    host's step, and an attached chat model names the step's tool. Actor AI for AI node
    types, else rule; team blank; times 0 (unknown).

    A step's failure route: an error output with something connected is a queue to the
    node(s) it leads to (those nodes are not steps); retries keep their tries and wait as
    n8n runs them; the error workflow catches the rest of the steps that fail the run.
    Sticky notes become the map's notes; ``timeSavedPerExecution`` its time saved per run.
    The map is named ``name``, else the workflow's name, else "Imported n8n workflow". The
    import carries the trigger, and the notes and time saved when the file has them.

    Raises:
        MapImportError: as ``n8n_graph.read_graph`` (including connections naming a node
            the workflow does not have), a file of several workflows
            (``n8n_graph.one_workflow``), and when there is no trigger (N8N_NO_TRIGGER).
    """
    graph = read_graph(one_workflow(data))
    report = Report()
    trigger = _choose_trigger(graph, report)
    happy, error_outputs, branches = _walk(graph, trigger.name, report)
    error_only = _error_branches(graph, error_outputs, set(happy))
    error_workflow = read_error_workflow(graph, report)

    steps: list[StepInput] = []
    for node_name in happy[1:]:
        node = graph.by_name[node_name]
        if node.is_trigger:
            continue  # another trigger reached through a connection starts nothing here
        if node.disabled:
            report.dropped.append(f"disabled node '{node.name}' (n8n passes its input straight on)")
            continue
        steps.append(
            _step(node, len(steps) + 1, graph, error_outputs.get(node.name), error_workflow, report)
        )
    report.approximated.extend(branches)
    if branches:
        report.approximated.append(
            "every step after a branch counts as taken by 100% of runs; set each one's share "
            "of runs in the editor"
        )
    for host, targets in error_outputs.items():
        if targets:
            report.approximated.append(
                f"the error output of '{host}' leads to {', '.join(targets)}: kept as the "
                "step's failure route, not as steps"
            )
    further = [n for n in error_only if all(n not in t for t in error_outputs.values())]
    if further:
        report.dropped.append(
            f"{count(len(further), 'node')} further along error outputs: {', '.join(further)}"
        )
    attached = _attached_to([*happy, *error_only], graph)
    report.approximated.extend(
        f"'{sub}' is attached to '{host}' ({kind}); it is part of that step"
        for sub, (host, kind) in attached.items()
    )
    accounted = {*happy, *error_only, *attached} | {n.name for n in graph.nodes if n.is_trigger}
    skipped = [n.name for n in graph.nodes if n.name not in accounted]
    if skipped:
        report.dropped.append(
            f"{count(len(skipped), 'node')} not reachable from the trigger: {', '.join(skipped)}"
        )
    notes = read_notes(graph, report)
    time_saved = read_time_saved(graph, report)

    map_ = MapInput(
        name=name.strip() or graph.name[:300] or "Imported n8n workflow",
        trigger=f"{trigger.name} ({trigger.short_type})",
        steps=tuple(steps),
        notes=notes,
        time_saved_minutes=time_saved,
    )
    carries = {"trigger"} | ({"notes"} if notes else set())
    carries |= {"time_saved_minutes"} if time_saved is not None else set()
    return MapImport(map_, frozenset(carries), _final_report(map_, graph, report))


def _final_report(map_: MapInput, graph: Graph, report: Report) -> ImportReport:
    imported = [count(len(map_.steps), "step"), f"the trigger '{map_.trigger}'"]
    routed = sum(1 for s in map_.steps if s.has_error_route)
    if routed:
        imported.append(f"the failure routes of {routed} of {count(len(map_.steps), 'step')}")
    if map_.notes:
        imported.append(f"{count(len(graph.sticky_notes), 'sticky note')} as the map's notes")
    if map_.time_saved_minutes is not None:
        imported.append(f"the time saved per run ({map_.time_saved_minutes} min)")
    if not map_.steps:
        report.approximated.append(
            f"the trigger '{map_.trigger}' leads to no steps; the map has none"
        )
    return ImportReport(tuple(imported), tuple(report.approximated), tuple(report.dropped))


# --- the graph walk -----------------------------------------------------------------------------


def _choose_trigger(graph: Graph, report: Report) -> Node:
    triggers = [node for node in graph.nodes if node.is_trigger]
    if not triggers:
        raise MapImportError([N8N_NO_TRIGGER])
    incoming = {t for outputs in graph.outputs.values() for targets in outputs for t in targets}
    incoming |= set(graph.attachments)
    candidates = [n for n in triggers if not n.disabled] or triggers
    starts = [node for node in candidates if node.name not in incoming] or candidates
    chosen = min(starts, key=lambda node: node.x)  # min keeps the first of equal x
    if len(triggers) > 1:
        others = [node.name for node in triggers if node is not chosen]
        report.dropped.append(
            f"{count(len(others), 'other trigger')}: {', '.join(others)} "
            f"(the map starts from '{chosen.name}')"
        )
    return chosen


def _walk(
    graph: Graph, start: str, report: Report
) -> tuple[list[str], dict[str, tuple[str, ...]], list[str]]:
    """The happy path breadth first from ``start``; each continueErrorOutput node's error
    targets; a sentence per node that branches."""
    reached, seen = [start], {start}
    error_outputs: dict[str, tuple[str, ...]] = {}
    branches: list[str] = []
    position = 0
    while position < len(reached):
        node = graph.by_name[reached[position]]
        outputs = graph.outputs.get(node.name, ())
        if node.disabled:
            followed = outputs[:1]
        elif node.raw.get("onError") == "continueErrorOutput":
            index = _error_output_index(node, outputs, report)
            followed = outputs[:index]
            error = outputs[index] if index < len(outputs) else ()
            error_outputs[node.name] = tuple(dict.fromkeys(error))
        else:
            followed = outputs
        targets = list(dict.fromkeys(t for output in followed for t in output))
        if len(targets) > 1 and not node.disabled and position > 0:
            kind = _BRANCH_KINDS.get(node.short_type.lower(), node.tool)
            branches.append(
                f"{kind} '{node.name}' branches to {len(targets)} paths; "
                f"flattened in order: {', '.join(targets)}"
            )
        for target in targets:
            if target not in seen:
                seen.add(target)
                reached.append(target)
        position += 1
    return reached, error_outputs, branches


def _error_output_index(node: Node, outputs: tuple[tuple[str, ...], ...], report: Report) -> int:
    """The index of the error output: the number of regular "main" outputs, as n8n adds the
    error output after them. IF has 2 (true, false); Switch one per rule, plus one for an
    "extra" fallback output; Loop Over Items (v3) 2 (done, loop); other nodes 1."""
    short = node.short_type.lower()
    parameters = node.raw.get("parameters")
    parameters = parameters if isinstance(parameters, dict) else {}
    if short == "if":
        return 2
    if short == "splitinbatches" and _number(node.raw.get("typeVersion")) >= 3:
        return 2
    if short == "switch":
        rules = parameters.get("rules")
        values = rules.get("values", rules.get("rules")) if isinstance(rules, dict) else None
        if isinstance(values, list):
            options = parameters.get("options")
            extra = isinstance(options, dict) and options.get("fallbackOutput") == "extra"
            return max(len(values), 1) + int(extra)
        guess = max(len(outputs) - 1, 1)
        report.approximated.append(
            f"the outputs of Switch '{node.name}' could not be counted; its last output "
            f"({guess}) is taken as its error output"
        )
        return guess
    return 1


def _error_branches(
    graph: Graph, error_outputs: dict[str, tuple[str, ...]], happy: set[str]
) -> list[str]:
    """Nodes reached only through error outputs, breadth first along every output."""
    found: list[str] = []
    seen = set(happy)
    pending = [t for targets in error_outputs.values() for t in targets]
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        found.append(name)
        pending.extend(t for output in graph.outputs.get(name, ()) for t in output)
    return found


def _attached_to(reached: list[str], graph: Graph) -> dict[str, tuple[str, str]]:
    """Sub-node -> (host, connection type) for sub-nodes attached to a reached node, directly
    or through other sub-nodes (an embeddings model on a vector-store tool on an agent)."""
    found: dict[str, tuple[str, str]] = {}
    pending = list(reached)
    seen = set(reached)
    while pending:
        host = pending.pop(0)
        for sub, kind in graph.attachments.get(host, ()):
            if sub not in seen:
                seen.add(sub)
                pending.append(sub)
                found[sub] = (host, kind)
    return found


# --- one step -----------------------------------------------------------------------------------


def _step(
    node: Node,
    order: int,
    graph: Graph,
    error_targets: tuple[str, ...] | None,
    error_workflow: str,
    report: Report,
) -> StepInput:
    tool = node.tool
    attached = graph.attachments.get(node.name, ())
    model = next((sub for sub, kind in attached if kind == "ai_languageModel"), None)
    if model is not None:
        tool = graph.by_name[model].tool  # the agent's tool is its chat model
    tries, wait = _retry(node, report)
    route = FailureRoute.RETRY if tries else FailureRoute.NONE
    target = ""
    on_error = node.raw.get("onError")
    if error_targets is not None:  # onError: continueErrorOutput
        if error_targets:
            route, target = FailureRoute.QUEUE, _names(node, error_targets, report)
        else:
            report.approximated.append(
                f"the error output of '{node.name}' is connected to nothing: n8n drops its "
                f"failed items there, so its failure route is "
                f"{describe_failure_route(route, '', tries, wait)}"
            )
    elif on_error == "continueRegularOutput" or (
        on_error is None and node.raw.get("continueOnFail") is True
    ):
        report.approximated.append(
            f"'{node.name}' continues on error: n8n passes its failed items on as ordinary "
            "output, and the error workflow never sees them"
        )
    elif error_workflow:
        target = f"error workflow {error_workflow}"
        route = FailureRoute.DEAD_LETTER if route == FailureRoute.NONE else route
    return StepInput(
        order=order,
        name=node.name,
        actor=Actor.AI if node.is_ai else Actor.RULE,
        tool=tool,
        failure_route=route,
        failure_target=target,
        retry_max_tries=tries,
        retry_wait_seconds=wait,
    )


def _retry(node: Node, report: Report) -> tuple[int, Decimal]:
    """(tries in total, seconds between them) as n8n runs the node; (0, 0) without
    ``retryOnFail``."""
    if node.raw.get("retryOnFail") is not True:
        return 0, Decimal(0)
    given_tries, given_wait = node.raw.get("maxTries"), node.raw.get("waitBetweenTries")
    tries = math.ceil(_number(given_tries)) or DEFAULT_MAX_TRIES
    tries = min(MAX_MAX_TRIES, max(MIN_MAX_TRIES, tries))
    wait_ms = _number(given_wait) or Decimal(DEFAULT_WAIT_MS)
    wait_ms = min(Decimal(MAX_WAIT_MS), max(Decimal(0), wait_ms))
    seconds = (wait_ms / 1000).quantize(Decimal("0.001"), ROUND_HALF_UP)
    changed = []
    if given_tries is not None and _number(given_tries) != tries:
        changed.append(f"maxTries {show(given_tries)}")
    if given_wait is not None and _number(given_wait) != wait_ms:
        changed.append(f"waitBetweenTries {show(given_wait)} ms")
    if changed:
        report.approximated.append(
            f"'{node.name}' retries as n8n runs it, {tries} tries {format_seconds(seconds)} "
            f"apart (the file says {' and '.join(changed)})"
        )
    return tries, seconds


def _names(node: Node, targets: tuple[str, ...], report: Report) -> str:
    joined = ", ".join(targets)
    if len(joined) <= FAILURE_TARGET_CHARS:
        return joined
    report.approximated.append(
        f"the error output of '{node.name}' leads to {count(len(targets), 'node')}; "
        f"the failure route names the first, '{targets[0]}'"
    )
    return targets[0]


def _number(value: object) -> Decimal:
    """A JSON number as Decimal; 0 for anything else (n8n's defaults then apply)."""
    number = to_decimal(value) if not isinstance(value, str) else None
    return number if number is not None and number > 0 else Decimal(0)

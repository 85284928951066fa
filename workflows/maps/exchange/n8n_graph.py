"""Reading an n8n workflow export into a checked graph: nodes, sticky notes, connections.

Pure module: standard library only. The export shape is n8n's ``IWorkflowBase``
(packages/workflow/src/interfaces.ts): ``{"name", "nodes": [INode], "connections":
IConnections, "settings": IWorkflowSettings, ...}``, the same in the 1.x and 2.x exports
(2.x adds ``nodes[].id``, ``versionId``, ``activeVersionId``, ``meta`` and ``pinData``,
which a map has no use for). ``IConnections`` is ``{source name: {connection type:
[output index -> [{"node": target name, "type", "index"}] or null]}}``: "main" links carry
the data from step to step; other types ("ai_languageModel", "ai_tool", "ai_memory", ...)
attach a sub-node to the node they point at. Sticky notes are nodes of type
``n8n-nodes-base.stickyNote`` whose ``parameters.content`` is markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workflows.maps.shapes import STEP_NAME_CHARS, TOOL_CHARS

from .common import MAX_STEPS, MapImportError, json_kind
from .sniff import JsonKind, refuse_unless

N8N_NOT_AN_EXPORT = "This is not an n8n workflow export: it has no nodes and connections."
N8N_STICKY = "n8n-nodes-base.stickyNote"
_AI_MARKERS = ("langchain", "openai", "anthropic", "lmchat", "agent", "gemini", "mistral", "ollama")
# Node type short name, lower-cased -> tool. Anything else: camelCase split and title-cased.
N8N_TOOLS = {
    "agent": "n8n AI Agent",
    "airtable": "Airtable",
    "anthropic": "Anthropic",
    "calendly": "Calendly",
    "chainllm": "n8n LLM Chain",
    "clearbit": "Clearbit",
    "code": "n8n Code",
    "emailsend": "Email (SMTP)",
    "filter": "n8n Filter",
    "function": "n8n Function",
    "gmail": "Gmail",
    "googlecalendar": "Google Calendar",
    "googlegemini": "Google Gemini",
    "googlesheets": "Google Sheets",
    "httprequest": "HTTP Request",
    "hubspot": "HubSpot",
    "if": "n8n IF",
    "lmchatanthropic": "Anthropic",
    "lmchatgooglegemini": "Google Gemini",
    "lmchatmistralcloud": "Mistral",
    "lmchatollama": "Ollama",
    "lmchatopenai": "OpenAI",
    "merge": "n8n Merge",
    "microsoftoutlook": "Microsoft Outlook",
    "microsoftteams": "Microsoft Teams",
    "noop": "n8n No Op",
    "openai": "OpenAI",
    "pipedrive": "Pipedrive",
    "respondtowebhook": "n8n Respond to Webhook",
    "salesforce": "Salesforce",
    "set": "n8n Edit Fields",
    "slack": "Slack",
    "splitinbatches": "n8n Loop",
    "switch": "n8n Switch",
    "twilio": "Twilio",
    "wait": "n8n Wait",
    "webhook": "Webhook",
}
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TRIGGER_TYPES = frozenset(
    {"n8n-nodes-base.webhook", "n8n-nodes-base.manualTrigger", "n8n-nodes-base.scheduleTrigger"}
)


@dataclass(frozen=True)
class Node:
    """One n8n node (never a sticky note); ``x`` its canvas position, ``raw`` the INode."""

    name: str
    type: str
    x: float | Decimal
    raw: dict[str, Any]

    @property
    def short_type(self) -> str:
        """``n8n-nodes-base.hubspot`` -> ``hubspot``; ``@n8n/...langchain.openAi`` ->
        ``openAi``."""
        return self.type.rsplit(".", 1)[-1]

    @property
    def tool(self) -> str:
        """The tool the node type names: N8N_TOOLS, else its short type split at camelCase
        and title-cased ("n8n-nodes-base.activeCampaign" -> "Active Campaign")."""
        short = self.short_type
        known = N8N_TOOLS.get(short.lower())
        if known is not None:
            return known
        words = _CAMEL_BOUNDARY.sub(" ", short).replace("-", " ").replace("_", " ").split()
        return (" ".join(word[:1].upper() + word[1:] for word in words) or short)[:TOOL_CHARS]

    @property
    def is_ai(self) -> bool:
        lowered = self.type.lower()
        return any(marker in lowered for marker in _AI_MARKERS)

    @property
    def disabled(self) -> bool:
        return self.raw.get("disabled") is True

    @property
    def is_trigger(self) -> bool:
        return self.type.endswith(("Trigger", "trigger")) or self.type in _TRIGGER_TYPES


@dataclass(frozen=True)
class Graph:
    """A checked n8n workflow.

    ``outputs[name]`` holds the node's "main" outputs by index, each the target names in
    connection order (an output with nothing connected is empty). ``attachments[host]``
    holds (sub-node, connection type) for every non-main link pointing at ``host``.
    ``sticky_notes`` are the non-blank sticky note contents in node order; ``settings`` the
    workflow's settings object ({} when absent).
    """

    nodes: tuple[Node, ...]
    by_name: dict[str, Node]
    outputs: dict[str, tuple[tuple[str, ...], ...]]
    attachments: dict[str, tuple[tuple[str, str], ...]]
    sticky_notes: tuple[str, ...]
    settings: dict[str, Any]
    name: str


def read_graph(data: object) -> Graph:
    """Check an n8n export and read it as a graph.

    Raises:
        MapImportError: not an object; foreign JSON (N8N_NOT_AN_EXPORT and what the file
            looks like: ``sniff.refuse_unless``); no "nodes" list;
            "connections" not an object; a node without name or type, or with a name longer
            than a step name; duplicate node names; more than MAX_STEPS nodes; malformed
            connections; connections from or to a node the workflow does not have (each
            one named: n8n drops such links when it opens the file, so a map built without
            them would silently miss steps).
    """
    if not isinstance(data, dict):
        raise MapImportError(
            [f"An n8n workflow export is a JSON object; this is {json_kind(data)}."]
        )
    refuse_unless(data, JsonKind.N8N, N8N_NOT_AN_EXPORT)
    raw_nodes, connections = data.get("nodes"), data.get("connections")
    if not isinstance(raw_nodes, list):
        raise MapImportError(['The workflow has no "nodes" list.'])
    if not isinstance(connections, dict):
        raise MapImportError(['The workflow\'s "connections" must be an object.'])
    if len(raw_nodes) > MAX_STEPS:
        raise MapImportError(
            [f"The workflow has {len(raw_nodes)} nodes; the limit is {MAX_STEPS}."]
        )
    nodes, stickies = _read_nodes(raw_nodes)
    by_name = {node.name: node for node in nodes}
    outputs, attachments = _read_connections(connections, by_name)
    settings = data.get("settings")
    name = data.get("name")
    return Graph(
        nodes=tuple(nodes),
        by_name=by_name,
        outputs=outputs,
        attachments=attachments,
        sticky_notes=tuple(stickies),
        settings=settings if isinstance(settings, dict) else {},
        name=name.strip() if isinstance(name, str) else "",
    )


def _read_nodes(raw_nodes: list[Any]) -> tuple[list[Node], list[str]]:
    problems: list[str] = []
    nodes: list[Node] = []
    stickies: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_nodes, 1):
        if not isinstance(raw, dict):
            problems.append(f"node {position}: must be an object, got {json_kind(raw)}")
            continue
        node_name, node_type = raw.get("name"), raw.get("type")
        if not isinstance(node_name, str) or not node_name.strip():
            problems.append(f"node {position}: has no name")
            continue
        if not isinstance(node_type, str) or not node_type.strip():
            problems.append(f"node {position} ('{node_name}'): has no type")
            continue
        if len(node_name) > STEP_NAME_CHARS:
            problems.append(f"node {position}: name is longer than {STEP_NAME_CHARS} characters")
            continue
        if node_name in seen:
            problems.append(f"Two nodes are named '{node_name}'; node names must be unique.")
            continue
        seen.add(node_name)
        if node_type == N8N_STICKY:
            parameters = raw.get("parameters")
            content = parameters.get("content") if isinstance(parameters, dict) else None
            if isinstance(content, str) and content.strip():
                stickies.append(content.strip())
        else:
            nodes.append(Node(node_name, node_type, _position_x(raw), raw))
    if problems:
        raise MapImportError(problems)
    return nodes, stickies


def _position_x(raw: dict[str, Any]) -> float | Decimal:
    position = raw.get("position")
    if isinstance(position, list) and position:
        x = position[0]
        if isinstance(x, int | float | Decimal) and not isinstance(x, bool):
            return x
    return float("inf")  # no usable position: after every placed node


def _read_connections(
    connections: dict[str, Any], by_name: dict[str, Node]
) -> tuple[dict[str, tuple[tuple[str, ...], ...]], dict[str, tuple[tuple[str, str], ...]]]:
    outputs: dict[str, tuple[tuple[str, ...], ...]] = {}
    attachments: dict[str, list[tuple[str, str]]] = {}
    problems: list[str] = []
    for source, by_type in connections.items():
        if not isinstance(by_type, dict):
            problems.append(f"The connections of '{source}' are malformed.")
            continue
        if source not in by_name:
            problems.append(
                f"The connections name '{source}' as a source, but the workflow has no node "
                "of that name."
            )
            continue
        for kind, raw_outputs in by_type.items():
            read = _read_outputs(raw_outputs)
            if read is None:
                problems.append(f"The connections of '{source}' are malformed.")
                break
            for target in dict.fromkeys(t for targets in read for t in targets):
                if target not in by_name:
                    problems.append(
                        f"'{source}' connects to '{target}', but the workflow has no node "
                        "of that name."
                    )
            if kind == "main":
                outputs[source] = read
            else:
                for target in dict.fromkeys(t for targets in read for t in targets):
                    attachments.setdefault(target, []).append((source, kind))
    if problems:
        raise MapImportError(problems)
    return outputs, {host: tuple(subs) for host, subs in attachments.items()}


def _read_outputs(raw_outputs: object) -> tuple[tuple[str, ...], ...] | None:
    """Target names per output index; None for a malformed shape."""
    if raw_outputs is None:
        return ()
    if not isinstance(raw_outputs, list):
        return None
    read: list[tuple[str, ...]] = []
    for output in raw_outputs:
        targets = list(_output_targets(output))
        if None in targets:
            return None
        read.append(tuple(t for t in targets if t is not None))
    return tuple(read)


def _output_targets(output: object) -> Iterator[str | None]:
    if output is None:
        return  # n8n writes null for an output with nothing connected
    if not isinstance(output, list):
        yield None
        return
    for link in output:
        if not isinstance(link, dict) or not isinstance(link.get("node"), str):
            yield None
            return
        yield link["node"]


def one_workflow(data: object) -> object:
    """The workflow in a file n8n's CLI wrote, else ``data`` unchanged (for read_graph).

    ``n8n export:workflow`` writes a JSON list of workflows: one for ``--id``, all of them
    for ``--all``; ``--separate`` (and the editor's download) writes the workflow object
    itself (packages/cli/src/commands/export/workflow.ts; seen in n8n 1.123.81's files).
    A list of one workflow gives that workflow; a list that is not all workflows is left
    as it is, and read_graph refuses it as a list.

    Raises:
        MapImportError: a list of several workflows, named (else counted by id), saying how
            to export one.
    """
    if not isinstance(data, list) or not data:
        return data
    if not all(isinstance(item, dict) and isinstance(item.get("nodes"), list) for item in data):
        return data
    if len(data) == 1:
        return data[0]
    names = [_workflow_label(item, position) for position, item in enumerate(data, 1)]
    raise MapImportError(
        [
            f"This file holds {len(data)} n8n workflows: {', '.join(names)} (n8n "
            "export:workflow --all writes them together). A map is one workflow: export it "
            "alone with --id=<workflow id>, or every one to its own file with --all --separate."
        ]
    )


def _workflow_label(workflow: dict[str, Any], position: int) -> str:
    for key in ("name", "id"):
        value = workflow.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:STEP_NAME_CHARS]
    return f"workflow {position}"

"""Exchange formats for a workflow map: our JSON export, a Mermaid flowchart, an n8n import.

Pure module: standard library only, no clock. Shapes are ``workflows.mapping``.

- ``map_to_json`` / ``map_from_json``: a versioned JSON format of ours
  (``{"format": FORMAT, "version": VERSION, ...}``); Decimals travel as strings so nothing
  is lost; ``StepInput.key`` is not exported. ``parse_json_bytes`` turns an uploaded file
  into the object ``map_from_json`` and ``map_from_n8n`` read.
- ``map_to_mermaid``: a ``flowchart LR`` with one lane (subgraph) per team.
- ``map_from_n8n``: an n8n workflow export read as a map from its trigger, with notes on
  what was flattened or skipped.

Every import problem raises ``MapImportError``, a ValueError whose ``problems`` are plain
sentences a user can act on; step problems name the step by its position ("step 3: ...").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from workflows.mapping import Actor, FailureRoute, MapInput, StepInput

FORMAT = "ai-maturity-workflow-map"
VERSION = 1
MAX_STEPS = 200
MAX_NAME_CHARS = 300  # names and every other short text: tool, owner, team, contract fields
MAX_DONE_CHARS = 2000
MAX_CONTRACT_FIELDS = 100  # per inputs / outputs list
MAX_MINUTES = Decimal(1_000_000)  # about two years; also the cap on runs per week
MAX_BYTES = 1_000_000
MAX_PROBLEMS_IN_MESSAGE = 10

_TEXT_FIELDS = ("tool", "owner", "team")
_ACTORS = ", ".join(a.value for a in Actor)
_ROUTES = ", ".join(r.value for r in FailureRoute)


class MapImportError(ValueError):
    """An import that cannot be read. ``problems`` lists every problem found, in order; the
    message is the single problem, or a count followed by the first few."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(_summarize(self.problems))


def _summarize(problems: list[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    shown = "; ".join(problems[:MAX_PROBLEMS_IN_MESSAGE])
    more = len(problems) - MAX_PROBLEMS_IN_MESSAGE
    return f"{len(problems)} problems: {shown}" + (f"; and {more} more" if more > 0 else "")


# --- bytes -> JSON ----------------------------------------------------------------------------


def parse_json_bytes(raw: bytes, *, max_bytes: int = MAX_BYTES) -> object:
    """Decode an uploaded file as UTF-8 JSON (a leading byte-order mark is allowed).

    Numbers with a fraction come back as Decimal, so "2.5" stays exact; NaN and Infinity are
    refused, as JSON has neither.

    Raises:
        MapImportError: when the file is larger than ``max_bytes``, is not UTF-8, is not
            JSON, or nests too deeply.
    """
    if len(raw) > max_bytes:
        raise MapImportError(
            [f"The file is too large: {len(raw):,} bytes; the limit is {max_bytes:,} bytes."]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MapImportError(
            [f"The file is not UTF-8 text (a bad byte at position {error.start})."]
        ) from None
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise MapImportError(
            [
                f"The file is not valid JSON: {error.msg} at line {error.lineno}, "
                f"column {error.colno}."
            ]
        ) from None
    except RecursionError:
        raise MapImportError(["The file is not usable JSON: it nests too deeply."]) from None
    except ValueError:  # an integer too long to convert, or NaN / Infinity
        raise MapImportError(
            ["The file is not usable JSON: a number is too long, or is NaN or Infinity."]
        ) from None


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


# --- our JSON format ----------------------------------------------------------------------------


def map_to_json(map_: MapInput) -> dict[str, Any]:
    """The map as a JSON-ready dict in our versioned format.

    Shape: ``{"format", "version", "name", "trigger", "outcome_owner", "outcome_logged",
    "kpi", "runs_per_week", "steps": [{"order", "name", "actor", "tool", "owner", "team",
    "inputs", "outputs", "manual_transfer", "process_minutes", "wait_minutes",
    "failure_route", "done_criteria"}]}``; Decimals as strings ("2.5"), enums as their
    values, contracts as lists. ``key`` is the caller's id and stays behind.
    """
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": map_.name,
        "trigger": map_.trigger,
        "outcome_owner": map_.outcome_owner,
        "outcome_logged": map_.outcome_logged,
        "kpi": map_.kpi,
        "runs_per_week": str(map_.runs_per_week),
        "steps": [
            {
                "order": step.order,
                "name": step.name,
                "actor": Actor(step.actor).value,
                "tool": step.tool,
                "owner": step.owner,
                "team": step.team,
                "inputs": list(step.inputs),
                "outputs": list(step.outputs),
                "manual_transfer": step.manual_transfer,
                "process_minutes": str(step.process_minutes),
                "wait_minutes": str(step.wait_minutes),
                "failure_route": FailureRoute(step.failure_route).value,
                "done_criteria": step.done_criteria,
            }
            for step in map_.steps
        ],
    }


def map_from_json(data: object) -> MapInput:
    """Read a map from our JSON format (as ``map_to_json`` writes it), checking everything.

    Required: ``format``, ``version``, a non-blank ``name``, and per step a non-blank
    ``name`` and an ``actor``. Other fields default as in ``StepInput`` / ``MapInput``
    (null counts as absent). Numbers may be JSON numbers or decimal strings, zero or more,
    at most MAX_MINUTES. Either every step has an ``order`` and together they are 1..n
    (steps are then sorted by it), or no step has one and steps are numbered by position.
    Unknown keys are ignored. ``map_from_json(map_to_json(m)) == m`` when every key is "".

    Raises:
        MapImportError: listing every problem: not an object, wrong or missing format or
            version, missing names, unknown actor or failure route, negative or non-numeric
            minutes, contracts that are not lists of text, text too long (MAX_NAME_CHARS,
            MAX_DONE_CHARS for done criteria), more than MAX_STEPS steps, orders not 1..n.
    """
    if not isinstance(data, dict):
        raise MapImportError([f"A map export is a JSON object; this is {_json_kind(data)}."])
    if data.get("format") != FORMAT:
        hint = " (this looks like an n8n workflow)" if _looks_like_n8n(data) else ""
        raise MapImportError([f"format must be {FORMAT!r}: this is not a workflow map{hint}"])
    version = data.get("version")
    if type(version) is not int or version != VERSION:
        raise MapImportError([f"version must be {VERSION}, got {_show(version)}"])

    problems: list[str] = []
    fields = _Fields(data, "", problems)
    name = fields.text("name", required=True)
    trigger = fields.text("trigger")
    outcome_owner = fields.text("outcome_owner")
    outcome_logged = fields.flag("outcome_logged")
    kpi = fields.text("kpi")
    runs_per_week = fields.number("runs_per_week")
    raw_steps = data.get("steps", [])
    if raw_steps is None:
        raw_steps = []
    if not isinstance(raw_steps, list):
        problems.append("steps must be a list")
        raw_steps = []
    if len(raw_steps) > MAX_STEPS:
        raise MapImportError(
            [*problems, f"The map has {len(raw_steps)} steps; the limit is {MAX_STEPS}."]
        )
    steps = [_read_step(raw, position, problems) for position, raw in enumerate(raw_steps, 1)]
    orders = _read_orders(raw_steps, problems)
    if problems:
        raise MapImportError(problems)
    read = [step for step in steps if step is not None]
    if orders:  # every order given and 1..n: sort by it (sorted() keeps ties in place)
        read = [step for _, step in sorted(zip(orders, read, strict=True), key=lambda p: p[0])]
    return MapInput(
        name=name,
        trigger=trigger,
        outcome_owner=outcome_owner,
        outcome_logged=outcome_logged,
        kpi=kpi,
        runs_per_week=runs_per_week,
        steps=tuple(replace(step, order=position) for position, step in enumerate(read, 1)),
    )


class _Fields:
    """Reads typed fields from one JSON object, appending problems prefixed with ``where``."""

    def __init__(self, data: dict[str, Any], where: str, problems: list[str]) -> None:
        self.data, self.where, self.problems = data, where, problems

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.where}{message}")

    def text(self, key: str, *, required: bool = False, limit: int = MAX_NAME_CHARS) -> str:
        value = self.data.get(key)
        if value is None or (required and isinstance(value, str) and not value.strip()):
            if required:
                self.problem(f"{key} is missing")
            return ""
        if not isinstance(value, str):
            self.problem(f"{key} must be text, got {_json_kind(value)}")
            return ""
        if len(value) > limit:
            self.problem(f"{key} is longer than {limit} characters ({len(value)})")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(f"{key} must be true or false, got {_show(value)}")
            return False
        return value

    def number(self, key: str) -> Decimal:
        value = self.data.get(key)
        if value is None:
            return Decimal(0)
        number = _to_decimal(value)
        if number is None or not 0 <= number <= MAX_MINUTES:
            self.problem(f"{key} must be a number from 0 to {MAX_MINUTES}, got {_show(value)}")
            return Decimal(0)
        return number

    def choice(self, key: str, choices: str, default: str) -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, str) and value.lower() in choices.split(", "):
            return value.lower()
        self.problem(f"{key} must be one of {choices}")
        return default

    def contract(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(f"{key} must be a list of field names, got {_json_kind(value)}")
            return ()
        if len(value) > MAX_CONTRACT_FIELDS:
            self.problem(f"{key} has {len(value)} fields; the limit is {MAX_CONTRACT_FIELDS}")
            return ()
        for index, item in enumerate(value, 1):
            if not isinstance(item, str):
                self.problem(f"{key} item {index} must be text, got {_json_kind(item)}")
            elif len(item) > MAX_NAME_CHARS:
                self.problem(f"{key} item {index} is longer than {MAX_NAME_CHARS} characters")
        return tuple(item for item in value if isinstance(item, str))


def _read_step(raw: object, position: int, problems: list[str]) -> StepInput | None:
    where = f"step {position}: "
    if not isinstance(raw, dict):
        problems.append(f"{where}must be an object, got {_json_kind(raw)}")
        return None
    fields = _Fields(raw, where, problems)
    if "actor" not in raw or raw["actor"] is None:
        fields.problem(f"actor is missing (one of {_ACTORS})")
    return StepInput(
        order=position,
        name=fields.text("name", required=True),
        actor=Actor(fields.choice("actor", _ACTORS, Actor.HUMAN.value)),
        tool=fields.text("tool"),
        owner=fields.text("owner"),
        team=fields.text("team"),
        inputs=fields.contract("inputs"),
        outputs=fields.contract("outputs"),
        manual_transfer=fields.flag("manual_transfer"),
        process_minutes=fields.number("process_minutes"),
        wait_minutes=fields.number("wait_minutes"),
        failure_route=FailureRoute(fields.choice("failure_route", _ROUTES, "none")),
        done_criteria=fields.text("done_criteria", limit=MAX_DONE_CHARS),
    )


def _read_orders(raw_steps: list[Any], problems: list[str]) -> list[int]:
    """Each step's order, by position; [] when no step has one (number by position)."""
    given = [isinstance(raw, dict) and raw.get("order") is not None for raw in raw_steps]
    if not any(given):
        return []
    count = len(raw_steps)
    orders: list[int] = []
    first_with: dict[int, int] = {}
    for position, raw in enumerate(raw_steps, 1):
        if not isinstance(raw, dict):
            orders.append(0)
            continue
        order = raw.get("order")
        where = f"step {position}: "
        if order is None:
            problems.append(f"{where}order is missing (give every step an order, or none)")
        elif type(order) is not int:
            problems.append(f"{where}order must be a whole number, got {_show(order)}")
        elif not 1 <= order <= count:
            problems.append(f"{where}order must be from 1 to {count}, got {order}")
        elif order in first_with:
            problems.append(f"{where}order {order} is already used by step {first_with[order]}")
        else:
            first_with[order] = position
        orders.append(order if type(order) is int else 0)
    return orders


def _to_decimal(value: object) -> Decimal | None:
    """A finite Decimal from a JSON number or a decimal string; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str) and len(value) <= 100:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _json_kind(value: object) -> str:
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (type(None), "null"),
        (bool, "true/false"),
        ((int, float, Decimal), "a number"),
        (str, "text"),
        (list, "a list"),
        (dict, "an object"),
    ]
    return next((name for kind, name in kinds if isinstance(value, kind)), "an unknown value")


def _show(value: object) -> str:
    if isinstance(value, str | int | float | Decimal | type(None)):
        shown = json.dumps(value, default=str)
        return shown if len(shown) <= 40 else shown[:37] + "..."
    return _json_kind(value)


# --- Mermaid ------------------------------------------------------------------------------------

_SHAPES = {Actor.HUMAN: ('["', '"]'), Actor.AI: ('(["', '"])'), Actor.RULE: ('[["', '"]]')}
MANUAL_CLASS = "classDef manual fill:#fdecea,stroke:#c62828,stroke-width:2px,stroke-dasharray:5 5"
_MERMAID_ESCAPES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def map_to_mermaid(map_: MapInput) -> str:
    """The map as Mermaid flowchart text (no trailing newline).

    ``flowchart LR``; a trigger node ``t0(("..."))`` linked to the first step when the
    trigger is set; one ``subgraph laneN["Team"]`` per team in order of first appearance
    (blank team: "Unassigned"); one node per step ``sN["order. Name<br/>Tool"]`` shaped by
    actor (human ``["..."]``, AI ``(["..."])``, rule ``[["..."]]``); edges between
    consecutive steps labelled ``|wait N min|`` unless the wait is 0; manual-transfer steps
    in the red dashed ``manual`` class. Node ids are by position, lane ids generated; user
    text is escaped with Mermaid entity codes and never leaves its quotes.
    """
    lines = ["flowchart LR"]
    if map_.trigger.strip():
        lines.append(f'    t0(("{mermaid_text(map_.trigger)}"))')
    lanes: dict[str, list[str]] = {}
    for position, step in enumerate(map_.steps, 1):
        opening, closing = _SHAPES[Actor(step.actor)]
        label = f"{step.order}. {mermaid_text(step.name)}"
        if step.tool.strip():
            label += f"<br/>{mermaid_text(step.tool)}"
        team = step.team.strip() or "Unassigned"
        lanes.setdefault(team, []).append(f"s{position}{opening}{label}{closing}")
    for number, (team, nodes) in enumerate(lanes.items(), 1):
        lines.append(f'    subgraph lane{number}["{mermaid_text(team)}"]')
        lines.extend(f"        {node}" for node in nodes)
        lines.append("    end")
    if map_.trigger.strip() and map_.steps:
        lines.append("    t0 --> s1")
    for position, step in enumerate(map_.steps[:-1], 1):
        wait = step.wait_minutes
        label = f"|wait {_format_number(wait)} min| " if wait else " "
        lines.append(f"    s{position} -->{label}s{position + 1}")
    manual = [f"s{p}" for p, step in enumerate(map_.steps, 1) if step.manual_transfer]
    if manual:
        lines.append(f"    {MANUAL_CLASS}")
        lines.append(f"    class {','.join(manual)} manual")
    return "\n".join(lines)


def mermaid_text(text: str) -> str:
    """User text made inert inside a quoted Mermaid label: control characters and line breaks
    become one space; ``# " < > & ` `` become Mermaid entity codes (``#quot;`` etc.)."""
    flat = _LINE_BREAKS.sub(" ", text).strip()
    return "".join(_MERMAID_ESCAPES.get(char, char) for char in flat)


def _format_number(value: Decimal) -> str:
    """``47`` for 47.0, ``2.5`` for 2.50: no trailing zeros, never scientific notation."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# --- n8n ------------------------------------------------------------------------------------------

N8N_NOT_AN_EXPORT = "This is not an n8n workflow export: it has no nodes and connections."
N8N_NO_TRIGGER = "The workflow has no trigger node; n8n imports start from a trigger."
N8N_STICKY = "n8n-nodes-base.stickyNote"
_N8N_TRIGGER_TYPES = frozenset(
    {"n8n-nodes-base.webhook", "n8n-nodes-base.manualTrigger", "n8n-nodes-base.scheduleTrigger"}
)
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
_BRANCH_KINDS = {"if": "IF", "switch": "Switch", "filter": "Filter"}
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(frozen=True)
class N8nImport:
    """An n8n workflow read as a map. ``notes`` are sentences on what the import flattened,
    skipped or folded in, in the order found; the map itself carries no judgement."""

    map: MapInput
    notes: tuple[str, ...]


@dataclass(frozen=True)
class _Node:
    name: str
    type: str
    x: float | Decimal
    raw: dict[str, Any]


def map_from_n8n(data: object, *, name: str = "") -> N8nImport:
    """Read an n8n workflow export (``{"nodes": [...], "connections": {...}}``) as a map.

    The trigger (a node type ending in "Trigger"/"trigger", or webhook / manualTrigger /
    scheduleTrigger; of several, the first by x with no incoming connection) becomes
    ``trigger`` as "Name (shortType)". Steps are the other nodes reached from it breadth
    first along "main" outputs (output index order, then connection order), each once;
    branching nodes are flattened with a note; unreachable nodes and disabled nodes are
    skipped with a note; sticky notes are ignored. Sub-nodes attached to a step through an
    AI connection (a chat model, a tool, a memory) are part of that step, not steps, and an
    attached chat model names the step's tool. Actor AI for AI node types, else rule; team
    blank; times 0 (unknown); failure route retry for ``retryOnFail``, queue for
    ``onError: continueErrorOutput``, else none. The map is named ``name``, else the
    workflow's name, else "Imported n8n workflow".

    Raises:
        MapImportError: not an object; foreign JSON (N8N_NOT_AN_EXPORT); no "nodes" list;
            "connections" not an object; a node without name or type; duplicate node names;
            more than MAX_STEPS nodes; malformed connections; no trigger (N8N_NO_TRIGGER).
    """
    nodes, connections = _read_n8n_shape(data)
    by_name = {node.name: node for node in nodes}
    main_targets, attachments, problems = _read_connections(connections, by_name)
    if problems:
        raise MapImportError(problems)
    notes: list[str] = []
    trigger = _choose_trigger(nodes, main_targets, attachments, notes)

    reached = _breadth_first(trigger.name, main_targets)
    steps: list[StepInput] = []
    for node_name in reached[1:]:
        node = by_name[node_name]
        if _is_trigger(node.type):
            continue  # another trigger reached through a connection starts nothing here
        if node.raw.get("disabled") is True:
            notes.append(f"Skipped disabled node '{node.name}'.")
            continue
        steps.append(_n8n_step(node, len(steps) + 1, attachments.get(node.name, []), by_name))
        targets = list(dict.fromkeys(main_targets.get(node.name, [])))
        if len(targets) > 1:
            kind = _BRANCH_KINDS.get(_short_type(node.type).lower(), _n8n_tool(node.type))
            notes.append(
                f"{kind} '{node.name}' branches to {len(targets)} paths; "
                f"flattened in order: {', '.join(targets)}."
            )
    attached = _attached_to(reached, attachments)
    notes.extend(
        f"'{sub}' is attached to '{host}' ({kind}); it is part of that step."
        for sub, (host, kind) in attached.items()
    )
    accounted = {*reached, *attached}
    accounted |= {n.name for n in nodes if _is_trigger(n.type)}  # other triggers: noted above
    skipped = [n.name for n in nodes if n.name not in accounted]
    if skipped:
        noun = "node" if len(skipped) == 1 else "nodes"
        notes.append(
            f"Skipped {len(skipped)} {noun} not reachable from the trigger: {', '.join(skipped)}."
        )
    if not steps:
        notes.append(f"The trigger '{trigger.name}' leads to no steps; the map has none.")
    map_name = name.strip() or _workflow_name(data) or "Imported n8n workflow"
    return N8nImport(
        map=MapInput(
            name=map_name,
            trigger=f"{trigger.name} ({_short_type(trigger.type)})",
            steps=tuple(steps),
        ),
        notes=tuple(notes),
    )


def _read_n8n_shape(data: object) -> tuple[list[_Node], dict[str, Any]]:
    if not isinstance(data, dict):
        raise MapImportError(
            [f"An n8n workflow export is a JSON object; this is {_json_kind(data)}."]
        )
    if ("nodes" not in data and "connections" not in data) or data.get("format") == FORMAT:
        raise MapImportError([N8N_NOT_AN_EXPORT])
    raw_nodes, connections = data.get("nodes"), data.get("connections")
    if not isinstance(raw_nodes, list):
        raise MapImportError(['The workflow has no "nodes" list.'])
    if not isinstance(connections, dict):
        raise MapImportError(['The workflow\'s "connections" must be an object.'])
    if len(raw_nodes) > MAX_STEPS:
        raise MapImportError(
            [f"The workflow has {len(raw_nodes)} nodes; the limit is {MAX_STEPS}."]
        )
    problems: list[str] = []
    nodes: list[_Node] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_nodes, 1):
        if not isinstance(raw, dict):
            problems.append(f"node {position}: must be an object, got {_json_kind(raw)}")
            continue
        node_name, node_type = raw.get("name"), raw.get("type")
        if not isinstance(node_name, str) or not node_name.strip():
            problems.append(f"node {position}: has no name")
            continue
        if not isinstance(node_type, str) or not node_type.strip():
            problems.append(f"node {position} ('{node_name}'): has no type")
            continue
        if len(node_name) > MAX_NAME_CHARS:
            problems.append(f"node {position}: name is longer than {MAX_NAME_CHARS} characters")
            continue
        if node_name in seen:
            problems.append(f"Two nodes are named '{node_name}'; node names must be unique.")
            continue
        seen.add(node_name)
        if node_type != N8N_STICKY:
            nodes.append(_Node(node_name, node_type, _position_x(raw), raw))
    if problems:
        raise MapImportError(problems)
    return nodes, connections


def _position_x(raw: dict[str, Any]) -> float | Decimal:
    position = raw.get("position")
    if isinstance(position, list) and position:
        x = position[0]
        if isinstance(x, int | float | Decimal) and not isinstance(x, bool):
            return x
    return float("inf")  # no usable position: after every placed node


def _read_connections(
    connections: dict[str, Any], by_name: dict[str, _Node]
) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, str]]], list[str]]:
    """Main targets per source in output-then-connection order; AI attachments per target as
    (sub-node, connection type); problems. Links to or from unknown nodes are dropped."""
    main_targets: dict[str, list[str]] = {}
    attachments: dict[str, list[tuple[str, str]]] = {}
    problems: list[str] = []
    for source, by_type in connections.items():
        if not isinstance(by_type, dict):
            problems.append(f"The connections of '{source}' are malformed.")
            continue
        for kind, outputs in by_type.items():
            targets = list(_connection_targets(outputs))
            if None in targets:
                problems.append(f"The connections of '{source}' are malformed.")
                break
            if source not in by_name:
                continue
            for target in targets:
                if target not in by_name:
                    continue
                if kind == "main":
                    main_targets.setdefault(source, []).append(target)
                else:
                    attachments.setdefault(target, []).append((source, kind))
    return main_targets, attachments, problems


def _connection_targets(outputs: object) -> Iterator[str | None]:
    """Target names of one connection type, in output index order; None marks bad shapes."""
    if outputs is None:
        return
    if not isinstance(outputs, list):
        yield None
        return
    for output in outputs:
        if output is None:
            continue  # n8n writes null for an output with nothing connected
        if not isinstance(output, list):
            yield None
            return
        for link in output:
            if not isinstance(link, dict) or not isinstance(link.get("node"), str):
                yield None
                return
            yield link["node"]


def _is_trigger(node_type: str) -> bool:
    return node_type.endswith(("Trigger", "trigger")) or node_type in _N8N_TRIGGER_TYPES


def _choose_trigger(
    nodes: list[_Node],
    main_targets: dict[str, list[str]],
    attachments: dict[str, list[tuple[str, str]]],
    notes: list[str],
) -> _Node:
    triggers = [node for node in nodes if _is_trigger(node.type)]
    if not triggers:
        raise MapImportError([N8N_NO_TRIGGER])
    incoming = {target for targets in main_targets.values() for target in targets}
    incoming |= set(attachments)
    starts = [node for node in triggers if node.name not in incoming] or triggers
    chosen = min(starts, key=lambda node: node.x)  # min keeps the first of equal x
    if len(triggers) > 1:
        others = ", ".join(node.name for node in triggers if node is not chosen)
        notes.append(
            f"The workflow has {len(triggers)} triggers; the map starts from "
            f"'{chosen.name}' (not {others})."
        )
    return chosen


def _breadth_first(start: str, main_targets: dict[str, list[str]]) -> list[str]:
    reached = [start]
    seen = {start}
    position = 0
    while position < len(reached):
        for target in main_targets.get(reached[position], []):
            if target not in seen:
                seen.add(target)
                reached.append(target)
        position += 1
    return reached


def _attached_to(
    reached: list[str], attachments: dict[str, list[tuple[str, str]]]
) -> dict[str, tuple[str, str]]:
    """Sub-node -> (host, connection type) for sub-nodes attached to a reached node, directly
    or through other sub-nodes (an embeddings model on a vector-store tool on an agent)."""
    found: dict[str, tuple[str, str]] = {}
    pending = list(reached)
    seen = set(reached)
    while pending:
        host = pending.pop(0)
        for sub, kind in attachments.get(host, []):
            if sub not in seen:
                seen.add(sub)
                pending.append(sub)
                found[sub] = (host, kind)
    return found


def _n8n_step(
    node: _Node, order: int, attached: list[tuple[str, str]], by_name: dict[str, _Node]
) -> StepInput:
    tool = _n8n_tool(node.type)
    model = next((sub for sub, kind in attached if kind == "ai_languageModel"), None)
    if model is not None:
        tool = _n8n_tool(by_name[model].type)  # the agent's tool is its chat model
    if node.raw.get("retryOnFail") is True:
        route = FailureRoute.RETRY
    elif node.raw.get("onError") == "continueErrorOutput":
        route = FailureRoute.QUEUE
    else:
        route = FailureRoute.NONE
    lowered = node.type.lower()
    actor = Actor.AI if any(marker in lowered for marker in _AI_MARKERS) else Actor.RULE
    return StepInput(order=order, name=node.name, actor=actor, tool=tool, failure_route=route)


def _short_type(node_type: str) -> str:
    """``n8n-nodes-base.hubspot`` -> ``hubspot``; ``@n8n/...langchain.openAi`` -> ``openAi``."""
    return node_type.rsplit(".", 1)[-1]


def _n8n_tool(node_type: str) -> str:
    short = _short_type(node_type)
    known = N8N_TOOLS.get(short.lower())
    if known is not None:
        return known
    words = _CAMEL_BOUNDARY.sub(" ", short).replace("-", " ").replace("_", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or short


def _workflow_name(data: object) -> str:
    name = data.get("name") if isinstance(data, dict) else None
    return name.strip()[:MAX_NAME_CHARS] if isinstance(name, str) else ""


def _looks_like_n8n(data: dict[str, Any]) -> bool:
    return isinstance(data.get("nodes"), list) and isinstance(data.get("connections"), dict)

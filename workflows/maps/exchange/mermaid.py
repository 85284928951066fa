"""A workflow map as a Mermaid flowchart (``map_to_mermaid``).

Pure module: standard library only. User text is escaped with Mermaid entity codes and never
leaves its quotes (``mermaid_text``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from workflows.maps.shapes import Actor, MapInput, StepInput, format_seconds

_SHAPES = {Actor.HUMAN: ('["', '"]'), Actor.AI: ('(["', '"])'), Actor.RULE: ('[["', '"]]')}
MANUAL_CLASS = "classDef manual fill:#fdecea,stroke:#c62828,stroke-width:2px,stroke-dasharray:5 5"
_MERMAID_ESCAPES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def map_to_mermaid(map_: MapInput) -> str:
    """The map as Mermaid flowchart text (no trailing newline).

    ``flowchart LR``; a trigger node ``t0(("..."))`` linked to the first step when the
    trigger is set; one ``subgraph laneN["Team"]`` per team in order of first appearance
    (blank team: "Unassigned"); one node per step ``sN["order. Name<br/>Tool"]`` shaped by
    actor (human ``["..."]``, AI ``(["..."])``, rule ``[["..."]]``), with a line
    "N% of runs" when not every run passes through it; edges between consecutive steps
    labelled ``|wait N min|`` unless the wait is 0; manual-transfer steps in the red dashed
    ``manual`` class.

    Failure routes are dashed edges: a retry loops back to its step
    (``s2 -.->|retry ×3, 1 s apart| s2``); a failure target goes to the step of that name,
    or else to a flag node of its own (``e3>"Notify SDR"]``), labelled ``|on error|``.
    Node ids are by position, lane ids generated.
    """
    lines = ["flowchart LR"]
    if map_.trigger.strip():
        lines.append(f'    t0(("{mermaid_text(map_.trigger)}"))')
    lanes: dict[str, list[str]] = {}
    for position, step in enumerate(map_.steps, 1):
        lanes.setdefault(step.team.strip() or "Unassigned", []).append(_node(position, step))
    for number, (team, nodes) in enumerate(lanes.items(), 1):
        lines.append(f'    subgraph lane{number}["{mermaid_text(team)}"]')
        lines.extend(f"        {node}" for node in nodes)
        lines.append("    end")
    target_nodes, error_edges = _error_routes(map_.steps)
    lines.extend(f"    {node}" for node in target_nodes)
    if map_.trigger.strip() and map_.steps:
        lines.append("    t0 --> s1")
    for position, step in enumerate(map_.steps[:-1], 1):
        wait = step.wait_minutes
        label = f"|wait {_format_number(wait)} min| " if wait else " "
        lines.append(f"    s{position} -->{label}s{position + 1}")
    lines.extend(f"    {edge}" for edge in error_edges)
    manual = [f"s{p}" for p, step in enumerate(map_.steps, 1) if step.manual_transfer]
    if manual:
        lines.append(f"    {MANUAL_CLASS}")
        lines.append(f"    class {','.join(manual)} manual")
    return "\n".join(lines)


def _node(position: int, step: StepInput) -> str:
    opening, closing = _SHAPES[Actor(step.actor)]
    label = f"{step.order}. {mermaid_text(step.name)}"
    if step.tool.strip():
        label += f"<br/>{mermaid_text(step.tool)}"
    if step.share_of_runs != 100:
        label += f"<br/>{_format_number(step.share_of_runs)}% of runs"
    return f"s{position}{opening}{label}{closing}"


def _error_routes(steps: tuple[StepInput, ...]) -> tuple[list[str], list[str]]:
    """The failure targets' own nodes ('e3>"Notify SDR"]') and the dashed edges, in step
    order."""
    by_name = {step.name.strip(): position for position, step in enumerate(steps, 1)}
    nodes: list[str] = []
    edges: list[str] = []
    for position, step in enumerate(steps, 1):
        if step.retries:
            wait = format_seconds(step.retry_wait_seconds)
            label = f"retry ×{step.retry_max_tries}, {wait} apart"
            edges.append(f"s{position} -.->|{label}| s{position}")
        target = step.failure_target.strip()
        if not target:
            continue
        if target in by_name:
            edges.append(f"s{position} -.->|on error| s{by_name[target]}")
        else:
            nodes.append(f'e{position}>"{mermaid_text(target)}"]')
            edges.append(f"s{position} -.->|on error| e{position}")
    return nodes, edges


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

"""Our own JSON format for a workflow map: ``map_to_json`` writes it, ``map_from_json`` and
``map_import_from_json`` read it back, checking everything.

Pure module: standard library only. Version 2 adds each step's failure target, retry tries
and wait, and share of runs, and the map's notes and time saved per run; version 1 files
are still read (those values then take their defaults, and the map keeps its own notes and
time saved). Decimals travel as strings so nothing is lost; ``StepInput.key`` is not
exported. Values are checked against the same limits as the step form (``mapping``):
a value the form would refuse is refused here too, never rounded.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from workflows.maps.shapes import (
    DONE_CHARS,
    FAILURE_TARGET_CHARS,
    KPI_CHARS,
    MAP_SETTINGS,
    NOTES_CHARS,
    OUTCOME_OWNER_CHARS,
    OWNER_CHARS,
    PROCESS_MINUTES,
    RETRY_MAX_TRIES,
    RETRY_WAIT_SECONDS,
    RUNS_PER_WEEK,
    SHARE_OF_RUNS,
    STEP_NAME_CHARS,
    TEAM_CHARS,
    TIME_SAVED_MINUTES,
    TOOL_CHARS,
    TRIGGER_CHARS,
    WAIT_MINUTES,
    Actor,
    FailureRoute,
    MapInput,
    StepInput,
)

from .common import (
    MAX_STEPS,
    Fields,
    ImportReport,
    MapImport,
    MapImportError,
    count,
    json_kind,
    show,
)
from .sniff import describe_json

FORMAT = "ai-maturity-workflow-map"
VERSION = 2
READ_VERSIONS = (1, 2)
MAX_NAME_CHARS = 300  # the map's name; it names the file, the workflow keeps its own name
MAX_UNKNOWN_SHOWN = 10

_ACTORS = ", ".join(a.value for a in Actor)
_ROUTES = ", ".join(r.value for r in FailureRoute)
_MAP_KEYS = frozenset({"format", "version", "name", "steps", *MAP_SETTINGS})
_STEP_KEYS = frozenset(
    {
        "order",
        "name",
        "actor",
        "tool",
        "owner",
        "team",
        "inputs",
        "outputs",
        "manual_transfer",
        "process_minutes",
        "wait_minutes",
        "failure_route",
        "failure_target",
        "retry_max_tries",
        "retry_wait_seconds",
        "share_of_runs",
        "done_criteria",
    }
)
_SETTING_WORDS = {
    "trigger": "trigger",
    "outcome_owner": "owner",
    "outcome_logged": "outcome logged",
    "kpi": "KPI",
    "runs_per_week": "runs per week",
    "notes": "notes",
    "time_saved_minutes": "time saved per run",
}


def map_to_json(map_: MapInput) -> dict[str, Any]:
    """The map as a JSON-ready dict in our format, version 2.

    Shape: ``{"format", "version", "name", "trigger", "outcome_owner", "outcome_logged",
    "kpi", "runs_per_week", "notes", "time_saved_minutes", "steps": [{"order", "name",
    "actor", "tool", "owner", "team", "inputs", "outputs", "manual_transfer",
    "process_minutes", "wait_minutes", "failure_route", "failure_target",
    "retry_max_tries", "retry_wait_seconds", "share_of_runs", "done_criteria"}]}``.
    Decimals as strings ("2.5"; ``time_saved_minutes`` null when unknown), minutes and
    seconds as their names say, shares in percent, enums as their values, contracts as
    lists. ``key`` is the caller's id and stays behind.
    """
    saved = map_.time_saved_minutes
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": map_.name,
        "trigger": map_.trigger,
        "outcome_owner": map_.outcome_owner,
        "outcome_logged": map_.outcome_logged,
        "kpi": map_.kpi,
        "runs_per_week": str(map_.runs_per_week),
        "notes": map_.notes,
        "time_saved_minutes": None if saved is None else str(saved),
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
                "failure_target": step.failure_target,
                "retry_max_tries": step.retry_max_tries,
                "retry_wait_seconds": str(step.retry_wait_seconds),
                "share_of_runs": str(step.share_of_runs),
                "done_criteria": step.done_criteria,
            }
            for step in map_.steps
        ],
    }


def map_from_json(data: object) -> MapInput:
    """Read a map from our JSON format (version 1 or 2), checking everything.

    Required: ``format``, ``version``, a non-blank ``name``, and per step a non-blank
    ``name`` and an ``actor``. Other fields default as in ``StepInput`` / ``MapInput``
    (null counts as absent). Numbers may be JSON numbers or decimal strings and must fit
    the field exactly as the step form would take it (``mapping.PROCESS_MINUTES`` etc.):
    within range and with no more decimal places than stored, so nothing is rounded. Either
    every step has an ``order`` and together they are 1..n (steps are then sorted by it), or
    no step has one and steps are numbered by position. Unknown keys are ignored.
    ``map_from_json(map_to_json(m)) == m`` when every key is "".

    Raises:
        MapImportError: listing every problem, steps named by position ("step 2: process
            minutes 0.0667 has more than 2 decimal places"): not an object, wrong or missing
            format or version, missing names, unknown actor or failure route, numbers out of
            range or too precise, contracts that are not lists of text, text longer than its
            field, more than MAX_STEPS steps, orders not 1..n.
    """
    return _read(data)[0]


def map_import_from_json(data: object) -> MapImport:
    """``map_from_json`` with what the file carries and a report: the map-level values given
    (absent or null ones are not carried, so the stored map keeps its own) and the unknown
    keys left behind.

    Raises:
        MapImportError: as ``map_from_json``.
    """
    map_, raw = _read(data)
    carries = frozenset(key for key in MAP_SETTINGS if raw.get(key) is not None)
    imported = [count(len(map_.steps), "step")]
    if carries:
        words = [_SETTING_WORDS[key] for key in MAP_SETTINGS if key in carries]
        imported.append(f"the map's {', '.join(words)}")
    unknown = [show(key) for key in raw if key not in _MAP_KEYS]
    for position, step in enumerate(raw.get("steps") or [], 1):
        unknown.extend(f"step {position} {show(key)}" for key in step if key not in _STEP_KEYS)
    dropped = []
    if unknown:
        more = len(unknown) - MAX_UNKNOWN_SHOWN
        listed = ", ".join(unknown[:MAX_UNKNOWN_SHOWN]) + (f" and {more} more" if more > 0 else "")
        dropped.append(f"{count(len(unknown), 'unknown field')}, ignored: {listed}")
    return MapImport(map_, carries, ImportReport(tuple(imported), (), tuple(dropped)))


def _read(data: object) -> tuple[MapInput, dict[str, Any]]:
    if not isinstance(data, dict):
        raise MapImportError([f"A map export is a JSON object; this is {json_kind(data)}."])
    if data.get("format") != FORMAT:
        raise MapImportError(
            [
                f"format must be {FORMAT!r}: this is not a workflow map. It looks like "
                f"{describe_json(data)}."
            ]
        )
    version = data.get("version")
    if type(version) is not int or version not in READ_VERSIONS:
        raise MapImportError([f"version must be 1 or 2, got {show(version)}"])

    problems: list[str] = []
    fields = Fields(data, "", problems)
    name = fields.text("name", MAX_NAME_CHARS, required=True)
    trigger = fields.text("trigger", TRIGGER_CHARS)
    outcome_owner = fields.text("outcome_owner", OUTCOME_OWNER_CHARS)
    outcome_logged = fields.flag("outcome_logged")
    kpi = fields.text("kpi", KPI_CHARS)
    runs_per_week = fields.number("runs_per_week", RUNS_PER_WEEK)
    notes = fields.text("notes", NOTES_CHARS)
    time_saved = (
        fields.number("time_saved_minutes", TIME_SAVED_MINUTES)
        if fields.given("time_saved_minutes")
        else None
    )
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
    map_ = MapInput(
        name=name,
        trigger=trigger,
        outcome_owner=outcome_owner,
        outcome_logged=outcome_logged,
        kpi=kpi,
        runs_per_week=runs_per_week,
        steps=tuple(replace(step, order=position) for position, step in enumerate(read, 1)),
        notes=notes,
        time_saved_minutes=time_saved,
    )
    return map_, data


def _read_step(raw: object, position: int, problems: list[str]) -> StepInput | None:
    where = f"step {position}: "
    if not isinstance(raw, dict):
        problems.append(f"{where}must be an object, got {json_kind(raw)}")
        return None
    fields = Fields(raw, where, problems)
    if "actor" not in raw or raw["actor"] is None:
        fields.problem(f"actor is missing (one of {_ACTORS})")
    return StepInput(
        order=position,
        name=fields.text("name", STEP_NAME_CHARS, required=True),
        actor=Actor(fields.choice("actor", _ACTORS, Actor.HUMAN.value)),
        tool=fields.text("tool", TOOL_CHARS),
        owner=fields.text("owner", OWNER_CHARS),
        team=fields.text("team", TEAM_CHARS),
        inputs=fields.contract("inputs"),
        outputs=fields.contract("outputs"),
        manual_transfer=fields.flag("manual_transfer"),
        process_minutes=fields.number("process_minutes", PROCESS_MINUTES),
        wait_minutes=fields.number("wait_minutes", WAIT_MINUTES),
        failure_route=FailureRoute(fields.choice("failure_route", _ROUTES, "none")),
        failure_target=fields.text("failure_target", FAILURE_TARGET_CHARS),
        retry_max_tries=fields.whole("retry_max_tries", RETRY_MAX_TRIES),
        retry_wait_seconds=fields.number("retry_wait_seconds", RETRY_WAIT_SECONDS),
        share_of_runs=fields.number("share_of_runs", SHARE_OF_RUNS, Decimal(100)),
        done_criteria=fields.text("done_criteria", DONE_CHARS),
    )


def _read_orders(raw_steps: list[Any], problems: list[str]) -> list[int]:
    """Each step's order, by position; [] when no step has one (number by position)."""
    given = [isinstance(raw, dict) and raw.get("order") is not None for raw in raw_steps]
    if not any(given):
        return []
    total = len(raw_steps)
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
            problems.append(f"{where}order must be a whole number, got {show(order)}")
        elif not 1 <= order <= total:
            problems.append(f"{where}order must be from 1 to {total}, got {order}")
        elif order in first_with:
            problems.append(f"{where}order {order} is already used by step {first_with[order]}")
        else:
            first_with[order] = position
        orders.append(order if type(order) is int else 0)
    return orders

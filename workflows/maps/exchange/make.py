"""A Make scenario blueprint read as a map (``map_from_make``), with a report of what was
imported, approximated and dropped, as the n8n import reports.

Pure module: standard library only. The blueprint is what Make's "Export Blueprint" writes:
``{"name", "flow": [module], "metadata": {"scenario": {..., "dlq": bool}, ...}}``, a
module being ``{"id", "module": "app:Module", "version", "parameters", "mapper",
"metadata": {"designer": {"x", "y", "name"?}}, "filter"?, "routes"?, "onerror"?}``. A router
(``builtin:BasicRouter``) holds ``routes: [{"flow": [module]}]``; a module's error handler
route is its ``onerror`` list, modules ending in a directive. Make's help on error
handlers and directives gives their meaning:

- ``builtin:Break``: the failed bundle is stored as an incomplete execution; with
  ``mapper.retry`` Make runs it again ``mapper.count`` times, ``mapper.interval`` minutes
  apart (at most 44,640), else it waits for someone to resolve it;
- ``builtin:Resume``: a substitute output is used and the run goes on;
- ``builtin:Ignore``: the bundle is dropped and the run goes on with the others;
- ``builtin:Commit``: the run stops and commits what it did (marked a success);
- ``builtin:Rollback``: the run stops and rolls back (marked an error).
- With no handler, a failure rolls the run back, unless the scenario allows storing
  incomplete executions (``metadata.scenario.dlq``): then it is stored, like Break.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from workflows.maps.shapes import (
    FAILURE_TARGET_CHARS,
    RETRY_MAX_TRIES,
    RETRY_WAIT_SECONDS,
    STEP_NAME_CHARS,
    TOOL_CHARS,
    Actor,
    FailureRoute,
    MapInput,
    StepInput,
)

from .common import MAX_STEPS, ImportReport, MapImport, MapImportError, count, to_decimal
from .sniff import JsonKind, refuse_unless

MAKE_NOT_A_BLUEPRINT = "This is not a Make scenario blueprint: it has no flow of modules."
MAKE_NO_TRIGGER = "The scenario's flow is empty; a Make scenario starts with a trigger module."
MAX_ROUTER_DEPTH = 20
ROUTER = "builtin:BasicRouter"
INCOMPLETE = "Make incomplete executions"
DIRECTIVES = {
    "builtin:Resume": "continue with a substitute output (Resume)",
    "builtin:Ignore": "drop the bundle and continue (Ignore)",
    "builtin:Commit": "stop the run and commit (Commit)",
    "builtin:Rollback": "stop the run and roll back (Rollback)",
}
# App prefix (before ":") -> tool. Anything else: split at "-" and title-cased.
MAKE_TOOLS = {
    "anthropic-claude": "Anthropic Claude",
    "builtin": "Make",
    "datastore": "Make Data Store",
    "gateway": "Make Webhooks",
    "gemini-ai": "Google Gemini",
    "google-email": "Gmail",
    "google-sheets": "Google Sheets",
    "hubspotcrm": "HubSpot",
    "http": "HTTP",
    "json": "JSON",
    "openai-gpt-3": "OpenAI",
    "salesforce": "Salesforce",
    "slack": "Slack",
    "util": "Make Tools",
}
_AI_PREFIXES = ("openai", "anthropic", "gemini", "mistral", "perplexity", "deepseek", "ai-")


@dataclass
class _Walk:
    steps: list[tuple[dict[str, Any], int]] = field(default_factory=list)  # module, depth
    approximated: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def map_from_make(data: object, *, name: str = "") -> MapImport:
    """Read a Make scenario blueprint as a map, with a report.

    The first module of ``flow`` is the trigger ("Name (app:Module)"); every other module
    is a step, in flow order, a router's routes flattened route by route (reported, every
    step at 100% of runs). A step is named by its designer name, else "App: Module"; its
    tool is its app (MAKE_TOOLS); actor AI for AI apps, else rule-based. Its failure route
    is its error handler: Break retries (tries = 1 + count, the wait interval minutes) or
    queues to incomplete executions; Resume, Ignore, Commit and Rollback name what the run
    does; handler modules before the directive are named as the route's target. Without a
    handler, the scenario's "store incomplete executions" setting is a dead-letter route.

    Raises:
        MapImportError: not a blueprint (what it looks like is named); an empty flow
            (MAKE_NO_TRIGGER); routers nested deeper than MAX_ROUTER_DEPTH; more than
            MAX_STEPS modules.
    """
    refuse_unless(data, JsonKind.MAKE, MAKE_NOT_A_BLUEPRINT)
    data = _object(data)  # refuse_unless checked it is an object with a "flow" list
    flow = [m for m in data["flow"] if isinstance(m, dict)]
    if not flow:
        raise MapImportError([MAKE_NO_TRIGGER])
    walk = _Walk()
    _flatten(flow[1:], walk)
    if len(walk.steps) > MAX_STEPS:
        raise MapImportError(
            [f"The scenario has {len(walk.steps)} modules; the limit is {MAX_STEPS}."]
        )
    scenario = _object(_object(data.get("metadata")).get("scenario"))
    store_incomplete = scenario.get("dlq") is True
    steps = [
        _step(module, order, store_incomplete, walk)
        for order, (module, _) in enumerate(walk.steps, 1)
    ]
    if any(depth for _, depth in walk.steps):
        walk.approximated.append(
            "every step after a router counts as taken by 100% of runs; set each one's share "
            "of runs in the editor"
        )
    trigger_module = flow[0]
    trigger = f"{_label(trigger_module)} ({_module(trigger_module)})"
    blueprint_name = data.get("name") if isinstance(data.get("name"), str) else ""
    map_ = MapInput(
        name=name.strip() or str(blueprint_name).strip()[:300] or "Imported Make scenario",
        trigger=trigger[:300],
        steps=tuple(steps),
    )
    imported = [count(len(steps), "step"), f"the trigger '{map_.trigger}'"]
    routed = sum(1 for s in steps if s.has_error_route)
    if routed:
        imported.append(f"the failure routes of {routed} of {count(len(steps), 'step')}")
    if not steps:
        walk.approximated.append(
            f"the trigger '{map_.trigger}' leads to no steps; the map has none"
        )
    report = ImportReport(tuple(imported), tuple(walk.approximated), tuple(walk.dropped))
    return MapImport(map_, frozenset({"trigger"}), report)


def _flatten(flow: list[dict[str, Any]], walk: _Walk) -> None:
    """Modules in flow order, each router replaced by its routes' modules, route by route;
    an explicit stack, so a deep file is refused, never a RecursionError."""
    pending: list[tuple[dict[str, Any], int]] = [(m, 0) for m in reversed(flow)]
    while pending:
        module, depth = pending.pop()
        if module.get("module") != ROUTER:
            walk.steps.append((module, depth))
            if isinstance(module.get("filter"), dict):
                walk.approximated.append(
                    f"'{_label(module)}' runs only when its filter "
                    f"'{module['filter'].get('name') or 'unnamed'}' passes; the map shows it "
                    "for every run"
                )
            continue
        if depth >= MAX_ROUTER_DEPTH:
            raise MapImportError([f"The scenario nests routers more than {MAX_ROUTER_DEPTH} deep."])
        routes = [r for r in module.get("routes") or [] if isinstance(r, dict)]
        flows = [[m for m in r.get("flow") or [] if isinstance(m, dict)] for r in routes]
        firsts = [_label(f[0]) for f in flows if f]
        walk.approximated.append(
            f"router '{_label(module)}' splits into {count(len(routes), 'route')}; flattened "
            f"in order: {', '.join(firsts) or 'no modules'}"
        )
        for route_flow in reversed(flows):
            pending.extend((m, depth + 1) for m in reversed(route_flow))


def _step(module: dict[str, Any], order: int, store_incomplete: bool, walk: _Walk) -> StepInput:
    app = _module(module).split(":", 1)[0]
    label = _label(module)
    route, target, tries, wait = _failure(module, label, store_incomplete, walk)
    return StepInput(
        order=order,
        name=label[:STEP_NAME_CHARS],
        actor=Actor.AI if app.lower().startswith(_AI_PREFIXES) else Actor.RULE,
        tool=_tool(app),
        failure_route=route,
        failure_target=target[:FAILURE_TARGET_CHARS],
        retry_max_tries=tries,
        retry_wait_seconds=wait,
    )


def _failure(
    module: dict[str, Any], label: str, store_incomplete: bool, walk: _Walk
) -> tuple[FailureRoute, str, int, Decimal]:
    handler = [m for m in module.get("onerror") or [] if isinstance(m, dict)]
    if not handler:
        if store_incomplete:
            return FailureRoute.DEAD_LETTER, INCOMPLETE, 0, Decimal(0)
        return FailureRoute.NONE, "", 0, Decimal(0)
    directive = handler[-1] if _module(handler[-1]).startswith("builtin:") else None
    before = [_label(m) for m in (handler[:-1] if directive else handler)]
    via = f"{', '.join(before)}, then " if before else ""
    kind = _module(directive) if directive else ""
    if kind == "builtin:Break":
        mapper = _object(directive.get("mapper") if directive else None)
        retry = mapper.get("retry") is True or str(mapper.get("retry")).strip() in (
            "true",
            "{{true}}",
        )
        if retry:
            tries, wait = _retry(mapper, label, walk)
            return FailureRoute.RETRY, f"{via}{INCOMPLETE}", tries, wait
        return FailureRoute.QUEUE, f"{via}{INCOMPLETE}", 0, Decimal(0)
    if kind in DIRECTIVES:
        return FailureRoute.NONE, f"{via}{DIRECTIVES[kind]}", 0, Decimal(0)
    if directive is None:  # a handler route with no directive ends as Ignore does
        return FailureRoute.QUEUE, f"{via}{DIRECTIVES['builtin:Ignore']}", 0, Decimal(0)
    walk.dropped.append(f"the error handler '{kind}' of '{label}' (not a directive Make documents)")
    return FailureRoute.NONE, "", 0, Decimal(0)


def _retry(mapper: dict[str, Any], label: str, walk: _Walk) -> tuple[int, Decimal]:
    """(tries in total, seconds between) from Break's attempts and interval (minutes)."""
    attempts = to_decimal(mapper.get("count"))
    interval = to_decimal(mapper.get("interval"))
    attempts = Decimal(3) if attempts is None or attempts < 1 else attempts  # Make's default
    interval = Decimal(15) if interval is None or interval < 1 else interval  # minutes
    tries = int(attempts) + 1
    seconds = interval * 60
    changed = []
    if tries > RETRY_MAX_TRIES.maximum:
        changed.append(f"{tries} tries")
        tries = RETRY_MAX_TRIES.maximum
    if seconds > RETRY_WAIT_SECONDS.maximum:
        changed.append(f"{interval} minutes apart")
        seconds = RETRY_WAIT_SECONDS.maximum
    if changed:
        walk.approximated.append(
            f"'{label}' retries {' and '.join(changed)} in Make; the map keeps at most "
            f"{RETRY_MAX_TRIES.maximum} tries, a day apart"
        )
    return tries, seconds.quantize(Decimal(1))


def _tool(app: str) -> str:
    known = MAKE_TOOLS.get(app.lower())
    if known is not None:
        return known
    words = app.replace("_", "-").split("-")
    return (" ".join(w[:1].upper() + w[1:] for w in words if w) or app)[:TOOL_CHARS]


def _label(module: dict[str, Any]) -> str:
    designer = _object(_object(module.get("metadata")).get("designer"))
    given = designer.get("name")
    if isinstance(given, str) and given.strip():
        return given.strip()
    app, _, action = _module(module).partition(":")
    return f"{_tool(app)}: {action}" if action else _tool(app) or f"Module {module.get('id')}"


def _module(module: dict[str, Any] | None) -> str:
    value = module.get("module") if module else None
    return value.strip() if isinstance(value, str) else ""


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}

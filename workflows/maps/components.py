"""The seven components of an orchestrated workflow, each judged on a map with its reasons.

Pure module: standard library only, no clock. The rules are PRODUCT.md section 3 ("The map");
``analysis`` combines them into the verdict."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from workflows.maps.shapes import StepInput

TRIGGER = "trigger"


OWNER = "owner"


ONE_TOOL = "one_tool"


CONTRACTS = "contracts"


ERROR_ROUTES = "error_routes"


LOGGED = "logged"


KPI = "kpi"


LABELS = {
    TRIGGER: "A defined trigger",
    OWNER: "A named owner of the outcome",
    ONE_TOOL: "One named tool per step",
    CONTRACTS: "Data contracts that match",
    ERROR_ROUTES: "An error-handling route for every step",
    LOGGED: "A logged outcome for every run",
    KPI: "A measurable KPI",
}


COMPONENT_COUNT = len(LABELS)


NO_STEPS = "The map has no steps yet."


# "HubSpot or Salesforce", "either HubSpot or Salesforce", "Zapier/Make", "Zapier and/or Make",
# "Sheets | Excel", "Sheets, Excel": each names more than one tool. Word boundaries keep
# "Outreach.io", "Oracle" and "Orbit" clean.
_EITHER_OR = re.compile(r"\b(?:or|either)\b|[/|,]", re.IGNORECASE)


@dataclass(frozen=True)
class ComponentResult:
    """One of the 7 components. ``id`` is one of "trigger", "owner", "one_tool", "contracts",
    "error_routes", "logged", "kpi"; ``reason`` is a full sentence naming the steps at fault
    by order and name; ``step_orders`` lists those steps (empty for map-level components)."""

    id: str
    label: str
    met: bool
    reason: str
    step_orders: tuple[int, ...] = ()


@dataclass(frozen=True)
class ContractMismatch:
    """Fields step ``to_order`` needs that step ``from_order`` (= to_order - 1) does not
    produce, spelled as the needing step spells them."""

    from_order: int
    to_order: int
    missing: tuple[str, ...]


def is_either_or(tool: str) -> bool:
    """True when ``tool`` names more than one tool: "HubSpot or Salesforce", "Zapier/Make",
    "Sheets, Excel", "either A or B", "A and/or B", "A | B" (case-insensitive)."""
    return bool(_EITHER_OR.search(tool))


def _judge_text(
    component_id: str, value: str, reasons: Callable[[str], tuple[str, str]]
) -> ComponentResult:
    text = value.strip()
    met_reason, unmet_reason = reasons(text.rstrip("."))
    met = bool(text)
    return ComponentResult(
        component_id, LABELS[component_id], met, met_reason if met else unmet_reason
    )


def _trigger_reasons(text: str) -> tuple[str, str]:
    return (
        f"A run starts on a defined trigger: {text}.",
        "No trigger is defined, so nothing says what starts a run.",
    )


def _owner_reasons(text: str) -> tuple[str, str]:
    return (f"{text} owns the outcome.", "No one is named as the owner of the outcome.")


def _kpi_reasons(text: str) -> tuple[str, str]:
    return (f"The KPI is {text}.", "No measurable KPI is named.")


def _judge_logged(logged: bool) -> ComponentResult:
    reason = "Every run's outcome is logged." if logged else "Run outcomes are not logged."
    return ComponentResult(LOGGED, LABELS[LOGGED], logged, reason)


def _judge_one_tool(steps: tuple[StepInput, ...]) -> ComponentResult:
    if not steps:
        return ComponentResult(ONE_TOOL, LABELS[ONE_TOOL], False, NO_STEPS)
    faults: list[tuple[int, str]] = []
    for step in steps:
        if not _tool_is_named(step.tool):
            faults.append((step.order, f"{_step_ref(step, start=True)} has no named tool."))
        elif is_either_or(step.tool):
            faults.append(
                (
                    step.order,
                    f"{_step_ref(step, start=True)} names more than one tool "
                    f"({step.tool.strip()}).",
                )
            )
    if not faults:
        reason = f"{_all_steps(steps)} {_verb(steps, 'names', 'name')} exactly one tool."
        return ComponentResult(ONE_TOOL, LABELS[ONE_TOOL], True, reason)
    return _unmet(ONE_TOOL, faults)


def _judge_contracts(
    steps: tuple[StepInput, ...], mismatches: tuple[ContractMismatch, ...]
) -> ComponentResult:
    if not steps:
        return ComponentResult(CONTRACTS, LABELS[CONTRACTS], False, NO_STEPS)
    missing_by_order = {m.to_order: m.missing for m in mismatches}
    faults: list[tuple[int, str]] = []
    for previous, step in pairwise(steps):
        undefined = []
        if not _fields(previous.outputs):
            undefined.append(f"step {previous.order} lists no outputs")
        if not _fields(step.inputs):
            undefined.append(f"step {step.order} lists no inputs")
        if undefined:
            sentence = (
                f"The data contract from {_step_ref(previous)} to {_step_ref(step)} is "
                f"undefined: {' and '.join(undefined)}."
            )
            faults.append((step.order, sentence))
        elif step.order in missing_by_order:
            missing = ", ".join(missing_by_order[step.order])
            sentence = (
                f"{_step_ref(step, start=True)} needs {missing}, which "
                f"{_step_ref(previous)} does not produce."
            )
            faults.append((step.order, sentence))
    if faults:
        return _unmet(CONTRACTS, faults)
    if len(steps) == 1:
        reason = "The one step takes its inputs from the trigger, so no contract can mismatch."
    else:
        reason = f"Every input of steps 2 to {len(steps)} is an output of the step before it."
    return ComponentResult(CONTRACTS, LABELS[CONTRACTS], True, reason)


def _judge_error_routes(steps: tuple[StepInput, ...]) -> ComponentResult:
    if not steps:
        return ComponentResult(ERROR_ROUTES, LABELS[ERROR_ROUTES], False, NO_STEPS)
    faults = [
        (s.order, f"{_step_ref(s, start=True)} has no failure route.")
        for s in steps
        if not s.has_error_route
    ]
    if faults:
        return _unmet(ERROR_ROUTES, faults)
    reason = f"{_all_steps(steps)} {_verb(steps, 'has', 'have')} an error route."
    return ComponentResult(ERROR_ROUTES, LABELS[ERROR_ROUTES], True, reason)


def _unmet(component_id: str, faults: list[tuple[int, str]]) -> ComponentResult:
    orders = tuple(dict.fromkeys(order for order, _ in faults))
    reason = " ".join(sentence for _, sentence in faults)
    return ComponentResult(component_id, LABELS[component_id], False, reason, orders)


def _find_mismatches(steps: tuple[StepInput, ...]) -> tuple[ContractMismatch, ...]:
    """Fields each step needs that the step before does not produce. The first step's
    inputs come from the trigger and are not checked. Fields compare case-insensitively
    after stripping whitespace; the needing step's spelling is reported, each field once."""
    found = []
    for previous, step in pairwise(steps):
        produced = {_field_key(f) for f in _fields(previous.outputs)}
        missing: dict[str, str] = {}
        for needed in _fields(step.inputs):
            if _field_key(needed) not in produced:
                missing.setdefault(_field_key(needed), needed.strip())
        if missing:
            found.append(ContractMismatch(previous.order, step.order, tuple(missing.values())))
    return tuple(found)


def _step_ref(step: StepInput, *, start: bool = False) -> str:
    """The step by order and name: "step 3 (Draft reply)", capitalised at the ``start``."""
    return f"{'Step' if start else 'step'} {step.order} ({step.name.strip()})"


def _all_steps(steps: tuple[StepInput, ...]) -> str:
    return "The one step" if len(steps) == 1 else f"All {len(steps)} steps"


def _verb(steps: tuple[StepInput, ...], singular: str, plural: str) -> str:
    return singular if len(steps) == 1 else plural


def _tool_is_named(tool: str) -> bool:
    return bool(tool.strip())


def _fields(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for n in names if n.strip())


def _field_key(name: str) -> str:
    return name.strip().casefold()

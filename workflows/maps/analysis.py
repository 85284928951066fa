"""Analysis of a workflow map: the 7 components, waste, flow and the break step.

Pure module: standard library only, no clock. The rules are PRODUCT.md section 3 ("The map").
All times are minutes (Decimal); ``runs_per_week`` is runs a week.

- The 7 components of an orchestrated workflow, in this order: a defined trigger; a named
  owner of the outcome; one named tool per step (an "either X or Y" tool is flagged); data
  contracts that match (every input of step N+1 is an output of step N); an error-handling
  route for every step; a logged outcome for every run; a measurable KPI. All seven met:
  "Orchestration". Any missing: "Automation", with the missing ones named.
- Copy-paste spots (manual transfers), cross-team handoffs, contract mismatches.
- Lead time = process time + wait time; flow efficiency = process time / lead time (both for
  a run that passes through every step); human minutes per run, each step's weighted by its
  share of runs (a step 15% of runs pass through adds 15% of its minutes), and, with runs
  per week, human hours per week (criterion 1 of the filter).
- A step has an error-handling route when a failure route kind is set, a failure target is
  named, or it retries (``StepInput.has_error_route``).
- The break step: "where the chain most often breaks, usually a manual transfer or an
  undefined handoff with the longest wait". Suggested here, confirmed by the team.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from workflows.maps.components import (
    COMPONENT_COUNT,
    KPI,
    OWNER,
    TRIGGER,
    ComponentResult,
    ContractMismatch,
    _field_key,
    _fields,
    _find_mismatches,
    _judge_contracts,
    _judge_error_routes,
    _judge_logged,
    _judge_one_tool,
    _judge_text,
    _kpi_reasons,
    _owner_reasons,
    _step_ref,
    _tool_is_named,
    _trigger_reasons,
    is_either_or,
)
from workflows.maps.shapes import Actor, MapInput, StepInput

ORCHESTRATION = "Orchestration"
AUTOMATION = "Automation"


_THOUSANDTH = Decimal("0.001")
_HUNDREDTH = Decimal("0.01")
_MINUTES_PER_HOUR = 60
_SECONDS_PER_MINUTE = 60
_PERCENT = 100


@dataclass(frozen=True)
class Handoff:
    """A cross-team handoff between consecutive steps; ``wait_minutes`` is step
    ``from_order``'s wait before the next step starts."""

    from_order: int
    to_order: int
    from_team: str
    to_team: str
    wait_minutes: Decimal


@dataclass(frozen=True)
class BreakStepSuggestion:
    """The step where the chain most likely breaks, with the reason and its numbers."""

    order: int
    name: str
    reason: str


@dataclass(frozen=True)
class MapAnalysis:
    """Everything the analysis finds in one map.

    ``components`` holds the 7 components in the PRODUCT.md order; ``is_orchestrated`` is
    True when all 7 are met, and ``verdict`` is then "Orchestration", else "Automation";
    ``missing`` holds the labels of the unmet components. ``copy_paste_steps`` and
    ``either_or_steps`` are step orders. Minutes are Decimal; ``flow_efficiency`` is a ratio
    in 0..1 rounded to 3 decimals (None when the lead time is 0); ``human_minutes_per_run``
    weights each step by its share of runs, unrounded; ``human_hours_per_week`` is rounded
    to 2 decimals.
    """

    components: tuple[ComponentResult, ...]
    is_orchestrated: bool
    verdict: str
    missing: tuple[str, ...]
    copy_paste_steps: tuple[int, ...]
    handoffs: tuple[Handoff, ...]
    mismatches: tuple[ContractMismatch, ...]
    either_or_steps: tuple[int, ...]
    process_minutes: Decimal
    wait_minutes: Decimal
    lead_time_minutes: Decimal
    flow_efficiency: Decimal | None
    human_minutes_per_run: Decimal
    human_hours_per_week: Decimal
    break_step: BreakStepSuggestion | None

    @property
    def components_met(self) -> int:
        """How many of the 7 components are met."""
        return sum(1 for c in self.components if c.met)


@dataclass(frozen=True)
class ComparisonRow:
    """One row of the current-state vs future-state comparison. ``better`` is True when the
    future state improves on the current one, False when it is worse, None when equal (or
    when the two cannot be compared)."""

    label: str
    current: str
    future: str
    better: bool | None


def analyze_map(map_: MapInput) -> MapAnalysis:
    """Analyse one map (current or future state) by the rules of PRODUCT.md section 3.

    Steps are taken in ``order``; the orders must be exactly 1..n.

    Raises:
        ValueError: for duplicate or non-consecutive step orders, negative (or non-finite)
            process or wait minutes, a share of runs outside 0..100, or negative runs per
            week.
    """
    steps = _checked_steps(map_)
    mismatches = _find_mismatches(steps)
    either_or = tuple(s.order for s in steps if _tool_is_named(s.tool) and is_either_or(s.tool))
    components = (
        _judge_text(TRIGGER, map_.trigger, _trigger_reasons),
        _judge_text(OWNER, map_.outcome_owner, _owner_reasons),
        _judge_one_tool(steps),
        _judge_contracts(steps, mismatches),
        _judge_error_routes(steps),
        _judge_logged(map_.outcome_logged),
        _judge_text(KPI, map_.kpi, _kpi_reasons),
    )
    is_orchestrated = all(c.met for c in components)

    process = sum((s.process_minutes for s in steps), Decimal(0))
    wait = sum((s.wait_minutes for s in steps), Decimal(0))
    lead = process + wait
    efficiency = (process / lead).quantize(_THOUSANDTH, ROUND_HALF_UP) if lead else None
    # A copy-paste step is human time whatever the actor says.
    human = sum(
        (
            s.process_minutes * s.share_of_runs / _PERCENT
            for s in steps
            if s.actor == Actor.HUMAN or s.manual_transfer
        ),
        Decimal(0),
    )
    hours_per_week = (human * map_.runs_per_week / _MINUTES_PER_HOUR).quantize(
        _HUNDREDTH, ROUND_HALF_UP
    )
    return MapAnalysis(
        components=components,
        is_orchestrated=is_orchestrated,
        verdict=ORCHESTRATION if is_orchestrated else AUTOMATION,
        missing=tuple(c.label for c in components if not c.met),
        copy_paste_steps=tuple(s.order for s in steps if s.manual_transfer),
        handoffs=_find_handoffs(steps),
        mismatches=mismatches,
        either_or_steps=either_or,
        process_minutes=process,
        wait_minutes=wait,
        lead_time_minutes=lead,
        flow_efficiency=efficiency,
        human_minutes_per_run=human,
        human_hours_per_week=hours_per_week,
        break_step=find_break_step(steps),
    )


def find_break_step(steps: tuple[StepInput, ...]) -> BreakStepSuggestion | None:
    """Suggest the break step among ``steps`` (in order 1..n).

    Candidates are manual transfers and steps whose outgoing handoff is undefined: the next
    step belongs to another team and either the contract between them mismatches or is
    empty, or the step has no failure route. The candidate with the longest wait wins; ties
    go to a manual transfer, then to the earlier step. None when there is no candidate.
    """
    weak: list[tuple[StepInput, str | None]] = []
    for index, step in enumerate(steps):
        following = steps[index + 1] if index + 1 < len(steps) else None
        handoff_flaw = _undefined_handoff(step, following) if following else None
        if step.manual_transfer or handoff_flaw:
            weak.append((step, handoff_flaw))
    if not weak:
        return None
    step, handoff_flaw = min(
        weak, key=lambda item: (-item[0].wait_minutes, not item[0].manual_transfer, item[0].order)
    )
    what = []
    if step.manual_transfer:
        what.append("a manual copy-paste")
    if handoff_flaw:
        what.append(handoff_flaw)
    count = len(weak)
    rank = "the only weak point" if count == 1 else f"the longest of the {count} weak points"
    flaws = f"{_step_ref(step, start=True)} is {' and '.join(what)}"
    if step.wait_minutes == 0:
        # Not "... with no failure route with no wait after it".
        reason = f"{flaws}: {rank}, though no wait follows it."
    else:
        # A comma keeps "followed by" from reading as part of a handoff's "with ..." clause.
        joint = ", " if handoff_flaw else " "
        reason = f"{flaws}{joint}{_after_wait(step.wait_minutes)}, {rank}."
    return BreakStepSuggestion(order=step.order, name=step.name, reason=reason)


def compare_maps(current: MapAnalysis, future: MapAnalysis) -> tuple[ComparisonRow, ...]:
    """Compare the current-state and future-state analyses, side by side.

    Rows: Lead time, Process time, Flow efficiency (%), Human minutes per run, Copy-paste
    spots, Cross-team handoffs, Components met ("4 of 7"), Verdict. Lower times and counts
    are better; higher flow efficiency and components met are better; Orchestration beats
    Automation.
    """
    return (
        _lower_minutes("Lead time", current.lead_time_minutes, future.lead_time_minutes),
        _lower_minutes("Process time", current.process_minutes, future.process_minutes),
        ComparisonRow(
            "Flow efficiency",
            _format_efficiency(current.flow_efficiency),
            _format_efficiency(future.flow_efficiency),
            _better_higher(current.flow_efficiency, future.flow_efficiency),
        ),
        _lower_minutes(
            "Human minutes per run", current.human_minutes_per_run, future.human_minutes_per_run
        ),
        _lower_count(
            "Copy-paste spots", len(current.copy_paste_steps), len(future.copy_paste_steps)
        ),
        _lower_count("Cross-team handoffs", len(current.handoffs), len(future.handoffs)),
        ComparisonRow(
            "Components met",
            f"{current.components_met} of {COMPONENT_COUNT}",
            f"{future.components_met} of {COMPONENT_COUNT}",
            _better_higher(current.components_met, future.components_met),
        ),
        ComparisonRow(
            "Verdict",
            current.verdict,
            future.verdict,
            _better_higher(int(current.is_orchestrated), int(future.is_orchestrated)),
        ),
    )


def format_minutes(minutes: Decimal) -> str:
    """A duration in minutes, readably: "0 min"; under a minute in seconds ("9 s", "under
    1 s"); under an hour in whole minutes ("47 min"); else hours and minutes ("2 h 05 min").
    Rounds half up.

    Raises:
        ValueError: for a negative or non-finite duration.
    """
    if not minutes.is_finite() or minutes < 0:
        raise ValueError(f"A duration must be zero or more minutes, got {minutes}.")
    if minutes == 0:
        return "0 min"
    seconds = _whole(minutes * _SECONDS_PER_MINUTE)
    if seconds == 0:
        return "under 1 s"
    if seconds < _SECONDS_PER_MINUTE:
        return f"{seconds} s"
    whole_minutes = _whole(minutes)
    if whole_minutes < _MINUTES_PER_HOUR:
        return f"{whole_minutes} min"
    hours, rest = divmod(whole_minutes, _MINUTES_PER_HOUR)
    return f"{hours} h {rest:02d} min"


# Checks --------------------------------------------------------------------------------


def _checked_steps(map_: MapInput) -> tuple[StepInput, ...]:
    runs = map_.runs_per_week
    if not runs.is_finite() or runs < 0:
        raise ValueError(f"Map {map_.name!r}: runs per week must be zero or more, got {runs}.")
    orders = sorted(s.order for s in map_.steps)
    if orders != list(range(1, len(orders) + 1)):
        raise ValueError(
            f"Map {map_.name!r}: step orders must be 1 to {len(orders)} with no gaps or "
            f"duplicates, got {', '.join(str(o) for o in orders)}."
        )
    for step in map_.steps:
        for what, value in (("process", step.process_minutes), ("wait", step.wait_minutes)):
            if not value.is_finite() or value < 0:
                raise ValueError(
                    f"Map {map_.name!r}: {_step_ref(step)} has {what} minutes {value}; "
                    "they must be zero or more."
                )
        share = step.share_of_runs
        if not share.is_finite() or not 0 <= share <= _PERCENT:
            raise ValueError(
                f"Map {map_.name!r}: {_step_ref(step)} has a share of runs of {share}%; "
                "it must be from 0 to 100."
            )
    return tuple(sorted(map_.steps, key=lambda s: s.order))


# The 7 components ----------------------------------------------------------------------


# Contracts, handoffs, break step -------------------------------------------------------


def _find_handoffs(steps: tuple[StepInput, ...]) -> tuple[Handoff, ...]:
    return tuple(
        Handoff(
            from_order=previous.order,
            to_order=step.order,
            from_team=previous.team.strip(),
            to_team=step.team.strip(),
            wait_minutes=previous.wait_minutes,
        )
        for previous, step in pairwise(steps)
        if _crosses_teams(previous, step)
    )


def _undefined_handoff(step: StepInput, following: StepInput) -> str | None:
    """Why the handoff from ``step`` to ``following`` is undefined, or None when it is
    defined (or is no cross-team handoff at all)."""
    if not _crosses_teams(step, following):
        return None
    to_team = following.team.strip()
    outputs = {_field_key(f) for f in _fields(step.outputs)}
    inputs = [_field_key(f) for f in _fields(following.inputs)]
    if not outputs or not inputs:
        return f"a handoff to {to_team} with no data contract"
    if any(field not in outputs for field in inputs):
        return f"a handoff to {to_team} with a mismatched data contract"
    if not step.has_error_route:
        return f"a handoff to {to_team} with no failure route"
    return None


def _crosses_teams(step: StepInput, following: StepInput) -> bool:
    a, b = step.team.strip().casefold(), following.team.strip().casefold()
    return bool(a and b) and a != b


# Formatting helpers --------------------------------------------------------------------


def _after_wait(minutes: Decimal) -> str:
    if minutes == minutes.to_integral_value() and minutes < _MINUTES_PER_HOUR:
        return f"followed by a {int(minutes)}-minute wait"
    return f"followed by a wait of {format_minutes(minutes)}"


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _format_efficiency(value: Decimal | None) -> str:
    if value is None:
        return "n/a"
    percent = (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{percent}%"


def _lower_minutes(label: str, current: Decimal, future: Decimal) -> ComparisonRow:
    better = None if future == current else future < current
    return ComparisonRow(label, format_minutes(current), format_minutes(future), better)


def _lower_count(label: str, current: int, future: int) -> ComparisonRow:
    better = None if future == current else future < current
    return ComparisonRow(label, str(current), str(future), better)


def _better_higher(current: Decimal | int | None, future: Decimal | int | None) -> bool | None:
    if current is None or future is None or future == current:
        return None
    return future > current

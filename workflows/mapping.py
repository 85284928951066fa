"""The shapes of a workflow map, shared by the analysis, the exchange formats and the charts.

Pure module: standard library only. Times are minutes; ``runs_per_week`` is runs a week.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Actor(StrEnum):
    """Who performs a step."""

    HUMAN = "human"
    AI = "ai"
    RULE = "rule"  # rule-based automation (a Zap, a CRM workflow rule, a script)


class FailureRoute(StrEnum):
    """Where a failed run of a step goes. NONE means nothing catches the failure."""

    QUEUE = "queue"
    HUMAN = "human"
    RETRY = "retry"
    DEAD_LETTER = "dead_letter"
    NONE = "none"


@dataclass(frozen=True)
class StepInput:
    """One step of a map, in ``order`` (1-based).

    ``inputs`` and ``outputs`` are the step's data contract: named fields (or a format name)
    it needs and produces. ``manual_transfer`` is True when a human copies data between
    screens in this step. ``process_minutes`` is the work time; ``wait_minutes`` the wait
    before the next step starts. ``key`` is the caller's id, passed through.
    """

    order: int
    name: str
    actor: Actor
    tool: str = ""
    owner: str = ""
    team: str = ""
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    manual_transfer: bool = False
    process_minutes: Decimal = Decimal(0)
    wait_minutes: Decimal = Decimal(0)
    failure_route: FailureRoute = FailureRoute.NONE
    done_criteria: str = ""
    key: str = ""


@dataclass(frozen=True)
class MapInput:
    """A whole map (current state or orchestrated future state) of one workflow.

    ``trigger`` is the event that starts a run ("" when undefined); ``outcome_owner`` the
    person who owns the outcome; ``outcome_logged`` whether every run's outcome is logged;
    ``kpi`` the measurable KPI ("" when none). ``steps`` are in order.
    """

    name: str
    trigger: str = ""
    outcome_owner: str = ""
    outcome_logged: bool = False
    kpi: str = ""
    runs_per_week: Decimal = Decimal(0)
    steps: tuple[StepInput, ...] = field(default_factory=tuple)

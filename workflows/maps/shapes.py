"""The shapes of a workflow map, shared by the analysis, the exchange formats and the charts.

Pure module: standard library only. Times are minutes unless a name says seconds;
``runs_per_week`` is runs a week; shares are percent (0-100).

The limits on every stored value live here too, so the models, the step form and the
importers take them from one place and accept exactly the same values.
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
    """Where a failed run of a step goes. NONE means nothing catches the failure (unless the
    step retries or names a failure target, see ``StepInput.has_error_route``)."""

    QUEUE = "queue"
    HUMAN = "human"
    RETRY = "retry"
    DEAD_LETTER = "dead_letter"
    NONE = "none"


ROUTE_WORDS = {
    FailureRoute.QUEUE: "queue",
    FailureRoute.HUMAN: "a named human",
    FailureRoute.RETRY: "retry",
    FailureRoute.DEAD_LETTER: "dead-letter",
    FailureRoute.NONE: "none",
}


# --- limits -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecimalLimit:
    """A decimal value from 0 to ``maximum`` with Django DecimalField's digit rules: at most
    ``max_digits`` digits in all and ``decimal_places`` after the point, counted as written
    ("2.500" has 3 decimal places). ``label`` names it in problems ("process minutes")."""

    label: str
    maximum: Decimal
    max_digits: int
    decimal_places: int

    def problem(self, value: Decimal) -> str | None:
        """Why ``value`` does not fit, as "<label> <value> has ..."; None when it fits.

        The checks are those of Django's ``DecimalValidator`` plus ``MinValueValidator(0)``
        and ``MaxValueValidator(maximum)``, which the model fields use with these numbers.
        """
        _, digit_tuple, exponent = value.as_tuple()
        if not isinstance(exponent, int):  # NaN or Infinity
            return f"{self.label} must be a number, got {value}"
        if not 0 <= value <= self.maximum:
            return f"{self.label} must be from 0 to {self.maximum}, got {value}"
        if exponent >= 0:
            digits = len(digit_tuple) + (exponent if digit_tuple != (0,) else 0)
            decimals = 0
        elif -exponent > len(digit_tuple):
            digits = decimals = -exponent
        else:
            digits, decimals = len(digit_tuple), -exponent
        if decimals > self.decimal_places:
            places = "place" if self.decimal_places == 1 else "places"
            return f"{self.label} {value} has more than {self.decimal_places} decimal {places}"
        if digits > self.max_digits or digits - decimals > self.max_digits - self.decimal_places:
            return f"{self.label} {value} has more than {self.max_digits} digits"
        return None


@dataclass(frozen=True)
class WholeLimit:
    """A whole number from 0 to ``maximum``."""

    label: str
    maximum: int

    def problem(self, value: int) -> str | None:
        if not 0 <= value <= self.maximum:
            return f"{self.label} must be a whole number from 0 to {self.maximum}, got {value}"
        return None


PROCESS_MINUTES = DecimalLimit("process minutes", Decimal(1_000_000), 9, 2)
WAIT_MINUTES = DecimalLimit("wait minutes", Decimal(1_000_000), 9, 2)
RUNS_PER_WEEK = DecimalLimit("runs per week", Decimal(1_000_000), 9, 1)
SHARE_OF_RUNS = DecimalLimit("share of runs", Decimal(100), 4, 1)
RETRY_WAIT_SECONDS = DecimalLimit("retry wait seconds", Decimal(86_400), 8, 3)  # up to a day
TIME_SAVED_MINUTES = DecimalLimit("time saved per run", Decimal(1_000_000), 9, 2)
RETRY_MAX_TRIES = WholeLimit("retry tries", 10)

# Characters. A step's text fields, then the map's.
STEP_NAME_CHARS = 200
TOOL_CHARS = 120
OWNER_CHARS = 120
TEAM_CHARS = 80
DONE_CHARS = 500
FAILURE_TARGET_CHARS = 200
CONTRACT_FIELD_CHARS = 100  # one field name of an input or output contract
CONTRACT_FIELDS = 50  # field names per contract
TRIGGER_CHARS = 300
OUTCOME_OWNER_CHARS = 200
KPI_CHARS = 300
NOTES_CHARS = 20_000


# --- shapes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepInput:
    """One step of a map, in ``order`` (1-based).

    ``inputs`` and ``outputs`` are the step's data contract: named fields (or a format name)
    it needs and produces. ``manual_transfer`` is True when a human copies data between
    screens in this step. ``process_minutes`` is the work time; ``wait_minutes`` the wait
    before the next step starts. ``key`` is the caller's id, passed through.

    The failure route: ``failure_route`` is the kind of place a failure ends up;
    ``failure_target`` names it ("Notify SDR", "error workflow 4Xk2"; "" when unnamed);
    ``retry_max_tries`` is the tries in total, the first included (n8n's ``maxTries``; 0
    or 1: no retry) and ``retry_wait_seconds`` the pause between them. ``share_of_runs`` is
    the percent of runs that pass through the step (a branch taken by some runs only).
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
    failure_target: str = ""
    retry_max_tries: int = 0
    retry_wait_seconds: Decimal = Decimal(0)
    share_of_runs: Decimal = Decimal(100)

    @property
    def retries(self) -> bool:
        """True when a failed try is tried again (two tries or more in total)."""
        return self.retry_max_tries >= 2

    @property
    def has_error_route(self) -> bool:
        """Something catches a failure: a route kind, a named target, or a retry."""
        return (
            self.failure_route != FailureRoute.NONE
            or bool(self.failure_target.strip())
            or self.retries
        )

    @property
    def failure_summary(self) -> str:
        """The failure route in words, see ``describe_failure_route``."""
        return describe_failure_route(
            self.failure_route, self.failure_target, self.retry_max_tries, self.retry_wait_seconds
        )


def describe_failure_route(
    route: FailureRoute | str, target: str, max_tries: int, wait_seconds: Decimal
) -> str:
    """A failure route in words, lower case: "none", "queue", "queue → Notify SDR",
    "retry ×3, 1 s apart", "retry ×3, 1.5 s apart, then queue → Notify SDR",
    "retry ×3, 1 s apart, then to error workflow 4Xk2" (a retry then a target with no kind).
    """
    kind = FailureRoute(route)
    target = target.strip()
    parts = []
    retries = max_tries >= 2
    if retries:
        parts.append(f"retry ×{max_tries}, {format_seconds(wait_seconds)} apart")
    if kind == FailureRoute.NONE or (retries and kind == FailureRoute.RETRY):
        word = ""  # the retry part already says it
    else:
        word = ROUTE_WORDS[kind]
    if word and target:
        parts.append(f"{word} → {target}")
    elif word:
        parts.append(word)
    elif target:
        parts.append(f"to {target}")
    return ", then ".join(parts) or "none"


def format_seconds(seconds: Decimal) -> str:
    """``1 s`` for 1.000, ``1.5 s`` for 1.500: no trailing zeros, never scientific."""
    if seconds == seconds.to_integral_value():
        return f"{int(seconds)} s"
    return f"{format(seconds.normalize(), 'f')} s"


@dataclass(frozen=True)
class MapInput:
    """A whole map (current state or orchestrated future state) of one workflow.

    ``trigger`` is the event that starts a run ("" when undefined); ``outcome_owner`` the
    person who owns the outcome; ``outcome_logged`` whether every run's outcome is logged;
    ``kpi`` the measurable KPI ("" when none). ``steps`` are in order. ``notes`` is free
    text (an n8n workflow's sticky notes land here); ``time_saved_minutes`` the time a run
    saves as the workflow's builders estimate it (n8n's ``timeSavedPerExecution``), None
    when unknown.
    """

    name: str
    trigger: str = ""
    outcome_owner: str = ""
    outcome_logged: bool = False
    kpi: str = ""
    runs_per_week: Decimal = Decimal(0)
    steps: tuple[StepInput, ...] = field(default_factory=tuple)
    notes: str = ""
    time_saved_minutes: Decimal | None = None


# The map-level values an import may carry; an import leaves the others as they are.
MAP_SETTINGS = (
    "trigger",
    "outcome_owner",
    "outcome_logged",
    "kpi",
    "runs_per_week",
    "notes",
    "time_saved_minutes",
)

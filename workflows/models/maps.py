"""Candidate workflows: listed in an audit intake, filtered, later mapped and measured."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.json import StrictJSONEncoder
from core.models import Organization, TimeStampedModel
from core.scoping import OrgScopedQuerySet

from ..candidates.dimensions import suggest_dimensions
from ..candidates.filter import CandidateInput
from ..maps.shapes import (
    DONE_CHARS,
    FAILURE_TARGET_CHARS,
    KPI_CHARS,
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
    DecimalLimit,
    describe_failure_route,
)


def _decimal(
    limit: DecimalLimit, verbose_name: str | None = None, **kwargs: Any
) -> models.DecimalField:
    """A DecimalField holding exactly what ``limit`` allows, so the step form and the
    importers (which check ``limit`` themselves) accept the same values."""
    return models.DecimalField(
        verbose_name,
        max_digits=limit.max_digits,
        decimal_places=limit.decimal_places,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(limit.maximum)],
        **kwargs,
    )


class CandidateWorkflow(TimeStampedModel):
    """A workflow a team might orchestrate first.

    ``hours_per_week`` is the human time it takes today, all people together (hours per
    week); ``degrees_from_revenue`` is 1 when it touches a revenue metric directly. The same
    object is listed in the Revenue Audit intake and mapped later: never copied.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="candidate_workflows"
    )
    audit = models.ForeignKey(
        "audits.Audit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
    )
    name = models.CharField(max_length=200, blank=True)
    hours_per_week = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(2000))],
        help_text="Human hours a week today, all people together.",
    )
    people_involved = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    ai_can_automate_step = models.BooleanField(
        null=True, blank=True, help_text="Can AI credibly automate at least one step today?"
    )
    degrees_from_revenue = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1: it moves a revenue metric directly; 2: it feeds a step that does.",
    )
    pain = models.CharField(max_length=300, blank=True, help_text="The pain in a sentence.")
    portfolio_position = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="1 for the team's first orchestrated workflow, 2 for the second, and so on.",
    )
    dimensions = models.JSONField(
        encoder=StrictJSONEncoder,
        default=list,
        blank=True,
        help_text="Ids of the benchmark dimensions orchestrating it would move.",
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "portfolio_position"],
                condition=models.Q(portfolio_position__isnull=False),
                name="candidate_one_per_portfolio_position",
            ),
        ]

    def __str__(self) -> str:
        return self.name or "Unnamed workflow"

    @property
    def suggested_dimensions(self) -> tuple[str, ...]:
        """The benchmark dimensions its answers suggest it moves
        (``workflows.candidates.dimensions``)."""
        return suggest_dimensions(
            name=self.name,
            pain=self.pain,
            ai_can_automate_step=self.ai_can_automate_step,
            degrees_from_revenue=self.degrees_from_revenue,
        )

    @property
    def moves_dimensions(self) -> tuple[str, ...]:
        """The dimensions the team chose, or the suggestion until it chooses."""
        return tuple(self.dimensions) if self.dimensions else self.suggested_dimensions

    @property
    def is_complete(self) -> bool:
        """Every field the filter needs is filled in."""
        return bool(self.name.strip()) and None not in (
            self.hours_per_week,
            self.ai_can_automate_step,
            self.degrees_from_revenue,
        )

    def as_filter_input(self) -> CandidateInput:
        """The filter's input; only meaningful when ``is_complete``."""
        return CandidateInput(
            name=self.name,
            hours_per_week=self.hours_per_week or Decimal(0),
            people_involved=self.people_involved or 0,
            ai_can_automate_step=bool(self.ai_can_automate_step),
            degrees_from_revenue=self.degrees_from_revenue or 1,
            pain=self.pain,
            key=str(self.pk),
        )


class WorkflowMap(TimeStampedModel):
    """The current-state or orchestrated future-state map of a candidate workflow.

    ``trigger``, ``outcome_owner``, ``outcome_logged`` and ``kpi`` are four of the seven
    components, held per map so the current and future states can be compared.
    ``runs_per_week`` turns human minutes per run into human hours per week. ``notes`` is
    free text (an n8n import puts its sticky notes here); ``time_saved_per_run_minutes`` the
    time a run saves as the workflow's builders estimate it (n8n's
    ``timeSavedPerExecution``, minutes), null when unknown.
    """

    class Kind(models.TextChoices):
        CURRENT = "current", "Current state"
        FUTURE = "future", "Orchestrated future state"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workflow = models.ForeignKey(CandidateWorkflow, on_delete=models.CASCADE, related_name="maps")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    trigger = models.CharField(
        max_length=TRIGGER_CHARS, blank=True, help_text="The event that starts a run."
    )
    outcome_owner = models.CharField(max_length=OUTCOME_OWNER_CHARS, blank=True)
    outcome_logged = models.BooleanField("Every run's outcome is logged", default=False)
    kpi = models.CharField("KPI", max_length=KPI_CHARS, blank=True)
    runs_per_week = _decimal(RUNS_PER_WEEK, default=Decimal(0))
    notes = models.TextField(max_length=NOTES_CHARS, blank=True)
    time_saved_per_run_minutes = _decimal(
        TIME_SAVED_MINUTES,
        "Time saved per run (minutes, as the builders estimate it)",
        null=True,
        blank=True,
    )
    confirmed_break_step = models.ForeignKey(
        "Step", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workflow", "kind"], name="workflowmap_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.workflow} ({self.get_kind_display()})"


class Step(TimeStampedModel):
    """One step of a map; ``position`` is 1-based and contiguous within the map.

    ``inputs`` and ``outputs`` (lists of field names) are the step's data contract;
    ``process_minutes`` and ``wait_minutes`` (before the next step) are minutes.

    The failure route: ``failure_route`` is the kind of place a failure goes,
    ``failure_target`` names it (a step, a node, a person, an error workflow),
    ``retry_max_tries`` counts the tries in total (0 or 1: no retry) and
    ``retry_wait_seconds`` the pause between them. ``share_of_runs`` is the percent of runs
    passing through the step (100 unless the step sits on a branch).
    """

    class Actor(models.TextChoices):
        HUMAN = "human", "Human"
        AI = "ai", "AI"
        RULE = "rule", "Rule-based automation"

    class FailureRoute(models.TextChoices):
        QUEUE = "queue", "Queue"
        HUMAN = "human", "A named human"
        RETRY = "retry", "Retry"
        DEAD_LETTER = "dead_letter", "Dead-letter"
        NONE = "none", "None"

    class Component(models.TextChoices):
        ENRICHMENT = "enrichment", "Enrichment"
        MESSAGE_GENERATION = "message_generation", "Message generation"
        CALENDAR_PARSING = "calendar_parsing", "Calendar parsing"
        LEAD_SCORING = "lead_scoring", "Lead scoring"

    map = models.ForeignKey(WorkflowMap, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=STEP_NAME_CHARS)
    actor = models.CharField(max_length=8, choices=Actor.choices, default=Actor.HUMAN)
    tool = models.CharField(max_length=TOOL_CHARS, blank=True, help_text="Exactly one named tool.")
    owner = models.CharField(max_length=OWNER_CHARS, blank=True)
    team = models.CharField(
        max_length=TEAM_CHARS, blank=True, help_text="Marketing, RevOps, Sales…"
    )
    inputs = models.JSONField(encoder=StrictJSONEncoder, default=list, blank=True)
    outputs = models.JSONField(encoder=StrictJSONEncoder, default=list, blank=True)
    manual_transfer = models.BooleanField("A human copies data between screens", default=False)
    process_minutes = _decimal(PROCESS_MINUTES, default=Decimal(0))
    wait_minutes = _decimal(WAIT_MINUTES, "Wait before the next step (minutes)", default=Decimal(0))
    share_of_runs = _decimal(
        SHARE_OF_RUNS,
        "Share of runs (%)",
        default=Decimal(100),
        help_text="Percent of runs that pass through this step; below 100 on a branch.",
    )
    failure_route = models.CharField(
        "On failure", max_length=12, choices=FailureRoute.choices, default=FailureRoute.NONE
    )
    failure_target = models.CharField(
        "Failure goes to",
        max_length=FAILURE_TARGET_CHARS,
        blank=True,
        help_text="The step, person, queue or error workflow that takes a failed run.",
    )
    retry_max_tries = models.PositiveSmallIntegerField(
        "Tries in total",
        default=0,
        validators=[MaxValueValidator(RETRY_MAX_TRIES.maximum)],
        help_text="With retries: 3 is the first try and two retries. 0 or 1: no retry.",
    )
    retry_wait_seconds = _decimal(RETRY_WAIT_SECONDS, "Seconds between tries", default=Decimal(0))
    done_criteria = models.CharField("Done means", max_length=DONE_CHARS, blank=True)
    component = models.CharField(
        "Reusable component", max_length=24, choices=Component.choices, blank=True
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    @property
    def failure_summary(self) -> str:
        """The failure route in words: "retry ×3, 1 s apart, then queue → Notify SDR"."""
        return describe_failure_route(
            self.failure_route, self.failure_target, self.retry_max_tries, self.retry_wait_seconds
        )

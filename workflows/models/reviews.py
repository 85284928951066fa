"""The 30-day plan, imported data (runs, events, opportunities, spend) and the reviews."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.json import StrictJSONEncoder
from core.models import Organization, TimeStampedModel
from core.scoping import OrgScopedQuerySet

from .ingest import RunSource
from .maps import CandidateWorkflow


class Plan(TimeStampedModel):
    """A workflow's 30-day plan: start and go-live dates (reviews fall 30/60/90 days after
    go-live), the one-time build cost (USD) and the attribution credit policy."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workflow = models.OneToOneField(
        CandidateWorkflow, on_delete=models.CASCADE, related_name="plan"
    )
    start_date = models.DateField()
    go_live_date = models.DateField()
    timezone = models.CharField(
        max_length=64, default="UTC", help_text="IANA name, e.g. Europe/Berlin"
    )
    build_cost_usd = models.DecimalField(
        "One-time build cost (USD)",
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    assisted_credit = models.DecimalField(
        "Credit for an AI-assisted touch",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="0.30 gives AI-assisted touches 30% of the credit (the 30/70 default).",
    )
    half_life_days = models.PositiveSmallIntegerField(
        "Time-decay half-life (days)", default=30, validators=[MinValueValidator(1)]
    )
    # CFO-grade numbers (issue 17): the design the effects rest on, and the NPV's inputs.
    arms_randomized = models.BooleanField(
        "Week 3 routed a random share of traffic",
        default=True,
        help_text="Runs were assigned to the orchestrated or baseline arm at random: the "
        "arms are then compared directly, as an experiment.",
    )
    comparison_workflow = models.ForeignKey(
        CandidateWorkflow,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Comparison series",
        help_text="Another workflow the change did not touch, for difference-in-differences.",
    )
    discount_rate = models.DecimalField(
        "Discount rate (a year)",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.100"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="0.10 discounts future cash at 10% a year (the NPV).",
    )
    gross_margin = models.DecimalField(
        "Gross margin",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.700"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="The share of won revenue that is cash after the cost of delivering it.",
    )
    baseline = models.JSONField(
        encoder=StrictJSONEncoder,
        null=True,
        blank=True,
        help_text="The pre-period before go-live, frozen when the day-30 review is completed.",
    )
    baseline_frozen_at = models.DateTimeField(null=True, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"30-day plan of {self.workflow}"


class Milestone(TimeStampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    key = models.SlugField(max_length=32)
    week = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    detail = models.CharField(max_length=300, blank=True)
    due_date = models.DateField()
    owner = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="milestone_unique_key")]

    def __str__(self) -> str:
        return self.title


class Review(TimeStampedModel):
    """A day-30, -60 or -90 review. Completing it freezes its metrics, decision and notes."""

    class Stage(models.IntegerChoices):
        DAY_30 = 30, "Day 30: throughput"
        DAY_60 = 60, "Day 60: conversion"
        DAY_90 = 90, "Day 90: revenue"

    class Decision(models.TextChoices):
        CUT_OVER = "cut_over", "Cut over"
        KEEP_25 = "keep_25", "Keep at 25%"
        STOP = "stop", "Stop"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workflow = models.ForeignKey(
        CandidateWorkflow, on_delete=models.CASCADE, related_name="reviews"
    )
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    due_date = models.DateField()
    owner = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    notes = models.TextField(max_length=4000, blank=True)
    frozen = models.JSONField(
        encoder=StrictJSONEncoder,
        null=True,
        blank=True,
        help_text="Metrics as known at completion.",
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["stage"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "stage"], name="review_one_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} of {self.workflow}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class DataImport(TimeStampedModel):
    """An uploaded file and its processing: ``progress`` 0..100, ``problems`` the rows
    refused (line, column, message). The original file is kept."""

    class Kind(models.TextChoices):
        RUNS = "runs", "Run log"
        EVENTS = "events", "Downstream events"
        OPPORTUNITIES = "opportunities", "Opportunities"
        SPEND = "spend", "AI spend"

    class Status(models.TextChoices):
        MAPPING = "mapping", "Waiting for its column mapping"
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    class Failure(models.TextChoices):
        """Why a failed import failed: the file itself (fix it, nothing to retry), or the
        machinery (an unexpected error, or a worker that stopped): those can be retried."""

        INVALID = "invalid", "The file was refused"
        ERROR = "error", "An error stopped the import"
        STALLED = "stalled", "The import stopped before it finished"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workflow = models.ForeignKey(
        CandidateWorkflow, on_delete=models.CASCADE, related_name="imports"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    options = models.JSONField(
        encoder=StrictJSONEncoder,
        default=dict,
        blank=True,
        help_text="Column mapping, key columns, locale and date format (ImportSettings).",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.MAPPING)
    progress = models.PositiveSmallIntegerField(default=0)
    row_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(encoder=StrictJSONEncoder, default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    failure = models.CharField(max_length=8, choices=Failure.choices, blank=True)
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def is_active(self) -> bool:
        """Queued or processing: the page polls it."""
        return self.status in (self.Status.QUEUED, self.Status.PROCESSING)

    @property
    def can_remap(self) -> bool:
        """Waiting for its mapping, or failed after one was confirmed (not a file refused
        outright, say a binary one): its columns can be matched again and confirmed."""
        if self.status == self.Status.MAPPING:
            return True
        return self.status == self.Status.FAILED and "mapping" in (self.options or {})

    @property
    def can_retry(self) -> bool:
        """Failed for a reason other than the file's content: trying again may work."""
        return self.status == self.Status.FAILED and self.failure != self.Failure.INVALID


class ColumnMapping(TimeStampedModel):
    """A column mapping an organization saved for one upload kind (a CRM export's layout),
    offered on the mapping screen beside the built-in HubSpot and Salesforce ones.
    ``mapping`` holds ``workflows.data.imports.ImportSettings.as_json()``."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=DataImport.Kind.choices)
    name = models.CharField(max_length=80)
    mapping = models.JSONField(encoder=StrictJSONEncoder, default=dict)
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "name"], name="column_mapping_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class RunDayQuerySet(models.QuerySet["RunDay"]):
    def counted(self) -> RunDayQuerySet:
        """The rows the reviews count: one source per day. A day with any live run counts
        its live rows only; a CSV's rows count on the days no live run arrived
        (``workflows.ingest.days`` states the rule)."""
        live_day = RunDay.objects.filter(
            workflow=models.OuterRef("workflow"), day=models.OuterRef("day"), source=RunSource.LIVE
        )
        return self.filter(models.Q(source=RunSource.LIVE) | ~models.Exists(live_day))


class RunDay(models.Model):
    """Runs aggregated by day, arm, status and stop step. ``source`` CSV: a run log upload
    (a new one replaces the CSV rows of the days it covers, so re-uploading runs never
    doubles them); LIVE: derived from ``IngestedRun`` rows. Read through ``counted()``."""

    workflow = models.ForeignKey(CandidateWorkflow, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    arm = models.CharField(max_length=12)
    status = models.CharField(max_length=12)
    stopped_at_step = models.CharField(max_length=200, blank=True)
    runs = models.PositiveIntegerField()
    ai_steps = models.PositiveBigIntegerField()
    steps_total = models.PositiveBigIntegerField()
    steps_succeeded = models.PositiveBigIntegerField()
    source = models.CharField(max_length=8, choices=RunSource.choices, default=RunSource.CSV)

    objects = RunDayQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["workflow", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.arm} {self.status}: {self.runs} runs"


class DownstreamEvent(models.Model):
    workflow = models.ForeignKey(CandidateWorkflow, on_delete=models.CASCADE, related_name="+")
    event_id = models.CharField(max_length=100)
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=16)
    arm = models.CharField(max_length=12)
    run_id = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workflow", "event_id"], name="event_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class Opportunity(models.Model):
    """A CRM opportunity: open, won or lost (``stage``, read from the CRM's stage name as
    ``crm_stage`` keeps it), with its expected or actual ``close_date``."""

    class Stage(models.TextChoices):
        OPEN = "open", "Open"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    workflow = models.ForeignKey(CandidateWorkflow, on_delete=models.CASCADE, related_name="+")
    opportunity_id = models.CharField(max_length=100)
    created_date = models.DateField()
    amount_usd = models.DecimalField(max_digits=14, decimal_places=2)
    ai_flag = models.CharField(max_length=12)
    touch_date = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=8, choices=Stage.choices, default=Stage.OPEN)
    crm_stage = models.CharField(max_length=100, blank=True)
    close_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "opportunity_id"], name="opportunity_unique_id"
            )
        ]

    def __str__(self) -> str:
        return f"Opportunity {self.opportunity_id}"


class SpendMonth(models.Model):
    workflow = models.ForeignKey(CandidateWorkflow, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    category = models.CharField(max_length=16)
    amount_usd = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "month", "category"], name="spend_unique_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category}"

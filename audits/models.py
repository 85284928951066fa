"""The Revenue Audit intake, its AI tool inventory, and the consultant's reply."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from benchmark.models import RevenueBand
from core.json import StrictJSONEncoder
from core.models import Organization, TimeStampedModel
from core.scoping import OrgScopedQuerySet

from .stack import ToolInput

REPLY_WINDOW = timedelta(hours=24)


def _share_token() -> str:
    return secrets.token_urlsafe(24)


class ImplementationBudget(models.TextChoices):
    """Implementation budget bands, USD (keys shared with ``audits.qualification``)."""

    UNDER_10K = "lt10k", "Under $10,000"
    FROM_10K = "10-25k", "$10,000 to $25,000"
    FROM_25K = "25-50k", "$25,000 to $50,000"
    FROM_50K = "50-100k", "$50,000 to $100,000"
    OVER_100K = "gt100k", "Over $100,000"


class RevenueMetric(models.TextChoices):
    QUALIFIED_PIPELINE = "qualified_pipeline", "Qualified pipeline"
    BOOKED_MEETINGS = "booked_meetings", "Booked meetings"
    CONVERSION_RATE = "conversion_rate", "Conversion rate"
    RETENTION = "retention", "Retention"


class Urgency(models.TextChoices):
    DAYS_30 = "30_days", "Within 30 days"
    DAYS_60 = "60_days", "Within 60 days"
    THIS_QUARTER = "this_quarter", "This quarter"
    LATER = "later", "No date yet"


class DecisionRole(models.TextChoices):
    SIGNS_OFF = "signs_off", "I sign off the budget"
    RECOMMENDS = "recommends", "I recommend; someone else signs"
    RESEARCHING = "researching", "I am gathering information"


class Tier(models.TextChoices):
    QUALIFIED = "qualified", "Qualified"
    FOLLOW_UP = "follow_up", "Follow-up"
    NOT_READY = "not_ready", "Not ready"


class Audit(TimeStampedModel):
    """One Revenue Audit intake of an organization, from draft to won or lost.

    ``reply_due_at`` is ``submitted_at`` + 24 hours. ``computed_tier`` is the qualification
    at submission; ``tier_override`` with ``override_reason`` is the reviewer's call.
    ``share_token`` keys the public link a client can fill in without an account.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        REPLIED = "replied", "Replied"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audits")
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The self-score that pre-filled the assessment, if one did: the firm's CRM ties the
    # audit's webhook events to the ``response.completed``/``lead.created`` it heard.
    source_response = models.ForeignKey(
        "benchmark.Response", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    share_token = models.CharField(max_length=64, unique=True, default=_share_token)

    # The seven facts (PRODUCT.md section 2).
    revenue_band = models.CharField(
        "Annual revenue", max_length=16, choices=RevenueBand.choices, blank=True
    )
    implementation_budget = models.CharField(
        max_length=16, choices=ImplementationBudget.choices, blank=True
    )
    decision_role = models.CharField(
        "Your role in the decision", max_length=16, choices=DecisionRole.choices, blank=True
    )
    metric_to_move = models.CharField(
        "The one revenue metric to move", max_length=32, choices=RevenueMetric.choices, blank=True
    )
    urgency = models.CharField(
        "When it must move", max_length=16, choices=Urgency.choices, blank=True
    )
    contact_name = models.CharField("Your name", max_length=120, blank=True)
    contact_email = models.EmailField(
        "Your work email",
        blank=True,
        help_text="The reviewer's reply goes to this address.",
    )
    crm = models.CharField("CRM", max_length=100, blank=True, help_text="e.g. HubSpot, Salesforce")
    monthly_lead_volume = models.PositiveIntegerField(
        "Leads per month", null=True, blank=True, validators=[MaxValueValidator(10_000_000)]
    )
    revenue_gap = models.TextField("The revenue gap, in your words", max_length=2000, blank=True)
    assessment = models.JSONField(encoder=StrictJSONEncoder, default=dict, blank=True)
    loaded_hourly_rate_usd = models.DecimalField(
        "Loaded hourly rate (USD)",
        max_digits=7,
        decimal_places=2,
        default=Decimal("85.00"),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(2000))],
        help_text="Salary, benefits and overhead per hour of the people doing the work.",
    )

    submitted_at = models.DateTimeField(null=True, blank=True)
    reply_due_at = models.DateTimeField(null=True, blank=True)
    computed_tier = models.CharField(max_length=16, choices=Tier.choices, blank=True)
    tier_override = models.CharField(max_length=16, choices=Tier.choices, blank=True)
    override_reason = models.TextField(max_length=1000, blank=True)

    named_gap = models.CharField(max_length=200, blank=True)
    gap_value_usd = models.DecimalField(max_digits=12, decimal_places=0, null=True, blank=True)
    recommendation = models.TextField(max_length=4000, blank=True)
    booking_link = models.URLField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_to = models.EmailField("Reply sent to", blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(tier_override__gt="") | ~models.Q(override_reason=""),
                name="audit_override_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Revenue Audit of {self.organization}"

    @property
    def tier(self) -> str:
        """The tier in force: the reviewer's override, else the computed one."""
        return self.tier_override or self.computed_tier

    def get_tier_display(self) -> str:
        return Tier(self.tier).label if self.tier else ""

    @property
    def is_editable_by_client(self) -> bool:
        return self.status == self.Status.DRAFT


class AuditTool(TimeStampedModel):
    """One AI tool in the audit's inventory: ``monthly_cost_usd`` for all seats."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="tools")
    name = models.CharField("Tool", max_length=120, blank=True)
    monthly_cost_usd = models.DecimalField(
        "Monthly cost (USD)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    seats = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    used_daily = models.BooleanField("Used daily", null=True, blank=True)
    integrated_with = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name or "Unnamed tool"

    def as_stack_input(self) -> ToolInput:
        return ToolInput(
            name=self.name,
            monthly_cost_usd=self.monthly_cost_usd or Decimal(0),
            seats=self.seats or 0,
            used_daily=bool(self.used_daily),
            integrated_with=self.integrated_with,
        )

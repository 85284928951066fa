"""Candidate workflows: listed in an audit intake, filtered, later mapped and measured."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.models import Organization, TimeStampedModel
from core.scoping import OrgScopedQuerySet

from .filter import CandidateInput


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

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name or "Unnamed workflow"

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

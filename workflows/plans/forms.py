"""Forms of the 30-day plan."""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import available_timezones

from django import forms

from core.forms import Form, ModelForm

from ..models import CandidateWorkflow, Plan

ZONES = sorted(available_timezones())


class PlanStartForm(Form):
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    timezone = forms.ChoiceField(choices=[(z, z) for z in ZONES], initial="UTC")


class PlanForm(ModelForm):
    class Meta:
        model = Plan
        fields = [
            "start_date",
            "go_live_date",
            "timezone",
            "build_cost_usd",
            "assisted_credit",
            "half_life_days",
            "arms_randomized",
            "comparison_workflow",
            "discount_rate",
            "gross_margin",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "go_live_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = forms.ChoiceField(choices=[(z, z) for z in ZONES])
        # The comparison series: another workflow of the same organization.
        plan = self.instance
        comparison = cast(forms.ModelChoiceField, self.fields["comparison_workflow"])
        comparison.queryset = CandidateWorkflow.objects.filter(
            organization_id=plan.organization_id
        ).exclude(pk=plan.workflow_id)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, go_live = cleaned.get("start_date"), cleaned.get("go_live_date")
        if start and go_live and go_live < start:
            self.add_error("go_live_date", "Go-live cannot come before the start of the plan.")
        return cleaned

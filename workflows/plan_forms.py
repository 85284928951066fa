"""Forms of the plan, data uploads and reviews."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.conf import settings

from .imports import DATE_FORMAT_CHOICES
from .models import DataImport, Plan, Review

ZONES = sorted(available_timezones())


class PlanStartForm(forms.Form):
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    timezone = forms.ChoiceField(choices=[(z, z) for z in ZONES], initial="UTC")


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "start_date",
            "go_live_date",
            "timezone",
            "build_cost_usd",
            "assisted_credit",
            "half_life_days",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "go_live_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = forms.ChoiceField(choices=[(z, z) for z in ZONES])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, go_live = cleaned.get("start_date"), cleaned.get("go_live_date")
        if start and go_live and go_live < start:
            self.add_error("go_live_date", "Go-live cannot come before the start of the plan.")
        return cleaned


class DataUploadForm(forms.Form):
    """One CSV upload; opportunities take a CRM preset or column mapping and a date format."""

    kind = forms.ChoiceField(choices=DataImport.Kind.choices)
    file = forms.FileField()
    preset = forms.ChoiceField(
        choices=[
            ("", "Detect from the headers"),
            ("hubspot", "HubSpot deals export"),
            ("salesforce", "Salesforce opportunity report"),
        ],
        required=False,
    )
    date_format = forms.ChoiceField(choices=DATE_FORMAT_CHOICES, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.DATA_IMPORT_MAX_BYTES:
            limit = settings.DATA_IMPORT_MAX_BYTES // 1_000_000
            raise forms.ValidationError(
                f"The file is over {limit} MB. Split it by month and upload each part."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class ReviewCompleteForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["decision", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = True
        self.fields["decision"].choices = [("", "Choose…"), *Review.Decision.choices]

"""Forms of the 30-day plan."""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import available_timezones

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.forms import Form, ModelForm

from ..models import CandidateWorkflow, Plan

ZONES = sorted(available_timezones())
ZONE_CHOICES = [(z, z) for z in ZONES]  # built once: a form is made on every plan page


def zone_choices() -> list[tuple[str, str]]:
    """The zone choices, given to a field as a callable: Django then reads them when the
    field validates or draws, not each time a form is made (the drawn fields are cached)."""
    return ZONE_CHOICES


ZONE_HELP = "Type a city or region to search, such as Berlin or New_York."
# The 500+ suggestions are the same on every page: escaped once per process.
ZONE_OPTIONS = format_html_join("", '<option value="{}"></option>', ((z,) for z in ZONES))


class ZoneInput(forms.TextInput):
    """A text box that suggests the IANA zones as one types (a ``<datalist>``), instead of a
    select of 500+ raw names; the field still accepts only a known zone. With
    ``browser_zone``, app.js fills in the browser's zone while the box holds the default."""

    def __init__(self, *, browser_zone: bool = False):
        attrs = {"list": "timezone-list", "autocomplete": "off", "spellcheck": "false"}
        if browser_zone:
            attrs["data-browser-zone"] = "UTC"
        super().__init__(attrs)

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="timezone-list">{}</datalist>', box, ZONE_OPTIONS)


class PlanStartForm(Form):
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    timezone = forms.ChoiceField(
        choices=zone_choices,
        initial="UTC",
        widget=ZoneInput(browser_zone=True),
        help_text=ZONE_HELP + " Your browser's zone is filled in.",
    )


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
        self.fields["timezone"] = forms.ChoiceField(
            choices=zone_choices, widget=ZoneInput(), help_text=ZONE_HELP
        )
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

"""Forms of candidate workflows (also rows of the audit intake)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from core.forms import Form, ModelForm

from ..models import CandidateWorkflow

YES_NO = [("", "Choose…"), ("true", "Yes"), ("false", "No")]
DEGREES = [
    ("", "Choose…"),
    (1, "1: moves it directly"),
    (2, "2: feeds a step that does"),
    (3, "3: further away"),
    (4, "4 or more"),
]


class YesNoSelect(forms.NullBooleanSelect):
    """Yes / No / "Choose…" for a nullable boolean.

    Django's ``NullBooleanSelect`` renders the stored value as ``"true"``/``"false"`` and reads
    both back; a plain ``Select`` renders ``True`` as ``"True"``, matches no option, and shows
    "Choose…", so the next save would post a blank and erase the answer.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = list(YES_NO)

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        # A list, as Select expects: a bare "" would match every option as a substring.
        return [{True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")]


class YesNoField(forms.NullBooleanField):
    """A nullable boolean answered Yes or No, blank until answered."""

    widget = YesNoSelect


class CandidateWorkflowForm(ModelForm):
    """A candidate workflow as the filter needs it."""

    ai_can_automate_step = YesNoField(label="AI can automate a step today", required=False)
    degrees_from_revenue = forms.TypedChoiceField(
        label="Degrees from revenue", choices=DEGREES, coerce=int, required=False, empty_value=None
    )

    class Meta:
        model = CandidateWorkflow
        fields = [
            "name",
            "hours_per_week",
            "people_involved",
            "ai_can_automate_step",
            "degrees_from_revenue",
            "pain",
        ]
        widgets = {
            "hours_per_week": forms.NumberInput(attrs={"min": 0, "step": "0.5"}),
            "people_involved": forms.NumberInput(attrs={"min": 0}),
        }


class CandidateDimensionsForm(Form):
    """The benchmark dimensions a candidate moves, as checkboxes; ``choices`` are (id, label)
    pairs from the current benchmark definition."""

    dimensions = forms.MultipleChoiceField(
        label="Benchmark dimensions it moves",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["dimensions"]).choices = choices

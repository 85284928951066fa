"""Forms for candidate workflows, map settings, steps and imports."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import Form, ModelForm

from .models import CandidateWorkflow, Step, WorkflowMap

YES_NO = [("", "Choose…"), ("true", "Yes"), ("false", "No")]
DEGREES = [
    ("", "Choose…"),
    (1, "1: moves it directly"),
    (2, "2: feeds a step that does"),
    (3, "3: further away"),
    (4, "4 or more"),
]
MAX_IMPORT_BYTES = 1_000_000


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


class FieldListField(forms.CharField):
    """A comma-separated list of field names, cleaned to a list of unique stripped names.

    A line break separates names as a comma does (a pasted column of names), so it is not
    refused here.
    """

    accepts_line_breaks = True

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        names: list[str] = []
        for part in text.replace("\n", ",").split(","):
            name = part.strip()
            if name and name not in names:
                names.append(name[:100])
        if len(names) > 50:
            raise forms.ValidationError("At most 50 fields.")
        return names


class WorkflowMapForm(ModelForm):
    class Meta:
        model = WorkflowMap
        fields = ["trigger", "outcome_owner", "outcome_logged", "kpi", "runs_per_week"]
        widgets = {"runs_per_week": forms.NumberInput(attrs={"min": 0, "step": "1"})}
        labels = {"runs_per_week": "Runs per week"}


class StepForm(ModelForm):
    inputs = FieldListField(label="Input contract", help_text="Named fields, comma-separated.")
    outputs = FieldListField(label="Output contract", help_text="Named fields, comma-separated.")

    class Meta:
        model = Step
        fields = [
            "name",
            "actor",
            "tool",
            "owner",
            "team",
            "inputs",
            "outputs",
            "manual_transfer",
            "process_minutes",
            "wait_minutes",
            "failure_route",
            "done_criteria",
            "component",
        ]
        widgets = {
            "process_minutes": forms.NumberInput(attrs={"min": 0, "step": "any"}),
            "wait_minutes": forms.NumberInput(attrs={"min": 0, "step": "any"}),
        }
        labels = {"process_minutes": "Process time (minutes)"}


class MapImportForm(Form):
    """Upload a map exported from this app (JSON) or an n8n workflow export."""

    FORMATS = [("json", "A map exported from here (JSON)"), ("n8n", "An n8n workflow export")]
    format = forms.ChoiceField(choices=FORMATS, initial="json")
    file = forms.FileField()

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is over 1 MB; a map export is far smaller.")
        return upload.read(MAX_IMPORT_BYTES + 1)

"""Forms of the map editor: map settings, steps and imports."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Field

from core.forms import Form, ModelForm

from ..models import Step, WorkflowMap
from .shapes import CONTRACT_FIELD_CHARS, CONTRACT_FIELDS

MAX_IMPORT_BYTES = 1_000_000


class FieldListField(forms.CharField):
    """A comma-separated list of field names, cleaned to a list of unique stripped names;
    the limits are the importers' (``shapes.CONTRACT_FIELDS`` names of at most
    ``shapes.CONTRACT_FIELD_CHARS`` characters), and a longer name is refused, not cut.

    A line break separates names as a comma does (a pasted column of names), so it is not
    refused here.
    """

    accepts_line_breaks = True

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        # Room for every allowed name with its ", " separator.
        kwargs.setdefault("max_length", CONTRACT_FIELDS * (CONTRACT_FIELD_CHARS + 2))
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
            if len(name) > CONTRACT_FIELD_CHARS:
                raise forms.ValidationError(
                    f"A field name is longer than {CONTRACT_FIELD_CHARS} characters: {name[:40]}…"
                )
            if name and name not in names:
                names.append(name)
        if len(names) > CONTRACT_FIELDS:
            raise forms.ValidationError(f"At most {CONTRACT_FIELDS} fields.")
        return names


class WorkflowMapForm(ModelForm):
    """A map's settings; a blank runs per week is 0, as an absent one is in a JSON import."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["runs_per_week"].required = False

    def clean_runs_per_week(self) -> Any:
        value = self.cleaned_data.get("runs_per_week")
        return (
            WorkflowMap._meta.get_field("runs_per_week").get_default() if value is None else value
        )

    class Meta:
        model = WorkflowMap
        fields = [
            "trigger",
            "outcome_owner",
            "outcome_logged",
            "kpi",
            "runs_per_week",
            "time_saved_per_run_minutes",
            "notes",
        ]
        widgets = {
            "runs_per_week": forms.NumberInput(attrs={"min": 0, "step": "any"}),
            "time_saved_per_run_minutes": forms.NumberInput(attrs={"min": 0, "step": "any"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "runs_per_week": "Runs per week",
            "time_saved_per_run_minutes": "Time saved per run, as estimated (minutes)",
        }


class StepForm(ModelForm):
    """A step, taking exactly the values a JSON map import takes (the limits are the
    model's, from ``mapping``); a blank number takes its default, as an absent one does in
    an import."""

    inputs = FieldListField(
        label="Input contract", help_text="The fields it needs, comma-separated: email, company."
    )
    outputs = FieldListField(
        label="Output contract", help_text="The fields it hands on, comma-separated: contact_id."
    )
    DEFAULTED = (
        "process_minutes",
        "wait_minutes",
        "share_of_runs",
        "retry_max_tries",
        "retry_wait_seconds",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.DEFAULTED:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.DEFAULTED:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = cast("Field[Any, Any]", Step._meta.get_field(name)).get_default()
        return cleaned

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
            # After "done means", so the keyboard path through the older fields (and the
            # browser test that types it) is unchanged.
            "failure_target",
            "retry_max_tries",
            "retry_wait_seconds",
            "share_of_runs",
            "component",
        ]
        widgets = {
            "process_minutes": forms.NumberInput(attrs={"min": 0, "step": "any"}),
            "wait_minutes": forms.NumberInput(attrs={"min": 0, "step": "any"}),
            "share_of_runs": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "any"}),
            "retry_max_tries": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "retry_wait_seconds": forms.NumberInput(attrs={"min": 0, "step": "any"}),
        }
        labels = {"process_minutes": "Process time (minutes)"}


class MapImportForm(Form):
    """Upload a map exported from this app (JSON), a BPMN 2.0 process, an n8n workflow
    export or a Make scenario blueprint."""

    FORMATS = [
        ("json", "A map exported from here (JSON)"),
        ("bpmn", "A BPMN 2.0 process (.bpmn XML)"),
        ("n8n", "An n8n workflow export"),
        ("make", "A Make scenario blueprint"),
    ]
    format = forms.ChoiceField(choices=FORMATS, initial="json")
    file = forms.FileField()
    replace = forms.BooleanField(
        label="Replace the steps this map has now",
        required=False,
        help_text="The import removes them; the map's settings the file does not carry stay.",
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is over 1 MB; a map export is far smaller.")
        return upload.read(MAX_IMPORT_BYTES + 1)

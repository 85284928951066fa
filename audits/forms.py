"""Forms of the Revenue Audit intake, the tool and candidate rows, and the review."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from benchmark.definition import Question
from benchmark.scoring import UNKNOWN
from benchmark.unknown import UnknownAnswer
from core.forms import Form, ModelForm
from workflows.candidates.forms import YesNoField

from .lifecycle import status_choices
from .models import Audit, AuditTool, Tier


class AuditIntakeForm(ModelForm):
    """The intake's own facts; every field may be blank until submission."""

    class Meta:
        model = Audit
        fields = [
            "contact_name",
            "contact_email",
            "revenue_band",
            "implementation_budget",
            "decision_role",
            "metric_to_move",
            "urgency",
            "crm",
            "monthly_lead_volume",
            "revenue_gap",
            "loaded_hourly_rate_usd",
        ]
        widgets = {
            "revenue_gap": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "monthly_lead_volume": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "loaded_hourly_rate_usd": forms.NumberInput(attrs={"min": 1, "step": "0.01"}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["loaded_hourly_rate_usd"].required = False
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
                choices = cast(list[tuple[Any, Any]], field.choices)
                field.choices = [("", "Choose…"), *[c for c in choices if c[0] != ""]]

    def clean_loaded_hourly_rate_usd(self) -> Any:
        value = self.cleaned_data.get("loaded_hourly_rate_usd")
        return value if value is not None else self.instance.loaded_hourly_rate_usd


def _level_or_unknown(value: str) -> int | str:
    return UNKNOWN if value == UNKNOWN else int(value)


class AssessmentForm(Form):
    """The ten assessment questions drawn from the benchmark, as radio groups ``q_<id>``;
    each offers "I don't know" (stored as ``UNKNOWN``) when the definition has ``unknown``."""

    def __init__(
        self,
        *args: Any,
        questions: tuple[Question, ...],
        unknown: UnknownAnswer | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        extra = [(UNKNOWN, unknown.text)] if unknown is not None else []
        for question in questions:
            self.fields[f"q_{question.id}"] = forms.TypedChoiceField(
                label=question.prompt,
                choices=[*((o.level, o.text) for o in question.options), *extra],
                coerce=_level_or_unknown,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the four answers."},
            )

    def answers(self) -> dict[str, int | str]:
        """Cleaned answers by question id (a level 0..3 or ``UNKNOWN``), for the questions
        answered."""
        return {
            name[2:]: value for name, value in self.cleaned_data.items() if value not in ("", None)
        }


class AuditToolForm(ModelForm):
    used_daily = YesNoField(label="Used daily", required=False)

    class Meta:
        model = AuditTool
        fields = ["name", "monthly_cost_usd", "seats", "used_daily", "integrated_with"]
        widgets = {
            "monthly_cost_usd": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
            "seats": forms.NumberInput(attrs={"min": 0}),
        }


class TierOverrideForm(Form):
    tier = forms.ChoiceField(
        choices=[("", "Keep the computed tier"), *Tier.choices], required=False
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("tier") and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why you override the computed tier.")
        return cleaned


class StatusForm(Form):
    """The consultant's status change: the current status and those ``audits.lifecycle``
    allows from it."""

    status = forms.ChoiceField()

    def __init__(self, *args: Any, current: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(Audit.Status.choices)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (s.value, labels[s.value]) for s in status_choices(current)
        ]
        self.fields["status"].initial = current


class ReplyForm(Form):
    """The reply to the client: the named gap, its yearly value, what to do, and a link."""

    named_gap = forms.CharField(max_length=200, label="The named gap")
    gap_value_usd = forms.DecimalField(
        label="Value of closing it, USD a year", min_value=0, max_digits=12, decimal_places=0
    )
    recommendation = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=4000)
    booking_link = forms.URLField(required=False, assume_scheme="https")
    recipient = forms.EmailField(
        label="Send to",
        help_text="The client's contact; the intake asks for it.",
    )

    def __init__(self, *args: Any, tier: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.tier = tier
        if tier == Tier.QUALIFIED:
            self.fields["booking_link"].required = True
            self.fields["booking_link"].help_text = "Qualified replies carry a booking link."

    def clean_booking_link(self) -> str:
        link = self.cleaned_data.get("booking_link", "")
        if link and not link.startswith("https://"):
            raise forms.ValidationError("Use an https:// link.")
        return link

"""Forms of the self-score: the company profile, one form per question, the email."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from core.forms import Form

from .definition import Question
from .models import BusinessModel, RevenueBand, TeamSize
from .scoring import MAX_TOOLS, ToolCounts


class ProfileForm(Form):
    """The short company profile that picks the peer segment; it is not scored."""

    revenue_band = forms.ChoiceField(
        label="Annual revenue",
        choices=RevenueBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your annual revenue band."},
    )
    business_model = forms.ChoiceField(
        label="Who you sell to",
        choices=BusinessModel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who you sell to."},
    )
    team_size = forms.ChoiceField(
        label="People in marketing",
        choices=TeamSize.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the size of your marketing team."},
    )


class ChoiceAnswerForm(Form):
    """One behaviour-anchored answer; ``answer`` cleans to the level 0..3."""

    answer = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the answer closest to what your team does today.",
            "invalid_choice": "Choose one of the four answers.",
        },
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.question = question
        cast(forms.ChoiceField, self.fields["answer"]).choices = [
            (o.level, o.text) for o in question.options
        ]
        self.fields["answer"].label = question.prompt

    def answer_value(self) -> int:
        """The cleaned level, 0..3."""
        return self.cleaned_data["answer"]


class ToolCountAnswerForm(Form):
    """The tool-count question: paid AI tools and, of those, tools used daily."""

    paid = forms.IntegerField(
        label="AI tools your team pays for",
        min_value=0,
        max_value=MAX_TOOLS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    daily = forms.IntegerField(
        label="Of those, used every working day",
        min_value=0,
        max_value=MAX_TOOLS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.question = question

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        paid, daily = cleaned.get("paid"), cleaned.get("daily")
        if paid is not None and daily is not None and daily > paid:
            self.add_error("daily", "Tools used daily cannot be more than the tools you pay for.")
        return cleaned

    def answer_value(self) -> ToolCounts:
        """The cleaned counts."""
        return ToolCounts(paid=self.cleaned_data["paid"], daily=self.cleaned_data["daily"])


AnswerForm = ChoiceAnswerForm | ToolCountAnswerForm


def answer_form_for(question: Question, stored: Any = None, data: Any = None) -> AnswerForm:
    """The bound (``data``) or initial (``stored`` JSON answer) form for ``question``."""
    if question.kind == "tool_count":
        initial = stored if isinstance(stored, dict) else None
        return ToolCountAnswerForm(data, question=question, initial=initial)
    initial = {"answer": stored} if isinstance(stored, int) else None
    return ChoiceAnswerForm(data, question=question, initial=initial)


class EmailForm(Form):
    """An optional email that saves the result link."""

    email = forms.EmailField(label="Email", max_length=254)

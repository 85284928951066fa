"""Forms of the self-score: the company profile, one form per question, the email."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from core.forms import Form

from .definition import Question
from .models import BusinessModel, RevenueBand, TeamSize
from .scoring import MAX_TOOLS, UNKNOWN, Answer, ToolCounts
from .unknown import UnknownAnswer


def _level_or_unknown(value: str) -> int | str:
    return UNKNOWN if value == UNKNOWN else int(value)


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
    """One behaviour-anchored answer; ``answer`` cleans to the level 0..3, or to
    ``UNKNOWN`` when the definition offers "I don't know" (``unknown``) and it is chosen."""

    answer = forms.TypedChoiceField(
        coerce=_level_or_unknown,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the answer closest to what your team does today.",
            "invalid_choice": "Choose one of the four answers.",
        },
    )

    def __init__(
        self,
        *args: Any,
        question: Question,
        unknown: UnknownAnswer | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.question = question
        self.unknown = unknown
        choices: list[tuple[Any, str]] = [(o.level, o.text) for o in question.options]
        if unknown is not None:
            choices.append((UNKNOWN, unknown.text))
        cast(forms.ChoiceField, self.fields["answer"]).choices = choices
        self.fields["answer"].label = question.prompt

    def answer_value(self) -> Answer:
        """The cleaned level, 0..3, or ``UNKNOWN``."""
        return self.cleaned_data["answer"]


class ToolCountAnswerForm(Form):
    """The tool-count question: paid AI tools and, of those, tools used daily; or, where
    the definition offers it (``unknown``), "I don't know" (the ``unknown`` checkbox),
    which makes the counts optional and ignores them."""

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

    def __init__(
        self,
        *args: Any,
        question: Question,
        unknown: UnknownAnswer | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.question = question
        self.unknown = unknown
        if unknown is not None:
            self.fields["unknown"] = forms.BooleanField(label=unknown.text, required=False)
            if self.is_bound and self.data.get("unknown"):
                self.fields["paid"].required = self.fields["daily"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("unknown"):
            for name in ("paid", "daily"):  # counts typed before ticking it are ignored
                self.errors.pop(name, None)
            return cleaned
        paid, daily = cleaned.get("paid"), cleaned.get("daily")
        if paid is not None and daily is not None and daily > paid:
            self.add_error("daily", "Tools used daily cannot be more than the tools you pay for.")
        return cleaned

    def answer_value(self) -> Answer:
        """The cleaned counts, or ``UNKNOWN``."""
        if self.cleaned_data.get("unknown"):
            return UNKNOWN
        return ToolCounts(paid=self.cleaned_data["paid"], daily=self.cleaned_data["daily"])


AnswerForm = ChoiceAnswerForm | ToolCountAnswerForm


def answer_form_for(
    question: Question,
    stored: Any = None,
    data: Any = None,
    unknown: UnknownAnswer | None = None,
) -> AnswerForm:
    """The bound (``data``) or initial (``stored`` JSON answer) form for ``question``;
    ``unknown`` is the definition's "I don't know", offered when it has one."""
    if question.kind == "tool_count":
        if stored == UNKNOWN:
            initial: dict[str, Any] | None = {"unknown": True}
        else:
            initial = stored if isinstance(stored, dict) else None
        return ToolCountAnswerForm(data, question=question, unknown=unknown, initial=initial)
    known = isinstance(stored, int) or (stored == UNKNOWN and unknown is not None)
    initial = {"answer": stored} if known else None
    return ChoiceAnswerForm(data, question=question, unknown=unknown, initial=initial)


class EmailForm(Form):
    """An optional email that saves the result link."""

    email = forms.EmailField(label="Email", max_length=254)

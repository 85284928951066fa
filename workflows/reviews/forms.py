"""Forms of the reviews."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from core.forms import ModelForm

from ..models import Review


class ReviewCompleteForm(ModelForm):
    class Meta:
        model = Review
        fields = ["decision", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        decision = cast(forms.ChoiceField, self.fields["decision"])
        decision.required = True
        decision.choices = [("", "Choose…"), *Review.Decision.choices]

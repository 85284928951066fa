"""Forms of the firm's link: its settings, the last step of its self-score, the Leads
filter, and "Request a Revenue Audit"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from benchmark.models import BusinessModel, Response, RevenueBand, TeamSize
from core.forms import Form

from .branding import LOGO_MAX_BYTES, BrandingError, check_accent, check_logo, parse_origins


class FirmSettingsForm(Form):
    """The firm's name, logo, accent colour, embedding origins and consent text.

    ``logo`` cleans to ``(bytes, content type)`` or None (keep the stored one); posting the
    form as rendered (no file) changes nothing.
    """

    name = forms.CharField(label="Firm name", max_length=200)
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="PNG or JPEG, up to 200 KB. Leave empty to keep the current logo.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)
    accent_color = forms.CharField(
        label="Accent colour",
        max_length=7,
        required=False,
        help_text="# and six hex digits, e.g. #0f766e; dark enough for white text.",
    )
    embed_origins = forms.CharField(
        label="Sites that may embed the benchmark",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One origin a line, e.g. https://www.example.com. No one else can frame it.",
    )
    consent_text = forms.CharField(
        label="Consent text",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown beside the email box; {firm} stands for the firm's name. "
        "Each lead keeps the text its respondent agreed to.",
    )

    def clean_logo(self) -> tuple[bytes, str] | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise ValidationError(f"The logo is over {LOGO_MAX_BYTES // 1000} KB.")
        data = upload.read()
        try:
            return data, check_logo(data)
        except BrandingError as error:
            raise ValidationError(str(error)) from None

    def clean_accent_color(self) -> str:
        value = self.cleaned_data.get("accent_color", "")
        if not value:
            return ""
        try:
            return check_accent(value)
        except BrandingError as error:
            raise ValidationError(str(error)) from None

    def clean_embed_origins(self) -> list[str]:
        try:
            return parse_origins(self.cleaned_data.get("embed_origins", ""))
        except BrandingError as error:
            raise ValidationError(str(error)) from None


class FinishForm(Form):
    """The last step of a firm's self-score: an optional email, given only with consent."""

    email = forms.EmailField(label="Work email (optional)", max_length=254, required=False)
    consent = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("email") and not cleaned.get("consent"):
            self.add_error(
                "consent", "Tick the box to agree, or leave the email empty to see your result."
            )
        return cleaned


class AuditRequestForm(Form):
    """ "Request a Revenue Audit" on a result page (prefixed: the page has another email)."""

    prefix = "audit"

    name = forms.CharField(label="Your name", max_length=120)
    email = forms.EmailField(label="Work email", max_length=254)
    company = forms.CharField(label="Company", max_length=200)
    consent = forms.BooleanField(
        error_messages={"required": "Tick the box to agree, so the firm can send the intake."}
    )


def audit_consent_text(firm_name: str) -> str:
    """The consent the audit request form shows beside its box, and stores as agreed."""
    return f"I agree that {firm_name} may store these details and email me about my Revenue Audit."


HAS_EMAIL_CHOICES = [("", "Any"), ("yes", "With email"), ("no", "Without email")]


class LeadFilterForm(Form):
    """The Leads list's filters (GET); every value comes from a fixed list or is a date."""

    tier = forms.ChoiceField(choices=[("", "Any tier"), *Response.Tier.choices], required=False)
    revenue_band = forms.ChoiceField(
        label="Revenue", choices=[("", "Any revenue"), *RevenueBand.choices], required=False
    )
    business_model = forms.ChoiceField(
        label="Sells to", choices=[("", "Any"), *BusinessModel.choices], required=False
    )
    team_size = forms.ChoiceField(
        label="Marketing team", choices=[("", "Any size"), *TeamSize.choices], required=False
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    has_email = forms.ChoiceField(label="Email", choices=HAS_EMAIL_CHOICES, required=False)

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is dropped, so the list still shows)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}

"""Forms of the plan, data uploads and reviews."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join

from core.forms import Form, ModelForm

from .imports import DATE_FORMAT_CHOICES, LOCALE_CHOICES, ImportSettings
from .imports.fields import Field
from .models import DataImport, Plan, Review

ZONES = sorted(available_timezones())
ZONE_HELP = "Type a city or region to search, such as Berlin or New_York."


class ZoneInput(forms.TextInput):
    """A text box that suggests the IANA zones as one types (a ``<datalist>``), instead of a
    select of 500+ raw names; the field still accepts only a known zone. With
    ``browser_zone``, app.js fills in the browser's zone while the box holds the default."""

    def __init__(self, *, browser_zone: bool = False):
        attrs = {"list": "timezone-list", "autocomplete": "off", "spellcheck": "false"}
        if browser_zone:
            attrs["data-browser-zone"] = "UTC"
        super().__init__(attrs)

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        box = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}"></option>', ((z,) for z in ZONES))
        return format_html('{}<datalist id="timezone-list">{}</datalist>', box, options)


class PlanStartForm(Form):
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    timezone = forms.ChoiceField(
        choices=[(z, z) for z in ZONES],
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
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "go_live_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = forms.ChoiceField(
            choices=[(z, z) for z in ZONES], widget=ZoneInput(), help_text=ZONE_HELP
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, go_live = cleaned.get("start_date"), cleaned.get("go_live_date")
        if start and go_live and go_live < start:
            self.add_error("go_live_date", "Go-live cannot come before the start of the plan.")
        return cleaned


class DataUploadForm(Form):
    """One CSV upload. Its columns are matched on the next screen, before it is queued."""

    kind = forms.ChoiceField(choices=DataImport.Kind.choices)
    file = forms.FileField(help_text="A CSV file, comma- or semicolon-delimited.")

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


class ReviewCompleteForm(ModelForm):
    class Meta:
        model = Review
        fields = ["decision", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = True
        self.fields["decision"].choices = [("", "Choose…"), *Review.Decision.choices]


NOT_IN_FILE = "— not in this file —"


class ColumnMappingForm(Form):
    """The mapping screen: for each field of the upload's kind, the column of the file that
    holds it (a select of the file's headers), the key columns for a file without an id,
    the locale and the date format; optionally a name to save the mapping under.

    ``use`` picks a built-in or saved mapping to start from; ``shown_use`` is the one the
    selects show, so a new choice is seen on any POST (htmx sends the whole form on every
    change). ``shown_locale`` is the locale the headers were read in: when the posted
    ``locale`` differs, the headers change, and the view suggests a mapping for the new ones
    instead of reading this form's selects.
    """

    use = forms.ChoiceField(label="Start from a mapping", required=False)
    shown_use = forms.CharField(widget=forms.HiddenInput, required=False)
    locale = forms.ChoiceField(label="Number format and delimiter", choices=LOCALE_CHOICES)
    shown_locale = forms.CharField(widget=forms.HiddenInput, required=False)
    date_format = forms.ChoiceField(
        label="Date format", choices=DATE_FORMAT_CHOICES, required=False
    )
    key_columns = forms.MultipleChoiceField(
        label="Key columns",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a file without an id column: the columns whose values together "
        "identify a row (for example Opportunity Name and Created Date). Their values make a "
        "stable key, so uploading the same rows again updates them instead of adding them.",
    )
    save_as = forms.CharField(
        label="Save this mapping as",
        max_length=80,
        required=False,
        help_text="Optional: offer it for the next file of this kind.",
    )

    def __init__(
        self,
        *args: Any,
        fields: tuple[Field, ...],
        headers: tuple[str, ...],
        mappings: list[tuple[str, str]],
        key_field: str,
        with_date_format: bool,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.mapped_fields = fields
        columns = [(h, h) for h in dict.fromkeys(headers) if h.strip()]
        for field in fields:
            self.fields[f"col_{field.name}"] = forms.ChoiceField(
                label=field.label,
                choices=[("", NOT_IN_FILE), *columns],
                required=False,
                help_text=field.help,
            )
        self.fields["use"].choices = [("", "The mapping suggested for this file"), *mappings]
        self.fields["key_columns"].choices = columns
        if not key_field:
            del self.fields["key_columns"]
        if not with_date_format:
            del self.fields["date_format"]

    @classmethod
    def initial_for(
        cls, settings: ImportSettings, fields: tuple[Field, ...], *, use: str = ""
    ) -> dict[str, Any]:
        """The form's initial values showing ``settings`` (started from mapping ``use``)."""
        mapping = settings.mapping or {}
        return {
            "use": use,
            "shown_use": use,
            **{f"col_{field.name}": mapping.get(field.name, "") for field in fields},
            "key_columns": list(settings.key_columns),
            "locale": settings.locale,
            "shown_locale": settings.locale,
            "date_format": settings.date_format or "",
        }

    def field_rows(self) -> list[tuple[Field, forms.BoundField]]:
        """Each field of the kind with its select, for the template."""
        return [(field, self[f"col_{field.name}"]) for field in self.mapped_fields]

    def import_settings(self, *, name: str = "") -> ImportSettings:
        """The settings the valid form describes."""
        data = self.cleaned_data
        mapping = {
            field.name: data[f"col_{field.name}"]
            for field in self.mapped_fields
            if data.get(f"col_{field.name}")
        }
        return ImportSettings(
            mapping=mapping,
            key_columns=tuple(data.get("key_columns") or ()),
            locale=data["locale"],
            date_format=data.get("date_format") or None,
            name=name,
        )

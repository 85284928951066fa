"""Forms of the review data: the upload and its column mapping."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings

from core.forms import Form
from core.outbound import OutboundError, url_check

from ..models import DataImport
from .imports import DATE_FORMAT_CHOICES, LOCALE_CHOICES, ImportSettings
from .imports.fields import Field


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
        cast(forms.ChoiceField, self.fields["use"]).choices = [
            ("", "The mapping suggested for this file"),
            *mappings,
        ]
        cast(forms.ChoiceField, self.fields["key_columns"]).choices = columns
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


class N8nConnectionForm(Form):
    """The n8n instance and workflow to pull executions from. The base URL follows the
    rules for user-given URLs (``core.outbound.url_check``); the API key is write-only:
    blank keeps the stored one."""

    base_url = forms.URLField(
        label="n8n base URL",
        max_length=300,
        assume_scheme="https",
        help_text="The address you open n8n at, e.g. https://n8n.example.com",
    )
    n8n_workflow_id = forms.CharField(
        label="n8n workflow id",
        max_length=64,
        help_text="From the workflow's address in n8n: …/workflow/<id>",
    )
    api_key = forms.CharField(
        label="n8n API key",
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Settings → n8n API in n8n, with execution:list and execution:read. "
        "Stored encrypted and never shown again; leave blank to keep the stored key.",
    )
    arm = forms.ChoiceField(
        choices=[("orchestrated", "Orchestrated"), ("baseline", "Baseline")],
        initial="orchestrated",
        help_text="The arm the pulled runs count in.",
    )

    def __init__(self, *args: Any, has_key: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_key = has_key
        self.fields["api_key"].required = not has_key

    def clean_base_url(self) -> str:
        value = str(self.cleaned_data["base_url"]).rstrip("/")
        try:
            url_check(value)
        except OutboundError as exc:
            raise forms.ValidationError(exc.message) from exc
        return value

    def clean_n8n_workflow_id(self) -> str:
        value = str(self.cleaned_data["n8n_workflow_id"]).strip()
        if not value.replace("-", "").replace("_", "").isalnum():
            raise forms.ValidationError("An n8n workflow id has letters and digits only.")
        return value

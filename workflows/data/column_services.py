"""The column-mapping step of an upload: between the upload and the queue, the user sees the
file's first rows, the column suggested for each field and a preview of the parsed values,
and confirms (PRODUCT.md section 3, "with column mapping for CRM exports").

The uploaded file is kept on its DataImport (status MAPPING) so it is never uploaded twice;
only the first HEAD_BYTES of it are read to show the screen, however large the file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.db import transaction

from core.models import Organization
from core.tasks import enqueue_on_commit

from ..models import ColumnMapping, DataImport
from ..tasks import data_import_process_task
from .imports import ImportSettings, read_head, read_upload_head, sniff_locale
from .imports.errors import CsvImportError
from .imports.fields import (
    BUILTIN_MAPPINGS,
    FIELDS,
    KEY_FIELDS,
    Field,
    builtin_mapping,
    fit_to_headers,
    suggest_settings,
)
from .imports.layout import Head, locale_of
from .imports.preview import Preview, preview_upload

HEAD_BYTES = 1 << 20
PREVIEW_ROWS = 5
BUILTIN_PREFIX = "builtin:"
SAVED_PREFIX = "saved:"


def data_import_head_text(*, data_import: DataImport) -> str:
    """The text of the first HEAD_BYTES of the import's file (cut at a line break).

    Raises:
        CsvImportError: the file is not a readable CSV (binary, empty, broken encoding).
    """
    with data_import.file.open("rb") as handle:
        raw = handle.read(HEAD_BYTES + 1)
    return read_upload_head(
        raw[:HEAD_BYTES],
        complete=len(raw) <= HEAD_BYTES,
        max_bytes=django_settings.DATA_IMPORT_MAX_BYTES,
    )


def data_import_refuse(*, data_import: DataImport, error: CsvImportError, now: datetime) -> None:
    """Record that the file cannot be read at all (nothing to map): failed, not retryable."""
    DataImport.objects.filter(pk=data_import.pk).update(
        status=DataImport.Status.FAILED,
        failure=DataImport.Failure.INVALID,
        progress=100,
        message=str(error)[:500],
        problems=[
            {"line": p.line, "column": p.column, "message": p.message} for p in error.problems[:200]
        ],
        updated_at=now,
    )


def file_head(text: str, *, locale: str, rows: int = 0) -> Head:
    """The file's head read in ``locale``; when its header cannot be read that way (quotes
    placed for another delimiter), an empty Head carrying the problem, which the preview
    shows so the user can choose another locale."""
    try:
        return read_head(text, locale=locale_of(locale), rows=rows)
    except CsvImportError as error:
        return Head(headers=(), rows=(), sample="", problems=tuple(error.problems))


def data_import_settings(*, data_import: DataImport, text: str) -> ImportSettings:
    """The settings the screen starts from: those confirmed before (the import failed and is
    mapped again), else the ones suggested for the file."""
    if data_import.options and data_import.options.get("mapping") is not None:
        return ImportSettings.from_json(data_import.options)
    locale = sniff_locale(text)
    head = read_head(text, locale=locale, rows=0)
    return suggest_settings(data_import.kind, head.headers, locale=locale.code)


@dataclass(frozen=True)
class MappingChoice:
    """A mapping the user can start from: ``value`` as the form posts it."""

    value: str
    label: str


def mapping_choices(*, organization: Organization, kind: str) -> list[MappingChoice]:
    """The built-in mappings of ``kind`` (the CRM presets), then the organization's saved."""
    choices = [
        MappingChoice(f"{BUILTIN_PREFIX}{m.code}", f"{m.label} (built in)")
        for m in BUILTIN_MAPPINGS.get(kind, ())
    ]
    saved = ColumnMapping.objects.for_organization(organization).filter(kind=kind)
    choices += [MappingChoice(f"{SAVED_PREFIX}{m.pk}", m.name) for m in saved]
    return choices


def mapping_choice_apply(
    *, organization: Organization, kind: str, value: str, current: ImportSettings, text: str
) -> ImportSettings | None:
    """A built-in or saved mapping applied to this file, or None for an unknown choice (or
    another organization's): each header as this file writes it (fields the file lacks are
    left out), the saved mapping's locale (a built-in keeps the current one), and the current
    date format unless the mapping names one."""
    chosen: ImportSettings | None = None
    locale = current.locale
    if value.startswith(BUILTIN_PREFIX):
        found = builtin_mapping(kind, value.removeprefix(BUILTIN_PREFIX))
        chosen = found.settings if found else None
    elif value.startswith(SAVED_PREFIX) and value.removeprefix(SAVED_PREFIX).isdigit():
        saved = (
            ColumnMapping.objects.for_organization(organization)
            .filter(kind=kind, pk=int(value.removeprefix(SAVED_PREFIX)))
            .first()
        )
        if saved:
            chosen = replace(ImportSettings.from_json(saved.mapping), name=saved.name)
            locale = chosen.locale
    if chosen is None:
        return None
    head = file_head(text, locale=locale)
    return replace(
        fit_to_headers(chosen, head.headers),
        locale=locale,
        date_format=chosen.date_format or current.date_format,
    )


@dataclass(frozen=True)
class MappingScreen:
    """What the mapping screen shows: the file's ``head`` read in ``settings.locale``, the
    ``fields`` of the kind (``key_field`` the one key columns can stand in for), the current
    ``settings`` and the ``preview`` they give."""

    data_import: DataImport
    head: Head
    fields: tuple[Field, ...]
    key_field: str
    settings: ImportSettings
    preview: Preview

    @property
    def can_confirm(self) -> bool:
        return not self.preview.file_problems


def mapping_screen_get(
    *, data_import: DataImport, text: str, settings: ImportSettings, as_of: date
) -> MappingScreen:
    """The screen for ``settings`` (parsing only the first PREVIEW_ROWS rows)."""
    head = file_head(text, locale=settings.locale, rows=PREVIEW_ROWS)
    return MappingScreen(
        data_import=data_import,
        head=head,
        fields=FIELDS[data_import.kind],
        key_field=KEY_FIELDS.get(data_import.kind, ""),
        settings=settings,
        preview=preview_upload(data_import.kind, head, settings, as_of=as_of),
    )


def data_import_confirm(
    *,
    data_import: DataImport,
    settings: ImportSettings,
    organization: Organization,
    save_as: str,
    user: User | None,
    now: datetime,
) -> bool:
    """Store the confirmed settings and queue the import (its task after commit); with
    ``save_as``, also save them as the organization's mapping of that name (replacing one of
    the same name). False when the import is no longer waiting for its mapping (it was
    confirmed meanwhile: a second click queues nothing)."""
    with transaction.atomic():
        if save_as:
            ColumnMapping.objects.update_or_create(
                organization=organization,
                kind=data_import.kind,
                name=save_as,
                defaults={
                    "mapping": replace(settings, name=save_as).as_json(),
                    "created_by": user,
                },
            )
            settings = replace(settings, name=save_as)
        queued = (
            DataImport.objects.filter(
                pk=data_import.pk,
                status__in=[DataImport.Status.MAPPING, DataImport.Status.FAILED],
            ).update(
                options=settings.as_json(),
                status=DataImport.Status.QUEUED,
                failure="",
                message="",
                problems=[],
                progress=0,
                row_count=0,
                updated_at=now,
            )
            == 1
        )
        if not queued:
            transaction.set_rollback(True)
    if queued:
        enqueue_on_commit(data_import_process_task, data_import.pk)
    return queued

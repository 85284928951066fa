"""Views of the review data: upload a CSV, match its columns, watch it import, retry it.

The flow: the data page takes the file (kept, status "mapping"), the mapping screen shows
its first rows, the column suggested for each field and a preview of the parsed values,
and only its confirmation queues the import. Every form is a plain POST, so the flow works
without JavaScript; with htmx the mapping screen re-renders its ``mapping-form`` fragment
on every change, so the preview follows the selects.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.forms import BoundField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.page_cache import cached_page
from core.quota import refuse_over_quota
from core.scoping import OrgRequest

from ..access import workflow_endpoint
from ..ingest.selectors import live_panel_get
from ..models import CandidateWorkflow, DataImport
from .column_services import (
    MappingScreen,
    data_import_confirm,
    data_import_head_text,
    data_import_refuse,
    data_import_settings,
    file_head,
    mapping_choice_apply,
    mapping_choices,
    mapping_screen_get,
)
from .forms import ColumnMappingForm, DataUploadForm, N8nConnectionForm
from .imports import (
    DATE_FORMATS,
    LOCALES,
    CsvImportError,
    ImportSettings,
)
from .imports.fields import FIELDS, KEY_FIELDS, Field, suggest_settings
from .processing import data_imports_expire_stale
from .selectors import data_counts
from .services import data_import_create, data_import_retry


def _data_url(request: OrgRequest, workflow: CandidateWorkflow, watch: int | None = None) -> str:
    url = reverse("workflows:data", args=[request.organization.slug, workflow.pk])
    return f"{url}?watch={watch}" if watch else url


@cached_page
@require_http_methods(["GET", "POST"])
@workflow_endpoint
@refuse_over_quota
def data_page(request: OrgRequest, workflow: CandidateWorkflow) -> HttpResponse:
    """Upload the run log, events, opportunities (CRM exports) and AI spend. An upload goes
    to its mapping screen; once confirmed it is processed in the background with a progress
    bar, and its bad rows listed by line."""
    form = DataUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data_import = data_import_create(
            workflow=workflow,
            organization=request.organization,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            user=request.user,
            now=timezone.now(),
        )
        if data_import.status == DataImport.Status.FAILED:
            return redirect(_data_url(request, workflow, data_import.pk))
        return redirect(
            "workflows:import-mapping",
            org_slug=request.organization.slug,
            workflow_id=workflow.pk,
            import_id=data_import.pk,
        )
    return data_page_render(
        request, workflow, form=form, status=422 if request.method == "POST" else 200
    )


def data_page_render(
    request: OrgRequest,
    workflow: CandidateWorkflow,
    *,
    form: DataUploadForm | None = None,
    n8n_form: N8nConnectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The data page: uploads, and the live runs panel (ingest URL and secret, the n8n
    snippets and connection, the last runs received and where each day's runs come from)."""
    data_imports_expire_stale(now=timezone.now(), workflow=workflow)
    imports = DataImport.objects.filter(workflow=workflow)[:20]
    live = live_panel_get(workflow=workflow, now=timezone.now())
    if n8n_form is None:
        connection = live.connection
        n8n_form = N8nConnectionForm(
            initial={
                "base_url": connection.base_url,
                "n8n_workflow_id": connection.n8n_workflow_id,
                "arm": connection.arm,
            }
            if connection
            else None,
            has_key=connection is not None,
        )
    return render(
        request,
        "workflows/data_page.html",
        {
            "workflow": workflow,
            "form": form or DataUploadForm(),
            "imports": imports,
            "counts": data_counts(workflow=workflow),
            "live": live,
            "n8n_form": n8n_form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@workflow_endpoint
def import_mapping(
    request: OrgRequest, workflow: CandidateWorkflow, import_id: int
) -> HttpResponse:
    """Match an upload's columns to the fields of its kind, see its first rows parsed, and
    confirm: only then is the import queued. A POST with ``action`` "confirm" confirms; any
    other POST (the Preview button, every htmx change) shows the screen for what it chose."""
    data_import = get_object_or_404(DataImport, pk=import_id, workflow=workflow)
    if not data_import.can_remap:
        messages.info(request, "This upload is queued or imported already.")
        return redirect(_data_url(request, workflow, data_import.pk))
    try:
        text = data_import_head_text(data_import=data_import)
        stored = data_import_settings(data_import=data_import, text=text)
    except CsvImportError as error:
        data_import_refuse(data_import=data_import, error=error, now=timezone.now())
        return redirect(_data_url(request, workflow, data_import.pk))
    form, chosen = _mapping_form(request, data_import, text, stored)
    screen = mapping_screen_get(
        data_import=data_import, text=text, settings=chosen, as_of=timezone.localdate()
    )
    status = 200
    if request.method == "POST" and request.POST.get("action") == "confirm":
        if form.is_bound and form.is_valid() and screen.can_confirm:
            data_import_confirm(
                data_import=data_import,
                settings=chosen,
                organization=request.organization,
                save_as=form.cleaned_data["save_as"].strip(),
                user=request.user,
                now=timezone.now(),
            )
            return redirect(_data_url(request, workflow, data_import.pk))
        status = 422
    template = "workflows/data_mapping.html"
    if request.htmx:
        template += "#mapping-form"
    context = {
        "workflow": workflow,
        "screen": screen,
        "form": form,
        "field_rows": _field_rows(form, screen),
        "data_import": data_import,
    }
    return render(request, template, context, status=status)


def _mapping_form(
    request: OrgRequest, data_import: DataImport, text: str, stored: ImportSettings
) -> tuple[ColumnMappingForm, ImportSettings]:
    """The mapping form and the settings it stands for.

    GET: the stored (or suggested) settings. POST: what the user chose, except when the
    choice changes which headers there are: a new built-in or saved mapping in ``use``
    (applied to this file), or a new locale (the file read again, and a mapping suggested
    for its headers); those come back as a fresh form showing the new settings.
    """
    kind = data_import.kind
    choices = [
        (c.value, c.label) for c in mapping_choices(organization=request.organization, kind=kind)
    ]
    if request.method != "POST":
        return _unbound(data_import, text, stored, choices), stored
    post = request.POST
    locale = post.get("locale") or ""
    if locale not in LOCALES:
        locale = stored.locale
    date_format = post.get("date_format") if post.get("date_format") in DATE_FORMATS else None
    use = post.get("use", "")
    if use and use != post.get("shown_use"):
        applied = mapping_choice_apply(
            organization=request.organization,
            kind=kind,
            value=use,
            current=replace(stored, locale=locale, date_format=date_format),
            text=text,
        )
        if applied is not None:
            return _unbound(data_import, text, applied, choices, use=use), applied
    if locale != post.get("shown_locale"):
        head = file_head(text, locale=locale)
        suggested = replace(
            suggest_settings(kind, head.headers, locale=locale), date_format=date_format
        )
        return _unbound(data_import, text, suggested, choices), suggested
    head = file_head(text, locale=locale)
    form = ColumnMappingForm(post, **_form_kwargs(data_import, head.headers, choices))
    if form.is_valid():
        return form, form.import_settings(name=stored.name)
    return form, stored


def _field_rows(
    form: ColumnMappingForm, screen: MappingScreen
) -> list[tuple[Field, BoundField, str]]:
    """Each field, its select, and the first row's value in the column chosen for it."""
    first = screen.head.rows[0][1] if screen.head.rows else ()
    position = {header: index for index, header in reversed(list(enumerate(screen.head.headers)))}
    mapping = screen.settings.mapping or {}
    rows = []
    for field, bound in form.field_rows():
        index = position.get(mapping.get(field.name, ""), len(first))
        rows.append((field, bound, first[index] if index < len(first) else ""))
    return rows


def _form_kwargs(
    data_import: DataImport, headers: tuple[str, ...], choices: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "fields": FIELDS[data_import.kind],
        "headers": headers,
        "mappings": choices,
        "key_field": KEY_FIELDS.get(data_import.kind, ""),
        "with_date_format": data_import.kind == DataImport.Kind.OPPORTUNITIES,
    }


def _unbound(
    data_import: DataImport,
    text: str,
    settings: ImportSettings,
    choices: list[tuple[str, str]],
    *,
    use: str = "",
) -> ColumnMappingForm:
    """A fresh form showing ``settings``."""
    head = file_head(text, locale=settings.locale)
    return ColumnMappingForm(
        initial=ColumnMappingForm.initial_for(settings, FIELDS[data_import.kind], use=use),
        **_form_kwargs(data_import, head.headers, choices),
    )


@require_GET
@workflow_endpoint
def import_status(request: OrgRequest, workflow: CandidateWorkflow, import_id: int) -> HttpResponse:
    """One import's status row; htmx polls it every second until it is done or failed (an
    import whose worker stopped is marked failed here too, with its Retry button)."""
    data_imports_expire_stale(now=timezone.now(), workflow=workflow)
    data_import = get_object_or_404(DataImport, pk=import_id, workflow=workflow)
    return render(
        request, "workflows/_import_row.html", {"data_import": data_import, "workflow": workflow}
    )


@require_POST
@workflow_endpoint
def import_retry(request: OrgRequest, workflow: CandidateWorkflow, import_id: int) -> HttpResponse:
    """Queue a failed import again, when it failed for a reason other than its content."""
    data_import = get_object_or_404(DataImport, pk=import_id, workflow=workflow)
    if not data_import_retry(data_import=data_import, now=timezone.now()):
        messages.info(request, "There is nothing to retry: fix the file and upload it again.")
    return redirect(_data_url(request, workflow, data_import.pk))

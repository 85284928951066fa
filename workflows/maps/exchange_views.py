"""Views of a map's exchange formats: the JSON, Mermaid and BPMN downloads, the "View as
BPMN" page, and the upload that imports a map (JSON), a BPMN process, or an n8n or Make
export, listing what was imported, approximated and dropped.

Split from ``views`` (the editor), whose page and helpers these views render.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core import json as strict_json
from core.scoping import OrgRequest

from ..access import workflow_endpoint
from ..models import CandidateWorkflow, Step, WorkflowMap
from . import services
from .exchange import (
    MapImport,
    MapImportError,
    map_from_bpmn,
    map_from_make,
    map_from_n8n,
    map_import_from_json,
    map_to_bpmn,
    map_to_json,
    map_to_mermaid,
    parse_bpmn_bytes,
    parse_json_bytes,
)
from .forms import MapImportForm
from .views import _first_error_id, _page_url, _render, _saved_map_view

MAX_REPORT_LINES = 20  # per kind (approximated, dropped) after an import
N8N_INTO_CURRENT = "An n8n workflow is an orchestrated chain: import it into the future state."
MAKE_INTO_CURRENT = "A Make scenario is an orchestrated chain: import it into the future state."


@require_GET
@workflow_endpoint
def export_json(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    view = _saved_map_view(workflow, kind)
    response = HttpResponse(
        strict_json.dumps(map_to_json(view.input), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="workflow-{workflow.pk}-{kind}.json"'
    return response


@require_GET
@workflow_endpoint
def export_mermaid(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    view = _saved_map_view(workflow, kind)
    response = HttpResponse(map_to_mermaid(view.input), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workflow-{workflow.pk}-{kind}.mmd"'
    return response


@require_GET
@workflow_endpoint
def export_bpmn(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    """The map as BPMN 2.0 XML with diagram interchange (``exchange.map_to_bpmn``); with
    ``?inline=1`` served without the download header, for the "View as BPMN" page."""
    view = _saved_map_view(workflow, kind)
    response = HttpResponse(map_to_bpmn(view.input), content_type="application/xml; charset=utf-8")
    if request.GET.get("inline") != "1":
        response["Content-Disposition"] = (
            f'attachment; filename="workflow-{workflow.pk}-{kind}.bpmn"'
        )
    return response


@require_GET
@workflow_endpoint
def bpmn_page(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    """The map drawn as BPMN by the vendored bpmn-js viewer (static/vendor/bpmn-js), which
    loads the export; without JavaScript the page offers the file to download."""
    view = _saved_map_view(workflow, kind)
    return render(
        request,
        "workflows/map_bpmn.html",
        {
            "workflow": workflow,
            "kind": kind,
            "kind_label": WorkflowMap.Kind(kind).label,
            "view": view,
            "base": _page_url(workflow, kind),
        },
    )


def _read_import(form: MapImportForm, workflow: CandidateWorkflow, kind: str) -> MapImport:
    """The uploaded file read by the import its format names.

    Raises:
        MapImportError: the file's problems, or an n8n or Make file for the current state.
    """
    chosen, raw = form.cleaned_data["format"], form.cleaned_data["file"]
    if chosen == "bpmn":
        return map_from_bpmn(parse_bpmn_bytes(raw), name=workflow.name)
    data = parse_json_bytes(raw)
    if chosen in ("n8n", "make") and kind != WorkflowMap.Kind.FUTURE:
        raise MapImportError([N8N_INTO_CURRENT if chosen == "n8n" else MAKE_INTO_CURRENT])
    if chosen == "n8n":
        return map_from_n8n(data, name=workflow.name)
    if chosen == "make":
        return map_from_make(data, name=workflow.name)
    return map_import_from_json(data)


@require_POST
@workflow_endpoint
def import_map(request: OrgRequest, workflow: CandidateWorkflow, kind: str) -> HttpResponse:
    """Replace this map's steps with an uploaded map (JSON), a BPMN process, or an n8n or
    Make export (future state only), keep every map setting the file does not carry, and
    list what was imported, approximated and dropped. A refused file changes nothing."""
    form = MapImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            imported = _read_import(form, workflow, kind)
        except MapImportError as exc:
            form.add_error("file", str(exc))
        else:
            existing = Step.objects.filter(map__workflow=workflow, map__kind=kind).count()
            if existing and not form.cleaned_data["replace"]:
                # The confirmation: a file cannot be posted again from a confirmation page,
                # so the form asks for the box to be ticked, saying what would go.
                count = len(imported.map.steps)
                form.add_error(
                    "replace",
                    f"This map has {existing} step{'s' if existing != 1 else ''}: tick the box "
                    f"to replace {'them' if existing != 1 else 'it'} with the file's {count}.",
                )
                return _render(
                    request, workflow, kind, status=422, import_form=form, focus="id_replace"
                )
            services.map_replace_steps(
                workflow_map=services.workflow_map_get_or_create(workflow=workflow, kind=kind),
                source=imported.map,
                carries=imported.carries,
            )
            report = imported.report
            messages.success(request, report.summary)
            for line in _shown(report.approximated):
                messages.warning(request, f"Approximated: {line}.")
            for line in _shown(report.dropped):
                messages.info(request, f"Dropped: {line}.")
            return redirect(_page_url(workflow, kind))
    # The error is beside the file field, far down the page: focus it so it shows.
    return _render(
        request, workflow, kind, status=422, import_form=form, focus=_first_error_id(form)
    )


def _shown(lines: tuple[str, ...]) -> list[str]:
    """At most MAX_REPORT_LINES lines of an import report, the rest counted."""
    if len(lines) <= MAX_REPORT_LINES:
        return list(lines)
    more = len(lines) - MAX_REPORT_LINES + 1
    return [*lines[: MAX_REPORT_LINES - 1], f"{more} more of the same kind, not listed"]

"""Rendering a board report: its HTML with SVG charts, the PDF, and the stored file.

WeasyPrint (about 0.6 s to import) and pypdf load with this module, so only the worker and
the shell command import it; the web process only queues the task.
"""

from __future__ import annotations

import io
import time
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from pypdf import PdfReader

from core.models import Organization
from core.pdf import render_pdf

from .assembly import board_report_context
from .charts import figure_svg, svg_data_uri
from .models import BoardReport
from .print_charts import LANDSCAPE_WIDTH_PX, PORTRAIT_WIDTH_PX, readable_for_print

# The two small review charts print at 80% of the column (print.css ".chart.half").
HALF_WIDTH_CHARTS = {"review_throughput", "review_conversion"}


def _print_width(name: str) -> int:
    """How wide chart ``name`` prints, in CSS pixels: swimlanes on landscape pages."""
    if name.startswith("swimlane_"):
        return LANDSCAPE_WIDTH_PX
    if name in HALF_WIDTH_CHARTS:
        return round(PORTRAIT_WIDTH_PX * 0.8)
    return PORTRAIT_WIDTH_PX


def board_report_html(*, organization: Organization, as_of: date) -> tuple[str, dict[str, str]]:
    """The report's HTML with its charts as SVG data URIs, and the data dates."""
    data = board_report_context(organization=organization, as_of=as_of)
    charts: dict[str, str] = {}
    swimlanes: dict[str, list[str]] = {"current": [], "future": []}
    for name, figure in data.figures.items():
        # Drawn for the width it prints at, every text at least 7.5 pt (print_charts).
        printed = readable_for_print(figure, print_width_px=_print_width(name))
        svg = figure_svg(printed, width=printed["layout"]["width"])
        if name.startswith("swimlane_"):
            kind = name.split("_")[1]
            swimlanes[kind].append(svg_data_uri(svg) if svg else "")
        elif svg:
            charts[name] = svg_data_uri(svg)
    html = render_to_string(
        "pdf/board_report.html",
        {
            "org": organization,
            "as_of": as_of,
            "sections": data.sections,
            "charts": charts,
            "swimlanes": [
                ("Before: the current state", swimlanes["current"]),
                ("After: the orchestrated future state", swimlanes["future"]),
            ],
            "data_dates": data.data_dates,
            "next_steps": data.next_steps,
        },
    )
    return html, data.data_dates


def board_report_render(*, report: BoardReport, now: datetime) -> None:
    """Render ``report`` once: a done report is left alone, so a task that runs twice (a
    redelivery after a worker died) still makes one file."""
    if report.status == BoardReport.Status.DONE:
        return
    started = time.perf_counter()
    BoardReport.objects.filter(pk=report.pk).update(
        status=BoardReport.Status.RENDERING, progress=10, error=""
    )
    html, data_dates = board_report_html(organization=report.organization, as_of=now.date())
    BoardReport.objects.filter(pk=report.pk).update(progress=60)
    pdf = render_pdf(html)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    with transaction.atomic():
        locked = BoardReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == BoardReport.Status.DONE:
            return
        name = f"board-report-{report.organization.slug}-{now:%Y-%m-%d}-{report.pk}.pdf"
        locked.file.save(name, ContentFile(pdf), save=False)
        locked.status = BoardReport.Status.DONE
        locked.progress = 100
        locked.pages = pages
        locked.data_as_of = data_dates
        locked.finished_at = now
        locked.render_seconds = round(time.perf_counter() - started, 2)
        locked.save()

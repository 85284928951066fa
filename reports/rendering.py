"""Rendering a board report: its HTML with SVG charts, the PDF, and the stored file.

WeasyPrint (about 0.6 s to import) and pypdf load with this module, so only the worker and
the shell command import it; the web process only queues the task.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from weasyprint.urls import URLFetcherResponse

from core.links import absolute_url
from core.models import Organization
from core.pdf import BASE_URL, SafeURLFetcher, render_pdf
from webhooks.models import EventType
from webhooks.services import webhook_event_emit_for
from workflows.models import WorkflowMap

from .assembly import board_report_context
from .chart_cache import PendingCharts
from .charts import svg_data_uri
from .liveness import process_token
from .models import BoardReport
from .print_charts import LANDSCAPE_WIDTH_PX, PORTRAIT_WIDTH_PX, readable_for_print

# Where the report's HTML points for a chart; ``ChartFetcher`` serves it to WeasyPrint.
CHART_URL = BASE_URL + "charts/{name}.svg"
_CHART_URL = re.compile(re.escape(BASE_URL) + r"charts/(\w+)\.svg")
UNAVAILABLE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="40">'
    '<text x="0" y="24" font-family="sans-serif" font-size="14" fill="#6b7280">'
    "Chart unavailable.</text></svg>"
)


# The two small review charts print at 80% of the column (print.css ".chart.half").
HALF_WIDTH_CHARTS = {"review_throughput", "review_conversion"}


def _print_width(name: str) -> int:
    """How wide chart ``name`` prints, in CSS pixels: swimlanes on landscape pages."""
    if name.startswith("swimlane_"):
        return LANDSCAPE_WIDTH_PX
    if name in HALF_WIDTH_CHARTS:
        return round(PORTRAIT_WIDTH_PX * 0.8)
    return PORTRAIT_WIDTH_PX


class ChartFetcher(SafeURLFetcher):
    """The safe fetcher, serving the report's charts too: WeasyPrint asks for each while it
    builds the pages, and waits only for a chart not drawn yet."""

    def __init__(
        self,
        charts: PendingCharts,
        *,
        progress: Callable[[int], None] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.charts = charts
        self.progress = progress
        self.fetched: set[str] = set()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if (match := _CHART_URL.fullmatch(url)) and match.group(1) in self.charts.keys:
            svg = self.charts.svg(match.group(1)) or UNAVAILABLE_SVG
            self.fetched.add(match.group(1))
            if self.progress:
                self.progress(10 + 70 * len(self.fetched) // len(self.charts.keys))
            return URLFetcherResponse(url, svg.encode(), {"Content-Type": "image/svg+xml"})
        return super().fetch(url, headers)


def _report_start(
    *, organization: Organization, as_of: date, now: datetime
) -> tuple[str, PendingCharts, dict[str, str]]:
    """The report's HTML with a ``CHART_URL`` for each chart, its charts (cached ones read,
    the others being drawn all at once: only those the HTML shows), and the data dates."""
    data = board_report_context(organization=organization, as_of=as_of)
    # Each chart drawn for the width it prints at, every text at least 7.5 pt (print_charts).
    printed = {
        name: readable_for_print(figure, print_width_px=_print_width(name))
        for name, figure in data.figures.items()
    }
    swimlanes: dict[str, list[str]] = {kind: [] for kind in WorkflowMap.Kind}
    for name in printed:
        if name.startswith("swimlane_"):
            swimlanes[name.split("_")[1]].append(CHART_URL.format(name=name))
    html = render_to_string(
        "pdf/board_report.html",
        {
            "org": organization,
            "as_of": as_of,
            "sections": data.sections,
            "charts": {
                name: CHART_URL.format(name=name)
                for name in printed
                if not name.startswith("swimlane_")
            },
            "swimlanes": [
                ("Before: the current state", swimlanes[WorkflowMap.Kind.CURRENT]),
                ("After: the orchestrated future state", swimlanes[WorkflowMap.Kind.FUTURE]),
            ],
            "data_dates": data.data_dates,
            "next_steps": data.next_steps,
        },
    )
    shown = set(_CHART_URL.findall(html))
    charts = PendingCharts(
        {
            name: (figure, figure["layout"]["width"])
            for name, figure in printed.items()
            if name in shown
        },
        now=now,
    )
    return html, charts, data.data_dates


def board_report_html(
    *, organization: Organization, as_of: date, now: datetime | None = None
) -> tuple[str, dict[str, str]]:
    """The report's HTML with its charts as SVG data URIs, and the data dates."""
    html, charts, data_dates = _report_start(
        organization=organization, as_of=as_of, now=now or timezone.now()
    )
    for name in charts.keys:
        svg = charts.svg(name)
        html = html.replace(CHART_URL.format(name=name), svg_data_uri(svg or UNAVAILABLE_SVG))
    charts.save()
    return html, data_dates


def board_report_pdf(
    *,
    organization: Organization,
    as_of: date,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, dict[str, str]]:
    """The report's PDF and data dates. The charts not cached are drawn while WeasyPrint
    parses and styles the text, which it does before it needs the first chart;
    ``progress`` hears 10..80 as the charts go in."""
    html, charts, data_dates = _report_start(organization=organization, as_of=as_of, now=now)
    pdf = render_pdf(html, url_fetcher=ChartFetcher(charts, progress=progress))
    charts.save()
    return pdf, data_dates


def board_report_render(*, report: BoardReport, now: datetime) -> None:
    """Render ``report`` once: a done report is left alone, so a task that runs twice (a
    redelivery after a worker died) still makes one file."""
    if report.status == BoardReport.Status.DONE:
        return
    started = time.perf_counter()
    BoardReport.objects.filter(pk=report.pk).update(
        status=BoardReport.Status.RENDERING,
        progress=10,
        error="",
        rendered_by=process_token(),
        updated_at=timezone.now(),
    )

    def progress(percent: int) -> None:
        BoardReport.objects.filter(pk=report.pk).update(progress=percent, updated_at=timezone.now())

    pdf, data_dates = board_report_pdf(
        organization=report.organization, as_of=now.date(), now=now, progress=progress
    )
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
        webhook_event_emit_for(
            organization=report.organization,
            event_type=EventType.REPORT_READY,
            data={
                "report_id": report.pk,
                "finished_at": now,
                "pages": pages,
                "url": absolute_url(
                    reverse("reports:detail", args=[report.organization.slug, report.pk])
                ),
            },
        )


def board_report_fail(*, report_id: int, error: str) -> None:
    BoardReport.objects.filter(pk=report_id).exclude(status=BoardReport.Status.DONE).update(
        status=BoardReport.Status.FAILED, error=error[:500], progress=100
    )

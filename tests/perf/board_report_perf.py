"""Board report render time in a warm worker, next to a bare WeasyPrint render.

Budget (issue 13): with an empty chart cache, at most 1.3x a bare WeasyPrint render of the
same HTML and SVGs, measured side by side in the same run; the second render (charts read
from the cache) is reported beside it. "Warm" means the Kaleido/Chromium renderer is
started and WeasyPrint imported, as in a long-lived worker. Runs against a scratch SQLite
database with the demo loaded.

Usage: .venv/bin/python tests/perf/board_report_perf.py [--runs 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="report-perf-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{scratch / 'perf.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="false",
        MEDIA_ROOT=str(scratch / "media"),
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    import io
    import logging

    from django.core.management import call_command
    from django.utils import timezone
    from weasyprint import HTML

    from core.models import Organization
    from core.pdf import BASE_URL, SafeURLFetcher, render_pdf
    from reports.rendering import board_report_html, board_report_pdf

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("load_demo", responses=240, stdout=io.StringIO())
    organization = Organization.objects.get(slug="northwind-demo")

    from reports.models import ChartImage

    started = time.perf_counter()
    html, _ = board_report_html(organization=organization, as_of=timezone.localdate())
    render_pdf(html)
    cold = time.perf_counter() - started

    def report() -> tuple[float, bytes]:
        """What the worker does (reports.rendering.board_report_pdf): data, charts drawn
        while WeasyPrint lays out the text, the PDF."""
        t0 = time.perf_counter()
        pdf, _ = board_report_pdf(
            organization=organization, as_of=timezone.localdate(), now=timezone.now()
        )
        return time.perf_counter() - t0, pdf

    # The same HTML with its SVGs inlined, for the bare render.
    html, _ = board_report_html(organization=organization, as_of=timezone.localdate())
    empty, filled, bare = [], [], []
    pages = 0
    for _ in range(args.runs):
        ChartImage.objects.all().delete()
        seconds, pdf = report()
        empty.append(seconds)
        filled.append(report()[0])
        t3 = time.perf_counter()
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).render()
        document.write_pdf()
        bare.append(time.perf_counter() - t3)
        pages = len(document.pages)
    figures = {
        "report_empty_cache_s": statistics.median(empty),
        "report_filled_cache_s": statistics.median(filled),
        "report_bare_s": statistics.median(bare),
    }
    figures["report_ratio"] = figures["report_empty_cache_s"] / figures["report_bare_s"]
    figures["report_filled_ratio"] = figures["report_filled_cache_s"] / figures["report_bare_s"]
    print(
        f"demo board report: {pages} pages, {html.count('data:image/svg+xml')} charts, "
        f"{len(pdf):,} bytes; cold (first render, starts Chromium): {cold:.2f} s"
    )
    print(
        f"warm, empty chart cache: median {figures['report_empty_cache_s']:.2f} s; "
        f"charts cached: {figures['report_filled_cache_s']:.2f} s; bare WeasyPrint of the "
        f"same HTML and SVGs: {figures['report_bare_s']:.2f} s ({args.runs} runs each, "
        "interleaved)"
    )
    print(
        f"ratio {figures['report_ratio']:.2f}x (cached {figures['report_filled_ratio']:.2f}x); "
        f"budget <= 1.3x: {'met' if figures['report_ratio'] <= 1.3 else 'MISSED'}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()

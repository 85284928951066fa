"""Board report render time in a warm worker, next to a bare WeasyPrint render.

Budget (ARCHITECTURE.md): <= 3 s for the demo report (about 8 pages, 6 charts) in a warm
worker. "Warm" means the Kaleido/Chromium renderer is started and WeasyPrint imported, as
in a long-lived Celery worker. Runs against a scratch SQLite database with the demo loaded.

Usage: .venv/bin/python tests/perf/board_report_perf.py [--runs 5]
"""

from __future__ import annotations

import argparse
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
    from reports.rendering import board_report_html

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("load_demo", responses=240, stdout=io.StringIO())
    organization = Organization.objects.get(slug="northwind-demo")

    started = time.perf_counter()
    html, _ = board_report_html(organization=organization, as_of=timezone.localdate())
    render_pdf(html)
    cold = time.perf_counter() - started

    full, charts_and_html, bare = [], [], []
    pages = 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        html, _ = board_report_html(organization=organization, as_of=timezone.localdate())
        t1 = time.perf_counter()
        pdf = render_pdf(html)
        t2 = time.perf_counter()
        full.append(t2 - t0)
        charts_and_html.append(t1 - t0)
        t3 = time.perf_counter()
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).render()
        document.write_pdf()
        bare.append(time.perf_counter() - t3)
        pages = len(document.pages)
    print(
        f"demo board report: {pages} pages, {html.count('data:image/svg+xml')} charts, {len(pdf):,} bytes"
    )
    print(f"cold (first render, starts Chromium): {cold:.2f} s")
    print(
        f"warm, full report (data + charts + PDF): median {statistics.median(full):.2f} s, "
        f"max {max(full):.2f} s over {args.runs} runs"
    )
    print(f"  of which data and SVG charts: median {statistics.median(charts_and_html):.2f} s")
    print(
        f"bare WeasyPrint render of the same HTML and SVGs: median {statistics.median(bare):.2f} s"
    )
    print(f"budget <= 3 s warm: {'met' if statistics.median(full) <= 3 else 'MISSED'}")


if __name__ == "__main__":
    main()

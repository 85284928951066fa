"""The board report reads on paper: every text at least 7 pt (pdfplumber reads the sizes),
swimlanes on landscape pages, long maps in parts, and no mostly blank page.

Rendered once for the module from the demo data (the pages are also saved as PNGs at
100 dpi with pdftoppm, when it is installed, for a person to look at).
"""

import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Organization
from core.pdf import render_pdf
from reports.charts import figure_svg
from reports.rendering import board_report_html
from workflows.models import CandidateWorkflow, Step, WorkflowMap

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "board-report"
MIN_PT = 7
MARGIN_PT = 50  # the running header and footer sit in the page margins


def char_size(char: dict) -> float:
    # A rotated character (an axis title) has its font size across the line: its width.
    return char["size"] if char["upright"] else char["x1"] - char["x0"]


def content_fill(page) -> float:
    """How far down the content area the page's text and drawings reach, 0..1."""
    top, bottom = MARGIN_PT, page.height - MARGIN_PT
    objects = page.chars + page.rects + page.lines + page.curves + page.images
    lowest = max(
        (o["bottom"] for o in objects if top < o["top"] and o["bottom"] < bottom), default=0
    )
    return (lowest - top) / (bottom - top)


def render(name: str, *, extra_steps: int = 0):
    """The demo organization's report as pdfplumber reads it; with ``extra_steps`` more
    steps on the first workflow's future state. Saved under artifacts/board-report/."""
    if figure_svg({"data": [], "layout": {}}) is None:
        pytest.skip("Chromium is not available to draw the charts")
    call_command("load_demo", responses=40, stdout=io.StringIO())
    org = Organization.objects.get(slug="northwind-demo")
    workflow = CandidateWorkflow.objects.get(organization=org, portfolio_position=1)
    future = WorkflowMap.objects.get(workflow=workflow, kind="future")
    for n in range(5, 5 + extra_steps):
        Step.objects.create(map=future, position=n, name=f"Follow-up step {n}", team="Sales")
    html, _ = board_report_html(organization=org, as_of=timezone.localdate())
    data = render_pdf(html)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(data)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run(
            [pdftoppm, "-r", "100", "-png", str(path), str(ARTIFACTS / name)], check=True
        )
    return pdfplumber.open(io.BytesIO(data))


def test_the_demo_report_has_no_mostly_blank_page_and_landscape_swimlanes():
    with render("demo") as pdf:
        pages = pdf.pages
        # The cover is laid out on its own; the last page ends where the report ends.
        fills = {n: round(content_fill(p), 2) for n, p in enumerate(pages[1:-1], 2)}
        assert all(fill >= 0.4 for fill in fills.values()), fills
        landscape = [p for p in pages if p.width > p.height]
        assert landscape and "The workflow as swimlanes" in landscape[0].extract_text()
        assert not small_text(pdf)


def test_a_long_map_prints_in_parts_with_every_text_at_least_7_pt():
    with render("long-map", extra_steps=5) as pdf:  # a future state of nine steps
        assert not small_text(pdf)
        # SVG text comes out without spaces; compare without them.
        text = "".join(p.extract_text() for p in pdf.pages if p.width > p.height).replace(" ", "")
        assert "(in3parts)" in text  # 3 + 3 + 3 steps
        assert "9.Follow-upstep9" in text


def small_text(pdf) -> list:
    return [
        (number, char["text"], round(char_size(char), 1))
        for number, page in enumerate(pdf.pages, 1)
        for char in page.chars
        if char_size(char) < MIN_PT
    ][:20]

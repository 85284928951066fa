"""The board report under the production settings: hashed static files, DEBUG off.

Reported: the fetcher refused the report's own ``print.css`` under hashed static files, and
every report rendered unstyled; no test ran the production storage. These assert what only
the stylesheet produces: the running header, the fonts it names (read by ``pdffonts``), and
the page size.
"""

import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from core.models import Organization
from core.pdf import render_pdf
from reports.rendering import board_report_html
from tests.test_deploy_check import check_deploy

pytestmark = pytest.mark.django_db
A4_POINTS = (595, 842)


@pytest.fixture
def demo_report_pdf(production_static, tmp_path):
    call_command("load_demo", responses=30, stdout=io.StringIO())
    org = Organization.objects.get(slug="northwind-demo")
    html, _ = board_report_html(organization=org, as_of=timezone.localdate())
    assert "/static/css/print." in html and "/static/css/print.css" not in html  # hashed
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(html))
    return path


def test_the_board_report_is_styled_under_production_settings(demo_report_pdf, caplog):
    reader = PdfReader(str(demo_report_pdf))
    second = reader.pages[1].extract_text()
    assert "Board report" in second  # the running header comes from print.css's @page
    assert "Page 2 of" in second
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    assert "report fetcher refused" not in caplog.text


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils (pdffonts) missing")
def test_the_board_report_uses_the_stylesheet_fonts(demo_report_pdf):
    fonts = subprocess.run(
        [shutil.which("pdffonts"), str(demo_report_pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "DejaVu-Sans" in fonts  # print.css names DejaVu Sans; unstyled is a serif
    assert "Serif" not in fonts


def test_the_deploy_check_passes_with_the_collected_files(production_static):
    out = check_deploy(STATIC_ROOT=str(production_static))
    assert out.returncode == 0, out.stdout + out.stderr

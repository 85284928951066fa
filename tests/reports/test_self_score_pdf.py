"""The respondent's self-score result as a one-page PDF, from the result page's link."""

import io
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from benchmark.scoring import UNKNOWN
from tests.factories import response_create, uniform_answers

pytestmark = pytest.mark.django_db
A4_POINTS = (595, 842)


def download(client, response):
    reply = client.get(f"/results/{response.public_id}/result.pdf")
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/pdf"
    assert reply["Content-Disposition"] == (
        'attachment; filename="ai-maturity-result-2026-11-02.pdf"'
    )
    return PdfReader(io.BytesIO(reply.content))


def text_of(reader):
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_result_page_links_to_its_pdf(client):
    response = response_create(level=2)
    soup = BeautifulSoup(client.get(f"/results/{response.public_id}/").content, "html.parser")
    link = soup.find("a", string="Download as PDF")
    assert link["href"] == f"/results/{response.public_id}/result.pdf"


def test_the_pdf_is_one_page_with_score_tier_gap_moves_and_profile(client):
    response = response_create(level=2)
    reader = download(client, response)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    text = text_of(reader)
    result = response.scored
    assert "66.7" in text and "On Pace · Level 3 of 4" in text
    assert "The widest gap:" in text
    for move in result.moves:
        assert move.title in text
    assert "Vendor consolidation" in text and "Workflow orchestration" in text  # profile
    assert str(response.public_id) in text  # the link back to the full result


def test_a_dimension_not_answered_prints_as_such_and_the_page_stays_one(client):
    answers = {
        **uniform_answers(3),
        **dict.fromkeys(
            ["budget_tied", "vendors_cancel", "skills_builders", "governance_review"], UNKNOWN
        ),
    }
    response = response_create(answers=answers)
    reader = download(client, response)
    assert len(reader.pages) == 1
    text = text_of(reader)
    assert "Budget (not answered)" in text
    assert "4 answers “I don't know”" in text and "Low-confidence" in text


def test_an_unknown_result_has_no_pdf(client):
    reply = client.get("/results/00000000-0000-4000-8000-000000000000/result.pdf")
    assert reply.status_code == 404


def test_the_pdf_is_styled_under_production_settings(client, production_static, caplog, tmp_path):
    from reports.self_score import self_score_html

    response = response_create(level=2)
    html = self_score_html(response=response)
    assert "/static/css/print." in html and "/static/css/print.css" not in html  # hashed
    reader = download(client, response)
    assert "report fetcher refused" not in caplog.text
    assert len(reader.pages) == 1
    if shutil.which("pdffonts"):
        path = tmp_path / "result.pdf"
        path.write_bytes(client.get(f"/results/{response.public_id}/result.pdf").content)
        fonts = subprocess.run(
            [shutil.which("pdffonts"), str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert "DejaVu-Sans" in fonts and "Serif" not in fonts  # print.css, not the default

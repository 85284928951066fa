"""The respondent's self-score result as a one-page PDF (issue 15).

Built like the board report: the maturity section comes from ``reports.assembly`` (the
same figures as the result page), the HTML from ``templates/pdf/self_score.html`` with
``print.css``, and the PDF from ``core.pdf.render_pdf`` behind the safe URL fetcher, which
also serves the hashed ``print.css`` under the production settings. The profile prints as
bars drawn by the stylesheet, so one page needs no chart renderer and takes about as long
as a bare WeasyPrint render (~0.1 s warm).

WeasyPrint (about 0.6 s to import) loads with this module: the view imports it on the first
download, so no other page of the web process pays for it.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from benchmark.models import Response
from core.links import absolute_url
from core.pdf import render_pdf

from .assembly import self_score_section


def self_score_html(*, response: Response) -> str:
    """The one-page result's HTML: score, tier, widest gap and its moves, the profile."""
    section, _radar = self_score_section(response=response)
    url = absolute_url(reverse("benchmark:result", kwargs={"public_id": response.public_id}))
    return render_to_string(
        "pdf/self_score.html",
        {"score": section, "title": response.definition.data.get("title", ""), "result_url": url},
    )


def self_score_pdf(*, response: Response) -> bytes:
    """The one-page result as PDF bytes (A4)."""
    return render_pdf(self_score_html(response=response))


def self_score_filename(response: Response) -> str:
    """The download's file name, e.g. ``ai-maturity-result-2026-11-02.pdf``."""
    return f"ai-maturity-result-{response.completed_at:%Y-%m-%d}.pdf"

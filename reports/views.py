"""Board report views: request one, watch its progress, download it, delete old ones; and
the respondent's one-page self-score result."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from benchmark.models import Response
from benchmark.selectors import response_get
from core.models import Membership
from core.quota import StorageQuotaExceededError, human_size, storage_quota_check
from core.scoping import OrgRequest, org_view, scoped_get_or_404
from core.throttle import rate_limit

from .models import BoardReport
from .services import (
    BoardReportNotSupersededError,
    board_report_delete,
    board_report_is_superseded,
    board_report_latest_done,
    board_report_recover,
    board_report_request,
    board_report_retry,
)

MANAGERS = [Membership.Role.CONSULTANT, Membership.Role.CLIENT_ADMIN]


def _quota_refusal(request: OrgRequest) -> HttpResponse | None:
    """At the storage quota, no new PDF: back to the list, which says what uses the space."""
    try:
        storage_quota_check(organization=request.organization, adding_bytes=0)
    except StorageQuotaExceededError as exc:
        messages.error(request, str(exc))
        return redirect("reports:list", org_slug=request.organization.slug)
    return None


@require_http_methods(["GET", "POST"])
@org_view()
def reports(request: OrgRequest) -> HttpResponse:
    """The organization's board reports; POST asks for a new one (or joins the one underway)."""
    if request.method == "POST":
        if refused := _quota_refusal(request):
            return refused
        report = board_report_request(organization=request.organization, user=request.user)
        return redirect("reports:detail", org_slug=request.organization.slug, report_id=report.pk)
    latest = board_report_latest_done(organization=request.organization)
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": BoardReport.objects.for_organization(request.organization).select_related(
                "requested_by"
            )[:20],
            "latest_done_id": latest.pk if latest else None,
        },
    )


@require_GET
@org_view()
def detail(request: OrgRequest, report_id: int) -> HttpResponse:
    """One report's status; the htmx fragment is polled until it is ready or failed."""
    report = board_report_recover(
        report=scoped_get_or_404(BoardReport.objects, request, pk=report_id)
    )
    template = "reports/report_detail.html"
    if request.htmx:
        template += "#report-status"
    return render(request, template, {"report": report})


@require_POST
@org_view()
def retry(request: OrgRequest, report_id: int) -> HttpResponse:
    """Retry a failed report."""
    report = scoped_get_or_404(BoardReport.objects, request, pk=report_id)
    if report.status == BoardReport.Status.FAILED:
        if refused := _quota_refusal(request):
            return refused
        board_report_retry(report=report)
    return redirect("reports:detail", org_slug=request.organization.slug, report_id=report.pk)


@require_GET
@org_view()
def download(request: OrgRequest, report_id: int) -> FileResponse:
    report = scoped_get_or_404(BoardReport.objects, request, pk=report_id)
    if report.status != BoardReport.Status.DONE or not report.file:
        raise Http404("The report is not ready")
    name = f"board-report-{report.organization.slug}-{report.created_at:%Y-%m-%d}.pdf"
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@require_http_methods(["GET", "POST"])
@org_view(roles=MANAGERS)
def delete(request: OrgRequest, report_id: int) -> HttpResponse:
    """Delete a superseded report and its PDF to free space: GET asks to confirm, POST
    deletes. The newest finished report and unfinished ones stay."""
    report = scoped_get_or_404(BoardReport.objects, request, pk=report_id)
    back = redirect("reports:list", org_slug=request.organization.slug)
    if not board_report_is_superseded(report=report):
        messages.error(request, "Only a report with a newer finished one can be deleted.")
        return back
    if request.method == "POST":
        try:
            freed = board_report_delete(report=report)
        except BoardReportNotSupersededError:  # the newer one went a moment ago
            messages.error(request, "Only a report with a newer finished one can be deleted.")
        else:
            messages.success(request, f"Report deleted: {human_size(freed)} freed.")
        return back
    return render(request, "reports/report_delete.html", {"report": report})


@require_GET
@rate_limit(group="result-pdf", rate_setting="RATELIMIT_RESULT_PDF", methods=("GET",))
def self_score_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """The self-score result at its unguessable URL as a one-page PDF download. Each
    download renders it (a fraction of a second), so it is rate-limited per address."""
    try:
        response = response_get(public_id=public_id)
    except Response.DoesNotExist:
        raise Http404("No such result") from None
    # Imported here on purpose: WeasyPrint costs 0.6 s to import, and only this view needs
    # it in the web process; every other page stays free of it.
    from .self_score import self_score_filename
    from .self_score import self_score_pdf as render

    pdf = render(response=response)
    reply = HttpResponse(pdf, content_type="application/pdf")
    reply["Content-Disposition"] = f'attachment; filename="{self_score_filename(response)}"'
    return reply

"""Board report views: request one, watch its progress, download it."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.scoping import OrgRequest, org_view, scoped_get_or_404
from core.tasks import enqueue_on_commit

from .models import BoardReport
from .services import board_report_request
from .tasks import board_report_render_task


@require_http_methods(["GET", "POST"])
@org_view()
def reports(request: OrgRequest) -> HttpResponse:
    """The organization's board reports; POST asks for a new one (or joins the one underway)."""
    if request.method == "POST":
        report = board_report_request(organization=request.organization, user=request.user)
        if report.status == BoardReport.Status.QUEUED:
            enqueue_on_commit(board_report_render_task, report.pk)
        return redirect("reports:detail", org_slug=request.organization.slug, report_id=report.pk)
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": BoardReport.objects.for_organization(request.organization).select_related(
                "requested_by"
            )[:20]
        },
    )


@require_GET
@org_view()
def detail(request: OrgRequest, report_id: int) -> HttpResponse:
    """One report's status; the htmx fragment is polled until it is ready or failed."""
    report = scoped_get_or_404(BoardReport.objects, request, pk=report_id)
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
        BoardReport.objects.filter(pk=report.pk).update(
            status=BoardReport.Status.QUEUED, progress=0, error=""
        )
        enqueue_on_commit(board_report_render_task, report.pk)
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

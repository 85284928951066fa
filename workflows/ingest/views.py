"""Views of live runs on the data page: the ingest secret, the n8n connection, Pull now.

Each is a plain POST that redirects back to the data page (``workflows:data``), so the page
works without JavaScript; the data page itself renders the panel (``live_panel_get``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.confirm import confirmation_page, is_confirmed
from core.scoping import OrgRequest
from core.tasks import enqueue_on_commit

from ..access import workflow_endpoint
from ..data.forms import N8nConnectionForm
from ..data.views import data_page_render
from ..models import CandidateWorkflow, IngestEndpoint, N8nConnection
from ..tasks import n8n_pull_task
from .pull import n8n_connection_save
from .services import ingest_endpoint_create, ingest_endpoint_rotate


def _data_url(request: OrgRequest, workflow: CandidateWorkflow) -> str:
    return reverse("workflows:data", args=[request.organization.slug, workflow.pk]) + "#live-runs"


@require_POST
@workflow_endpoint
def ingest_secret(request: OrgRequest, workflow: CandidateWorkflow) -> HttpResponse:
    """Create the workflow's ingest URL and secret, or (after a confirmation) rotate the
    secret: the old one keeps verifying during the overlap."""
    endpoint = IngestEndpoint.objects.filter(workflow=workflow).first()
    if endpoint is None:
        ingest_endpoint_create(workflow=workflow, organization=request.organization)
        messages.success(request, "The ingest URL and its secret are ready.")
        return redirect(_data_url(request, workflow))
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title="Rotate the signing secret?",
            consequences=[
                "A new secret is made; n8n and every other sender must be given it.",
                "The current secret keeps working for 24 hours, then stops.",
            ],
            confirm_label="Rotate the secret",
            cancel_url=_data_url(request, workflow),
        )
    ingest_endpoint_rotate(endpoint=endpoint, now=timezone.now())
    messages.success(request, "New secret made. Update your senders within 24 hours.")
    return redirect(_data_url(request, workflow))


@require_POST
@workflow_endpoint
def n8n_connection(request: OrgRequest, workflow: CandidateWorkflow) -> HttpResponse:
    """Save the n8n connection; an invalid form shows the data page again with its errors."""
    connection = N8nConnection.objects.filter(workflow=workflow).first()
    form = N8nConnectionForm(request.POST, has_key=connection is not None)
    if not form.is_valid():
        return data_page_render(request, workflow, n8n_form=form, status=422)
    n8n_connection_save(
        workflow=workflow,
        base_url=form.cleaned_data["base_url"],
        n8n_workflow_id=form.cleaned_data["n8n_workflow_id"],
        arm=form.cleaned_data["arm"],
        api_key=form.cleaned_data["api_key"],
    )
    messages.success(request, "n8n connection saved. Use Pull now to fetch its executions.")
    return redirect(_data_url(request, workflow))


@require_POST
@workflow_endpoint
def n8n_pull(request: OrgRequest, workflow: CandidateWorkflow) -> HttpResponse:
    """Queue a pull of the workflow's n8n executions now (the beat job does it on a
    schedule); the panel shows its result."""
    connection = N8nConnection.objects.filter(workflow=workflow).first()
    if connection is None:
        messages.info(request, "Connect an n8n workflow first.")
    else:
        enqueue_on_commit(n8n_pull_task, connection.pk)
        messages.success(request, "Pull queued: new executions appear below as runs.")
    return redirect(_data_url(request, workflow))

"""The access decorator of every view under ``/orgs/<org>/workflows/<id>/``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http.response import HttpResponseBase

from core.scoping import OrgRequest, org_view, scoped_get_or_404

from .models import CandidateWorkflow

WorkflowHandler = Callable[..., HttpResponseBase]


def workflow_endpoint(view: WorkflowHandler) -> WorkflowHandler:
    """Resolve the candidate workflow of the URL within the request's organization (404
    otherwise) and call ``view(request, workflow, **the other URL kwargs)``."""

    @org_view()
    @wraps(view)
    def wrapped(request: OrgRequest, workflow_id: int, **kwargs: Any) -> HttpResponseBase:
        workflow = scoped_get_or_404(CandidateWorkflow.objects, request, pk=workflow_id)
        return view(request, workflow, **kwargs)

    return wrapped

"""The portfolio page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.page_cache import cached_page
from core.scoping import OrgRequest, org_view

from .selectors import portfolio_get


@cached_page
@require_GET
@org_view()
def portfolio(request: OrgRequest) -> HttpResponse:
    """Every chosen workflow: its stage, reusable components and cost per AI touch."""
    rows, chart = portfolio_get(organization=request.organization, as_of=timezone.localdate())
    return render(request, "workflows/portfolio.html", {"rows": rows, "chart": chart})

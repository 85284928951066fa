"""The firm's webhooks page: endpoints, the delivery log, replay and a test event."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.confirm import confirmation_page, is_confirmed
from core.scoping import OrgRequest, scoped_get_or_404

from .access import firm_view
from .forms import DeliveryFilterForm, EndpointForm
from .models import Delivery, Endpoint
from .selectors import attempt_error_text, delivery_list, endpoint_list
from .services import (
    ReplayRefusedError,
    webhook_delivery_replay,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_secret_rotate,
    webhook_endpoint_update,
    webhook_test_send,
)

LOG_PAGE_SIZE = 50


def _endpoints_url(request: OrgRequest) -> str:
    return reverse("webhooks:endpoints", args=[request.organization.slug])


@require_GET
@firm_view
def endpoints(request: OrgRequest) -> HttpResponse:
    """The firm's endpoints, each with its events, state and actions."""
    return render(
        request,
        "webhooks/endpoint_list.html",
        {"endpoints": endpoint_list(firm=request.organization)},
    )


@require_http_methods(["GET", "POST"])
@firm_view
def endpoint_add(request: OrgRequest) -> HttpResponse:
    """Add an endpoint: its secret is made here and shown on its page."""
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = webhook_endpoint_create(
            firm=request.organization,
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
            event_types=form.cleaned_data["event_types"],
        )
        messages.success(request, "Endpoint added. Give its signing secret to your CRM.")
        return redirect("webhooks:endpoint-edit", request.organization.slug, endpoint.pk)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": None})


@require_http_methods(["GET", "POST"])
@firm_view
def endpoint_edit(request: OrgRequest, endpoint_id: int) -> HttpResponse:
    """An endpoint's settings and signing secret; re-enabling starts its failures afresh."""
    endpoint = scoped_get_or_404(Endpoint.objects, request, pk=endpoint_id)
    form = EndpointForm(
        request.POST or None, initial=EndpointForm.initial_for(endpoint), editing=True
    )
    if request.method == "POST" and form.is_valid():
        webhook_endpoint_update(
            endpoint=endpoint,
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
            event_types=form.cleaned_data["event_types"],
            is_enabled=form.cleaned_data["is_enabled"],
        )
        messages.success(request, "Endpoint saved.")
        return redirect("webhooks:endpoints", request.organization.slug)
    return render(
        request,
        "webhooks/endpoint_form.html",
        {"form": form, "endpoint": endpoint, "now": timezone.now()},
    )


@require_POST
@firm_view
def endpoint_delete(request: OrgRequest, endpoint_id: int) -> HttpResponse:
    """Delete an endpoint and its log, after a confirmation page (or htmx's dialog)."""
    endpoint = scoped_get_or_404(Endpoint.objects, request, pk=endpoint_id)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=f"Delete the endpoint {endpoint}?",
            consequences=[
                f"{endpoint.url} receives no more events.",
                "Its deliveries leave the log; this cannot be undone.",
            ],
            confirm_label="Delete the endpoint",
            cancel_url=_endpoints_url(request),
        )
    webhook_endpoint_delete(endpoint=endpoint)
    messages.success(request, "Endpoint deleted.")
    if request.htmx:  # the browser's own dialog asked; the whole list loads again
        return HttpResponseClientRedirect(_endpoints_url(request))
    return redirect("webhooks:endpoints", request.organization.slug)


@require_POST
@firm_view
def endpoint_secret_rotate(request: OrgRequest, endpoint_id: int) -> HttpResponse:
    """Give the endpoint a new secret, after a confirmation page; the old one signs beside
    it for a day."""
    endpoint = scoped_get_or_404(Endpoint.objects, request, pk=endpoint_id)
    page = reverse("webhooks:endpoint-edit", args=[request.organization.slug, endpoint.pk])
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=f"Rotate the signing secret of {endpoint}?",
            consequences=[
                "A new secret is made; put it into your CRM.",
                f"For {settings.WEBHOOK_SECRET_OVERLAP_HOURS} hours every message is signed "
                "with the old secret too, so nothing is refused while you switch.",
            ],
            confirm_label="Rotate the secret",
            cancel_url=page,
        )
    webhook_endpoint_secret_rotate(endpoint=endpoint)
    messages.success(request, "New secret made. The old one keeps signing for now.")
    return redirect(page)


@require_POST
@firm_view
def endpoint_test(request: OrgRequest, endpoint_id: int) -> HttpResponse:
    """Send a ``webhook.test`` event to the endpoint; the log shows how it went."""
    endpoint = scoped_get_or_404(Endpoint.objects, request, pk=endpoint_id)
    try:
        webhook_test_send(endpoint=endpoint)
    except ReplayRefusedError as error:
        messages.error(request, str(error))
        return redirect("webhooks:endpoints", request.organization.slug)
    messages.success(request, "Test event sent. Its delivery shows below.")
    return redirect(
        reverse("webhooks:log", args=[request.organization.slug]) + f"?endpoint={endpoint.pk}"
    )


@require_GET
@firm_view
def log(request: OrgRequest) -> HttpResponse:
    """The firm's delivery log, newest first, filtered by endpoint, event and status."""
    form = DeliveryFilterForm(request.GET or None, firm=request.organization)
    page = Paginator(
        delivery_list(firm=request.organization, filters=form.filters()), LOG_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [
        (delivery, [(a, attempt_error_text(a)) for a in delivery.attempts.all()])
        for delivery in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "webhooks/delivery_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


@require_POST
@firm_view
def delivery_replay(request: OrgRequest, delivery_id: int) -> HttpResponse:
    """Send a delivery again (a new round of attempts with the same webhook-id)."""
    delivery = scoped_get_or_404(Delivery.objects, request, pk=delivery_id)
    try:
        webhook_delivery_replay(delivery=delivery)
    except ReplayRefusedError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Replay queued.")
    back = request.POST.get("next", "")
    log_url = reverse("webhooks:log", args=[request.organization.slug])
    # Only back to the log itself, with its own filters: never to another address.
    return redirect(back if back.startswith(log_url + "?") or back == log_url else log_url)

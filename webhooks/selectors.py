"""Reads for the firm's webhooks page and delivery log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from core.models import Organization

from .models import Attempt, AttemptError, Delivery, Endpoint


def endpoint_list(*, firm: Organization) -> QuerySet[Endpoint]:
    """The firm's endpoints, oldest first."""
    return Endpoint.objects.for_organization(firm)


@dataclass(frozen=True)
class DeliveryFilter:
    """The log's filters: an endpoint id, an event type and a status; empty means all.
    Values come from the log's filter form, whose choices are the allowlist."""

    endpoint_id: int | None = None
    event_type: str = ""
    status: str = ""


def delivery_list(*, firm: Organization, filters: DeliveryFilter) -> QuerySet[Delivery]:
    """The firm's deliveries, newest first, with their event, endpoint and attempts (newest
    attempt first): three queries whatever the number of rows."""
    deliveries = Delivery.objects.for_organization(firm).select_related("event", "endpoint")
    if filters.endpoint_id is not None:
        deliveries = deliveries.filter(endpoint_id=filters.endpoint_id)
    if filters.event_type:
        deliveries = deliveries.filter(event__event_type=filters.event_type)
    if filters.status:
        deliveries = deliveries.filter(status=filters.status)
    return deliveries.prefetch_related(
        Prefetch("attempts", queryset=Attempt.objects.order_by("-round", "-number"))
    ).order_by("-created_at", "-pk")


def attempt_error_text(attempt: Attempt) -> str:
    """What the log says went wrong with an attempt: an error's words, or the HTTP status
    for an error answer; empty on success."""
    if attempt.error == "status" and attempt.status_code:
        return f"HTTP {attempt.status_code}"
    return AttemptError(attempt.error).label if attempt.error else ""

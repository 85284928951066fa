"""The endpoint form and the delivery log's filters."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from core.forms import OneLineFieldsMixin
from core.models import Organization

from .models import Delivery, Endpoint, EventType
from .selectors import DeliveryFilter
from .services import endpoint_url_check
from .targets import TargetRefusedError


class EndpointForm(OneLineFieldsMixin, forms.Form):
    """An endpoint's URL, description and event types (and, when editing, whether it is
    enabled). The URL is checked against the rules for user-given URLs here, so a refusal
    shows beside the field."""

    url = forms.CharField(
        label="Endpoint URL",
        max_length=2000,
        help_text="https only. The address must be reachable from the internet.",
        widget=forms.URLInput(attrs={"placeholder": "https://crm.example.com/hooks/benchmark"}),
    )
    description = forms.CharField(max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label="Events",
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )
    is_enabled = forms.BooleanField(label="Enabled", required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_enabled"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        try:
            endpoint_url_check(url=url)
        except TargetRefusedError as error:
            raise forms.ValidationError(str(error), code="refused") from error
        return url

    @staticmethod
    def initial_for(endpoint: Endpoint) -> dict[str, Any]:
        return {
            "url": endpoint.url,
            "description": endpoint.description,
            "event_types": list(endpoint.event_types),
            "is_enabled": endpoint.is_enabled,
        }


class DeliveryFilterForm(OneLineFieldsMixin, forms.Form):
    """The log's filters from the query string; anything off the lists is ignored."""

    endpoint = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    event_type = forms.ChoiceField(
        label="Event", required=False, choices=[("", "All events"), *EventType.choices]
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Delivery.Status.choices]
    )

    def __init__(self, *args: Any, firm: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        endpoints = Endpoint.objects.for_organization(firm) if firm else Endpoint.objects.none()
        field = cast(forms.TypedChoiceField, self.fields["endpoint"])
        field.choices = [("", "All endpoints")] + [(str(e.pk), str(e)) for e in endpoints]

    def filters(self) -> DeliveryFilter:
        """The valid filters (an invalid one counts as "all")."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DeliveryFilter(
            endpoint_id=data.get("endpoint") if "endpoint" not in self.errors else None,
            event_type=data.get("event_type", "") if "event_type" not in self.errors else "",
            status=data.get("status", "") if "status" not in self.errors else "",
        )

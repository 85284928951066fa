from django.contrib import admin

from .models import Attempt, Delivery, Endpoint, Event


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ("organization", "url", "is_enabled", "consecutive_failures")
    list_filter = ("is_enabled",)
    # The signing secrets are shown to the firm's consultants only, on the endpoint's page.
    exclude = ("secret_encrypted", "previous_secret_encrypted")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("organization", "event_type", "sequence", "occurred_at")
    list_filter = ("event_type",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("organization", "event", "endpoint", "status", "round", "attempts_in_round")
    list_filter = ("status",)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("delivery", "round", "number", "status_code", "duration_ms", "error")

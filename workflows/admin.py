"""Admin: candidate workflows."""

from django.contrib import admin

from .models import CandidateWorkflow


@admin.register(CandidateWorkflow)
class CandidateWorkflowAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organization",
        "hours_per_week",
        "ai_can_automate_step",
        "degrees_from_revenue",
    ]
    list_filter = ["ai_can_automate_step", "degrees_from_revenue"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization"]

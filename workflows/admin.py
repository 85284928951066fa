"""Admin: candidate workflows and saved column mappings."""

from django.contrib import admin

from .models import CandidateWorkflow, ColumnMapping


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


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    """Saved column mappings, for staff who need to rename or remove one."""

    list_display = ["name", "kind", "organization", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization"]

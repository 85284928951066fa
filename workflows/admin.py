"""Admin: candidate workflows, saved column mappings, and live runs (read only; secrets
and API keys are never shown)."""

from django.contrib import admin

from .models import CandidateWorkflow, ColumnMapping, IngestedRun, N8nConnection


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


@admin.register(IngestedRun)
class IngestedRunAdmin(admin.ModelAdmin):
    """Runs received live, to look up a run id; never edited (the run log is evidence)."""

    list_display = ["run_id", "workflow", "channel", "status", "arm", "started_at", "received_at"]
    list_filter = ["channel", "status", "arm"]
    search_fields = ["run_id", "workflow__name"]
    list_select_related = ["workflow"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(N8nConnection)
class N8nConnectionAdmin(admin.ModelAdmin):
    """n8n connections and their last pull; the encrypted API key is not shown."""

    list_display = ["workflow", "base_url", "n8n_workflow_id", "cursor", "last_pulled_at"]
    exclude = ["api_key_encrypted"]
    readonly_fields = ["cursor", "last_pulled_at", "last_added", "last_error"]
    list_select_related = ["workflow"]

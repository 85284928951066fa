"""Admin: audits with their tool rows and candidate workflows."""

from django.contrib import admin

from workflows.models import CandidateWorkflow

from .models import Audit, AuditTool


class AuditToolInline(admin.TabularInline):
    model = AuditTool
    extra = 0


class CandidateWorkflowInline(admin.TabularInline):
    model = CandidateWorkflow
    extra = 0
    fields = [
        "name",
        "hours_per_week",
        "people_involved",
        "ai_can_automate_step",
        "degrees_from_revenue",
        "pain",
    ]


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "status",
        "computed_tier",
        "tier_override",
        "submitted_at",
        "reply_due_at",
    ]
    list_filter = ["status", "computed_tier", "tier_override"]
    search_fields = ["organization__name", "named_gap"]
    list_select_related = ["organization"]
    readonly_fields = ["share_token", "submitted_at", "reply_due_at", "computed_tier", "replied_at"]
    inlines = [AuditToolInline, CandidateWorkflowInline]

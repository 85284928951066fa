"""Admin: firms' link settings, their leads and the audit requests (read-mostly)."""

from django.contrib import admin

from .models import AuditRequest, FirmProfile, Lead


@admin.register(FirmProfile)
class FirmProfileAdmin(admin.ModelAdmin):
    list_display = ["firm", "accent_color", "logo_content_type", "updated_at"]
    search_fields = ["firm__name", "firm__slug"]
    readonly_fields = ["logo_content_type"]  # the logo is replaced through the settings page


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["created_at", "firm", "source", "widest_gap", "email"]
    list_filter = ["source", "firm"]
    search_fields = ["email", "firm__name"]
    list_select_related = ["firm"]
    readonly_fields = ["response", "nonce", "consent_text", "consented_at"]


@admin.register(AuditRequest)
class AuditRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "firm", "company", "email", "invitations_sent"]
    search_fields = ["email", "company", "firm__name"]
    list_select_related = ["firm"]
    readonly_fields = ["response", "audit", "consent_text"]

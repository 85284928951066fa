"""Admin: the stored definitions (read-only) and the responses."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join

from .models import Definition, PeerBucket, Response
from .selectors import definition_for_response


@admin.register(Definition)
class DefinitionAdmin(admin.ModelAdmin):
    """Definitions are versioned files; the admin shows them and never edits them."""

    list_display = ["version", "loaded_at", "checksum"]
    readonly_fields = ["version", "loaded_at", "checksum", "dimensions_table"]
    exclude = ["data"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="Dimensions (weight, questions)")
    def dimensions_table(self, obj: Definition) -> str:
        dims = obj.data.get("dimensions", [])
        questions = obj.data.get("questions", [])
        return format_html_join(
            "",
            "<p><strong>{}</strong>: weight {}, {} question(s), {} moves</p>",
            (
                (
                    d["label"],
                    d["weight"],
                    sum(1 for q in questions if q["dimension"] == d["id"]),
                    len(d.get("moves", [])),
                )
                for d in dims
            ),
        )


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "completed_at",
        "overall_score",
        "tier",
        "revenue_band",
        "team_size",
        "is_demo",
    ]
    list_filter = [
        "tier",
        "is_demo",
        "low_confidence",
        "revenue_band",
        "business_model",
        "team_size",
    ]
    search_fields = ["public_id", "email"]
    readonly_fields = [
        "public_id",
        "definition",
        "answers",
        "result",
        "overall_score",
        "tier",
        "completed_at",
        "created_at",
        "updated_at",
        "widest_gap",
    ]
    list_select_related = ["definition"]
    date_hierarchy = "completed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Widest gap")
    def widest_gap(self, obj: Response) -> str:
        definition = definition_for_response(obj)
        return definition.dimension(obj.scored.widest_gap).label


@admin.register(PeerBucket)
class PeerBucketAdmin(admin.ModelAdmin):
    list_display = ["pool", "segment", "metric", "value", "count"]
    list_filter = ["pool", "metric"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

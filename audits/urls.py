from django.urls import include, path

from core.page_cache import cached_page

from . import access, views
from . import intake_views as intake

app_name = "audits"


def intake_patterns(wrap, prefix):
    return [
        path("", cached_page(wrap(intake.intake)), name=f"{prefix}intake"),
        path("field/", wrap(intake.intake_field), name=f"{prefix}intake-field"),
        path("submit/", wrap(intake.submit), name=f"{prefix}submit"),
        path("tools/add/", wrap(intake.tool_add), name=f"{prefix}tool-add"),
        path("tools/<int:row_id>/", wrap(intake.tool_save), name=f"{prefix}tool-save"),
        path(
            "tools/<int:row_id>/delete/",
            wrap(intake.tool_delete),
            name=f"{prefix}tool-delete",
        ),
        path("candidates/add/", wrap(intake.candidate_add), name=f"{prefix}candidate-add"),
        path(
            "candidates/<int:row_id>/",
            wrap(intake.candidate_save),
            name=f"{prefix}candidate-save",
        ),
        path(
            "candidates/<int:row_id>/delete/",
            wrap(intake.candidate_delete),
            name=f"{prefix}candidate-delete",
        ),
    ]


urlpatterns = [
    path("consultant/audits/", views.pipeline, name="pipeline"),
    path("orgs/<slug:org_slug>/audits/", views.audit_list, name="list"),
    path("orgs/<slug:org_slug>/audits/<int:audit_id>/review/", views.review, name="review"),
    path(
        "orgs/<slug:org_slug>/audits/<int:audit_id>/",
        include(intake_patterns(access.org_intake, "")),
    ),
    path("audit/<str:token>/", include(intake_patterns(access.link_intake, "link-"))),
]

from django.urls import path, register_converter

from . import data_views, plan_views, views
from .converters import MapKindConverter

register_converter(MapKindConverter, "mapkind")

app_name = "workflows"

W = "orgs/<slug:org_slug>/workflows/<int:workflow_id>/"
MAP = W + "map/<mapkind:kind>/"

urlpatterns = [
    path("orgs/<slug:org_slug>/workflows/", views.candidates, name="candidates"),
    path("orgs/<slug:org_slug>/portfolio/", plan_views.portfolio, name="portfolio"),
    path(W + "choose/", views.choose, name="choose"),
    path(W + "edit/", views.candidate_edit, name="candidate-edit"),
    path(W + "delete/", views.candidate_remove, name="candidate-delete"),
    path(MAP, views.map_page, name="map"),
    path(MAP + "settings/", views.map_settings, name="map-settings"),
    path(MAP + "steps/add/", views.step_create, name="step-add"),
    path(MAP + "steps/<int:step_id>/", views.step_update, name="step-update"),
    path(MAP + "steps/<int:step_id>/move/", views.step_reorder, name="step-move"),
    path(MAP + "steps/<int:step_id>/delete/", views.step_remove, name="step-delete"),
    path(MAP + "break-step/", views.break_step, name="break-step"),
    path(MAP + "copy-current/", views.copy_current, name="copy-current"),
    path(MAP + "export.json", views.export_json, name="export-json"),
    path(MAP + "export.mmd", views.export_mermaid, name="export-mermaid"),
    path(MAP + "import/", views.import_map, name="import"),
    path(MAP + "use-hours/", views.use_hours, name="use-hours"),
    path(W + "plan/", plan_views.plan_page, name="plan"),
    path(W + "plan/milestones/<int:milestone_id>/", plan_views.milestone_update, name="milestone"),
    path(W + "plan/calendar.ics", plan_views.plan_calendar, name="plan-ics"),
    path(W + "data/", data_views.data_page, name="data"),
    path(W + "data/<int:import_id>/", data_views.data_import_status, name="import-status"),
    path(
        W + "data/<int:import_id>/mapping/", data_views.data_import_mapping, name="import-mapping"
    ),
    path(W + "data/<int:import_id>/retry/", data_views.data_import_retry_view, name="import-retry"),
    path(W + "reviews/<int:stage>/", plan_views.review_page, name="review"),
    path(W + "reviews/<int:stage>/metrics.csv", plan_views.review_csv, name="review-csv"),
]

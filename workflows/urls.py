from django.urls import path, register_converter

from .candidates import views as candidate_views
from .converters import MapKindConverter
from .data import views as data_views
from .ingest import views as ingest_views
from .maps import exchange_views
from .maps import views as map_views
from .plans import views as plan_views
from .portfolio import views as portfolio_views
from .reviews import views as review_views

register_converter(MapKindConverter, "mapkind")

app_name = "workflows"

W = "orgs/<slug:org_slug>/workflows/<int:workflow_id>/"
MAP = W + "map/<mapkind:kind>/"

urlpatterns = [
    path("orgs/<slug:org_slug>/workflows/", candidate_views.candidates, name="candidates"),
    path("orgs/<slug:org_slug>/portfolio/", portfolio_views.portfolio, name="portfolio"),
    path(W + "choose/", candidate_views.choose, name="choose"),
    path(W + "dimensions/", candidate_views.dimensions, name="dimensions"),
    path(W + "edit/", candidate_views.candidate_edit, name="candidate-edit"),
    path(W + "delete/", candidate_views.candidate_delete, name="candidate-delete"),
    path(MAP, map_views.map_page, name="map"),
    path(MAP + "settings/", map_views.map_settings, name="map-settings"),
    path(MAP + "steps/add/", map_views.step_add, name="step-add"),
    path(MAP + "steps/<int:step_id>/", map_views.step_update, name="step-update"),
    path(MAP + "steps/<int:step_id>/move/", map_views.step_move, name="step-move"),
    path(MAP + "steps/<int:step_id>/delete/", map_views.step_delete, name="step-delete"),
    path(MAP + "break-step/", map_views.break_step, name="break-step"),
    path(MAP + "copy-current/", map_views.copy_current, name="copy-current"),
    path(MAP + "export.json", exchange_views.export_json, name="export-json"),
    path(MAP + "export.mmd", exchange_views.export_mermaid, name="export-mermaid"),
    path(MAP + "export.bpmn", exchange_views.export_bpmn, name="export-bpmn"),
    path(MAP + "bpmn/", exchange_views.bpmn_page, name="map-bpmn"),
    path(MAP + "import/", exchange_views.import_map, name="import"),
    path(MAP + "use-hours/", map_views.use_hours, name="use-hours"),
    path(W + "plan/", plan_views.plan_page, name="plan"),
    path(W + "plan/milestones/<int:milestone_id>/", plan_views.milestone_update, name="milestone"),
    path(W + "plan/calendar.ics", plan_views.plan_calendar, name="plan-ics"),
    path(W + "data/", data_views.data_page, name="data"),
    path(W + "data/ingest-secret/", ingest_views.ingest_secret, name="ingest-secret"),
    path(W + "data/n8n/", ingest_views.n8n_connection, name="n8n-connection"),
    path(W + "data/n8n/pull/", ingest_views.n8n_pull, name="n8n-pull"),
    path(W + "data/<int:import_id>/", data_views.import_status, name="import-status"),
    path(W + "data/<int:import_id>/mapping/", data_views.import_mapping, name="import-mapping"),
    path(W + "data/<int:import_id>/retry/", data_views.import_retry, name="import-retry"),
    path(W + "reviews/<int:stage>/", review_views.review_page, name="review"),
    path(W + "reviews/<int:stage>/metrics.csv", review_views.review_csv, name="review-csv"),
]

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("results/<uuid:public_id>/result.pdf", views.self_score_pdf, name="self-score-pdf"),
    path("orgs/<slug:org_slug>/reports/", views.reports, name="list"),
    path("orgs/<slug:org_slug>/reports/<int:report_id>/", views.detail, name="detail"),
    path("orgs/<slug:org_slug>/reports/<int:report_id>/retry/", views.retry, name="retry"),
    path("orgs/<slug:org_slug>/reports/<int:report_id>/download/", views.download, name="download"),
    path("orgs/<slug:org_slug>/reports/<int:report_id>/delete/", views.delete, name="delete"),
]

from django.urls import path

from . import link_views, views

app_name = "firms"

urlpatterns = [
    path("b/<slug:firm_slug>/", link_views.link, name="link"),
    path("b/<slug:firm_slug>/embed/", link_views.embed, name="embed"),
    path(
        "b/<slug:firm_slug>/embed/results/<uuid:public_id>/",
        link_views.embed_result,
        name="embed-result",
    ),
    path("b/<slug:firm_slug>/logo/", link_views.logo, name="logo"),
    path("results/<uuid:public_id>/audit-request/", views.audit_request, name="audit-request"),
    path("orgs/<slug:org_slug>/firm/", views.firm_settings, name="settings"),
    path("orgs/<slug:org_slug>/leads/", views.leads, name="leads"),
    path("orgs/<slug:org_slug>/leads/export.csv", views.leads_export, name="leads-csv"),
]

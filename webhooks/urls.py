from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("orgs/<slug:org_slug>/webhooks/", views.endpoints, name="endpoints"),
    path("orgs/<slug:org_slug>/webhooks/add/", views.endpoint_add, name="endpoint-add"),
    path(
        "orgs/<slug:org_slug>/webhooks/<int:endpoint_id>/",
        views.endpoint_edit,
        name="endpoint-edit",
    ),
    path(
        "orgs/<slug:org_slug>/webhooks/<int:endpoint_id>/delete/",
        views.endpoint_delete,
        name="endpoint-delete",
    ),
    path(
        "orgs/<slug:org_slug>/webhooks/<int:endpoint_id>/secret/",
        views.endpoint_secret_rotate,
        name="endpoint-secret",
    ),
    path(
        "orgs/<slug:org_slug>/webhooks/<int:endpoint_id>/test/",
        views.endpoint_test,
        name="endpoint-test",
    ),
    path("orgs/<slug:org_slug>/webhooks/log/", views.log, name="log"),
    path(
        "orgs/<slug:org_slug>/webhooks/deliveries/<int:delivery_id>/replay/",
        views.delivery_replay,
        name="replay",
    ),
]

from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("firms/<slug:firm_slug>/webhooks/", views.endpoints, name="endpoints"),
    path("firms/<slug:firm_slug>/webhooks/add/", views.endpoint_add, name="endpoint-add"),
    path(
        "firms/<slug:firm_slug>/webhooks/<int:endpoint_id>/",
        views.endpoint_edit,
        name="endpoint-edit",
    ),
    path(
        "firms/<slug:firm_slug>/webhooks/<int:endpoint_id>/delete/",
        views.endpoint_delete,
        name="endpoint-delete",
    ),
    path(
        "firms/<slug:firm_slug>/webhooks/<int:endpoint_id>/secret/",
        views.endpoint_secret_rotate,
        name="endpoint-secret",
    ),
    path(
        "firms/<slug:firm_slug>/webhooks/<int:endpoint_id>/test/",
        views.endpoint_test,
        name="endpoint-test",
    ),
    path("firms/<slug:firm_slug>/webhooks/log/", views.log, name="log"),
    path(
        "firms/<slug:firm_slug>/webhooks/deliveries/<int:delivery_id>/replay/",
        views.delivery_replay,
        name="replay",
    ),
]

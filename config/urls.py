"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("benchmark.urls")),
    path("", include("core.urls")),
    path("", include("audits.urls")),
    path("", include("workflows.urls")),
    path("", include("reports.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "core.errors.server_error"

"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from core import auth_views
from workflows.ingest.api import ingest_urls

urlpatterns = [
    path("", include("benchmark.urls")),
    path("", include("core.urls")),
    path("", include("audits.urls")),
    path("", include("workflows.urls")),
    path("", include("reports.urls")),
    path("", include("firms.urls")),
    path("", include("webhooks.urls")),
    # Before Django's own auth URLs, which they replace (same paths and names).
    path("accounts/password_reset/", auth_views.password_reset, name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # Signed machine-to-machine requests (workflows.ingest.api): no session, no CSRF.
    path("api/ingest/", ingest_urls()),
]

handler500 = "core.errors.server_error"

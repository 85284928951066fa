from django.urls import path

from . import views

app_name = "benchmark"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("self-score/", views.profile, name="profile"),
    path("self-score/<int:number>/", views.question, name="question"),
    path("results/<uuid:public_id>/", views.result, name="result"),
    path("results/<uuid:public_id>/email/", views.result_email, name="result-email"),
    path("orgs/<slug:org_slug>/", views.dashboard, name="dashboard"),
    path(
        "orgs/<slug:org_slug>/responses/<int:response_id>/headline/",
        views.headline,
        name="headline",
    ),
]

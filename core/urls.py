from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import EmailAuthenticationForm

app_name = "core"

urlpatterns = [
    path("home/", views.home, name="home"),
    path("orgs/<slug:org_slug>/members/", views.members, name="members"),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
]

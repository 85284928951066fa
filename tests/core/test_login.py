"""Sign-in by email, throttling, session rotation and sign-out."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def test_a_member_signs_in_with_email_and_lands_on_the_dashboard(client):
    member = MembershipFactory()
    response = client.post(
        "/accounts/login/",
        {"username": member.user.email.upper(), "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/orgs/{member.organization.slug}/"
    assert member.organization.name in response.content.decode()


def test_the_session_id_rotates_at_sign_in(client):
    member = MembershipFactory()
    client.get("/")
    session = client.session
    session["visited"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/login/", {"username": member.user.email, "password": PASSWORD})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client):
    member = MembershipFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": member.user.email, "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": member.user.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_server_session(client):
    member = MembershipFactory()
    client.force_login(member.user)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get(f"/orgs/{member.organization.slug}/").status_code == 302  # to sign-in


def test_a_wrong_password_says_so_and_keeps_the_email(client):
    member = MembershipFactory()
    response = client.post("/accounts/login/", {"username": member.user.email, "password": "nope"})
    body = response.content.decode()
    assert "That email and password do not match an account" in body
    assert member.user.email in body


def test_a_session_past_its_age_is_signed_out(client):
    member = MembershipFactory()
    client.force_login(member.user)
    dashboard = f"/orgs/{member.organization.slug}/"
    assert client.get(dashboard).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    # The cached copy (cached_db sessions) is kept for the session's age and no longer: it
    # would be gone by now too.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    caches[settings.SESSION_CACHE_ALIAS].delete(store.cache_key_prefix + session.session_key)
    reply = client.get(dashboard)
    assert reply.status_code == 302 and reply["Location"].startswith("/accounts/login/")

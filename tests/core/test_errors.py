"""The error pages: a database that is away gets a 503 to retry, anything else a 500."""

from importlib import import_module

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

# The session engine in use (cached_db): the first thing a signed-in request reads.
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


@pytest.fixture
def signed_in():
    member = MembershipFactory()
    client = Client(raise_request_exception=False)
    client.force_login(member.user)
    return client, member.organization


def test_a_database_that_does_not_answer_gets_a_503_with_retry_after(signed_in, monkeypatch):
    client, organization = signed_in

    def away(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionStore, "load", away)
    response = client.get(f"/orgs/{organization.slug}/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Back in a moment" in body and "What you saved before is kept" in body
    assert "connection refused" not in body


def test_any_other_error_gets_the_plain_500_page(signed_in, monkeypatch):
    client, organization = signed_in

    def broken(self):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(SessionStore, "load", broken)
    response = client.get(f"/orgs/{organization.slug}/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body and "secret detail" not in body

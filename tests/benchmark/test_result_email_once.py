"""The result's email belongs to the respondent: taken once, never shown back, and no one
else holding the link can replace it or send mail with it."""

import pytest
from django.core import mail

from benchmark.models import Response
from tests.factories import response_create

pytestmark = pytest.mark.django_db


def email_url(response):
    return f"/results/{response.public_id}/email/"


@pytest.fixture
def given(client, django_capture_on_commit_callbacks):
    """A result whose respondent gave vp@example.com (one mail sent)."""
    response = response_create()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(email_url(response), {"email": "vp@example.com"})
    assert len(mail.outbox) == 1
    return response


def test_it_refuses_a_second_email_and_sends_nothing(
    client, given, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply = client.post(email_url(given), {"email": "attacker@example.com"})
    assert reply.status_code == 409
    assert not callbacks
    assert len(mail.outbox) == 1
    assert Response.objects.get(pk=given.pk).email == "vp@example.com"
    body = reply.content.decode()
    assert "attacker@example.com" not in body and "vp@example.com" not in body
    assert "The link was sent to the address you gave" in body


def test_it_refuses_a_second_email_over_htmx(client, given):
    reply = client.post(email_url(given), {"email": "x@example.com"}, HTTP_HX_REQUEST="true")
    assert reply.status_code == 409
    body = reply.content.decode()
    assert body.lstrip().startswith('<div id="email-save">')
    assert "<form" not in body and "example.com" not in body
    assert Response.objects.get(pk=given.pk).email == "vp@example.com"


def test_it_shows_neither_the_form_nor_the_address_once_given(client, given):
    body = client.get(f"/results/{given.public_id}/").content.decode()
    assert "vp@example.com" not in body
    assert 'name="email"' not in body
    assert "The link was sent to the address you gave" in body


def test_it_still_offers_the_form_before_an_email_is_given(client):
    response = response_create()
    body = client.get(f"/results/{response.public_id}/").content.decode()
    assert 'name="email"' in body and 'value=""' in body

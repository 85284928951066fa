"""Sign-in lockouts per address and per account separately; a completed password reset
lifts the account's lock; the client address is read past the trusted proxies only."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.test import RequestFactory

from core.throttle import client_ip
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase 2026"


def sign_in(client, email, password, address):
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_it_locks_an_address_that_tries_many_accounts(client):
    member = MembershipFactory()
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{i}@example.com", "wrong", "203.0.113.1")
    assert sign_in(client, member.user.email, PASSWORD, "203.0.113.1").status_code == 429
    # The account itself is not locked: its owner signs in from their own address.
    assert sign_in(client, member.user.email, PASSWORD, "203.0.113.2").status_code == 302


def test_it_locks_an_account_tried_from_many_addresses(client):
    member = MembershipFactory()
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, member.user.email.upper(), "wrong", f"203.0.113.{10 + i}")
    assert sign_in(client, member.user.email, PASSWORD, "203.0.113.99").status_code == 429
    # Other accounts from those addresses are unaffected.
    other = MembershipFactory()
    assert sign_in(client, other.user.email, PASSWORD, "203.0.113.10").status_code == 302


def test_a_completed_password_reset_lifts_the_accounts_lock(client):
    member = MembershipFactory()
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, member.user.email, "wrong", f"203.0.113.{20 + i}")
    assert sign_in(client, member.user.email, PASSWORD, "192.0.2.5").status_code == 429

    client.post("/accounts/password_reset/", {"email": member.user.email}, REMOTE_ADDR="192.0.2.5")
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    form = client.get(urlsplit(link).path, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR="192.0.2.5",
    )
    assert sign_in(client, member.user.email, NEW_PASSWORD, "192.0.2.5").status_code == 302


def test_an_unfinished_reset_leaves_the_lock(client):
    member = MembershipFactory()
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, member.user.email, "wrong", f"203.0.113.{30 + i}")
    client.post("/accounts/password_reset/", {"email": member.user.email})
    assert sign_in(client, member.user.email, PASSWORD, "192.0.2.6").status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "", "10.0.0.1"),
        (0, "203.0.113.7", "10.0.0.1"),  # no proxy configured: the header is the client's
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.66, 203.0.113.7", "203.0.113.7"),  # the left part is forged
        (2, "198.51.100.66, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.1"),  # did not pass both proxies: not believed
        (1, "not-an-address, 203.0.113.7", "203.0.113.7"),
        (1, "", "10.0.0.1"),
    ],
)
def test_it_reads_the_client_address_past_the_trusted_proxies(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": "10.0.0.1"}
    if forwarded_for:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_ip(RequestFactory().get("/", **meta)) == expected

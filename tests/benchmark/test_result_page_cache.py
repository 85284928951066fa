"""The whole result page, cached for visitors who are not signed in (benchmark.result_cache):
one cache round trip and no query per view, nothing of one visitor shown to another, a
working CSRF token each time, and never a page older than what it shows."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmark.models import Response
from benchmark.result_cache import result_page_build, result_page_key
from core.models import Membership, Organization
from core.selectors import firm_default
from firms.models import FirmProfile, Lead
from firms.services import firm_settings_save
from tests.factories import MembershipFactory, OrganizationFactory, response_create

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
AUDIT_FORM = {
    "audit-name": "Vera Pike",
    "audit-email": "vera@lumen.example",
    "audit-company": "Lumen Software",
    "audit-consent": "on",
}


class CacheCalls:
    """Counts the ``pages`` cache's calls (each one round trip to Redis in production; the
    tests' local-memory cache answers ``get_many`` with ``get``s, not counted again)."""

    def __init__(self, monkeypatch):
        self.calls: list[str] = []
        self.depth = 0
        pages = caches["pages"]
        for name in ("get", "get_many", "set", "add", "delete"):
            original = getattr(pages, name)

            def counted(*args, _name=name, _original=original, **kwargs):
                if not self.depth:
                    self.calls.append(_name)
                self.depth += 1
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.depth -= 1

            monkeypatch.setattr(pages, name, counted)


def get(client, response):
    reply = client.get(f"/results/{response.public_id}/")
    assert reply.status_code == 200
    return reply


def without_tokens(page: str) -> str:
    page = TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', page)


def test_a_second_view_makes_no_query_and_one_cache_round_trip(client, monkeypatch):
    response = response_create()
    get(Client(), response)  # drawn and kept
    calls = CacheCalls(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        get(client, response)
    assert len(queries) == 0
    assert calls.calls == ["get_many"], calls.calls


def test_the_kept_page_is_the_drawn_page_with_each_visitors_own_token(client):
    response = response_create()
    drawn = get(Client(), response).content.decode()
    kept = get(client, response).content.decode()
    assert without_tokens(kept) == without_tokens(drawn)
    tokens = set(TOKEN.findall(kept))
    assert len(tokens) == 1 and tokens.isdisjoint(TOKEN.findall(drawn))
    # Every form and the htmx header carry it: the email form and the audit request.
    assert len(TOKEN.findall(kept)) == 2
    assert f'"X-CSRFToken": "{tokens.pop()}"' in kept


def test_the_token_on_a_kept_page_works_and_only_for_its_visitor(
    django_capture_on_commit_callbacks,
):
    response = response_create()
    get(Client(), response)
    visitor, stranger = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token = TOKEN.search(get(visitor, response).content.decode())[1]
    get(stranger, response)
    target = f"/results/{response.public_id}/audit-request/"
    form = {**AUDIT_FORM, "csrfmiddlewaretoken": token}
    assert stranger.post(target, form).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        reply = visitor.post(target, form)
    assert reply.status_code == 302


def test_nothing_of_a_visitor_is_kept(client):
    response = response_create()
    reply = get(client, response)
    page = reply.content.decode()
    _, pieces = caches["pages"].get(result_page_key(str(response.public_id)))
    kept = "".join(pieces)
    assert TOKEN.search(page)[1] not in kept and reply.cookies["csrftoken"].value not in kept
    assert len(pieces) == 4  # around the htmx header, the email form and the audit form


def test_a_visitor_without_cookies_gets_the_csrf_cookie_and_no_session(client):
    response = response_create()
    for _ in range(2):
        reply = get(Client(), response)
        assert set(reply.cookies) == {"csrftoken"}
        assert reply["Vary"] == "Cookie"
        assert "no-store" in reply["Cache-Control"] and "private" in reply["Cache-Control"]
    assert not Session.objects.exists()


def test_a_member_signed_in_gets_the_way_to_the_dashboard_and_no_stranger_sees_it(client):
    org = OrganizationFactory(name="Northwind", slug="northwind")
    member = MembershipFactory(organization=org, role=Membership.Role.CLIENT_ADMIN)
    response = response_create(membership=member)
    get(Client(), response)  # kept for strangers
    client.force_login(member.user)
    page = get(client, response).content.decode()
    assert "Northwind's dashboard" in page and "Sign out" in page
    stranger = get(Client(), response).content.decode()
    assert "Northwind's dashboard" not in stranger and "Sign out" not in stranger
    assert "Sign in" in stranger


def test_a_message_is_shown_to_its_visitor_only_and_once(
    client, django_capture_on_commit_callbacks
):
    response = response_create()
    get(Client(), response)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(f"/results/{response.public_id}/audit-request/", AUDIT_FORM)
    assert reply.status_code == 302
    thanks = "We emailed your intake link to vera@lumen.example"
    assert thanks in get(client, response).content.decode()
    assert thanks not in get(client, response).content.decode()
    assert "vera@lumen.example" not in get(Client(), response).content.decode()


def test_a_saved_email_removes_the_form_from_the_kept_page(client):
    response = response_create()
    assert 'name="email"' in get(Client(), response).content.decode()
    client.post(f"/results/{response.public_id}/email/", {"email": "vp@example.com"})
    page = get(Client(), response).content.decode()
    assert 'name="email"' not in page
    assert "The link was sent to the address you gave." in page


def test_a_deleted_result_is_gone_at_once(client):
    response = response_create()
    get(client, response)
    Response.objects.filter(pk=response.pk).delete()
    assert client.get(f"/results/{response.public_id}/").status_code == 404


def test_a_firms_new_name_and_logo_show_at_once(client):
    firm = OrganizationFactory(name="Harbor Advisory", slug="harbor", kind=Organization.Kind.FIRM)
    profile = FirmProfile.objects.create(firm=firm)
    response = response_create()
    Lead.objects.create(
        firm=firm, response=response, nonce="n1", source=Lead.Source.LINK, widest_gap="x"
    )
    page = get(client, response).content.decode()
    assert "I agree that Harbor Advisory may store" in page and "firm-logo" not in page
    firm_settings_save(
        firm=firm,
        name="Harbor Revenue Partners",
        logo=(b"<svg/>", "image/svg+xml"),
        remove_logo=False,
        accent_color=profile.accent_color,
        embed_origins=[],
        consent_text=profile.consent_text,
    )
    page = get(client, response).content.decode()
    assert "I agree that Harbor Revenue Partners may store" in page
    assert 'alt="Harbor Revenue Partners logo"' in page


def test_another_deployment_draws_its_own_page(client, monkeypatch):
    response = response_create()
    assert (
        f"{settings.SITE_URL}/results/{response.public_id}/"
        in get(client, response).content.decode()
    )
    monkeypatch.setattr(settings, "SITE_URL", "https://benchmark.example")
    result_page_build.cache_clear()
    try:
        page = get(client, response).content.decode()
    finally:
        result_page_build.cache_clear()
    assert f'value="https://benchmark.example/results/{response.public_id}/"' in page


def test_a_page_drawn_before_a_write_commits_is_drawn_again_after(
    client, django_capture_on_commit_callbacks
):
    response = response_create()
    firm = firm_default()
    with django_capture_on_commit_callbacks() as commit:
        firm.name = "Harbor Revenue Partners"
        firm.save()
        get(client, response)  # another visitor may draw it before the write commits
    assert len(commit) == 1
    commit[0]()
    with CaptureQueriesContext(connection) as queries:
        get(client, response)
    assert len(queries) > 0  # drawn again, from the committed rows

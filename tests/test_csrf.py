"""A POST without the CSRF token is refused everywhere and changes nothing.

The sweep reuses the tenancy sweep's walk over the URL configuration, signed in as a member
of the organization that owns every object (so the token is the only thing missing).
"""

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from benchmark.models import Response
from core.selectors import firm_default
from tests.factories import response_create
from tests.test_tenancy import org_scoped_urls, url
from tests.workflows.ingest_helpers import post_signed, run_body
from workflows.ingest.services import ingest_endpoint_create
from workflows.models import IngestedRun

OUR_APPS = ("core", "benchmark", "audits", "workflows", "reports", "firms", "webhooks")

# Views that skip the CSRF check on purpose, and why. Everything else must refuse a POST
# without the token (the sweep below); this list is checked against the URLconf itself.
CSRF_EXEMPT_BY_DESIGN = {
    "ingest-api:runs": "signed machine requests (Standard Webhooks), no cookies read",
    "ingest-api:events": "signed machine requests (Standard Webhooks), no cookies read",
    "firms:embed": "runs in a third-party iframe where no cookie is sent; a signed token bound "
    "to the firm and a nonce stands in (firms.tokens)",
}


def named_views(patterns, namespace=""):
    """Yield ``(name, view)`` for every named URL."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from named_views(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def snapshot() -> str:
    """Every row of the app's own tables, serialized: equal before and after means nothing
    changed."""
    models = [m for app in OUR_APPS for m in apps.get_app_config(app).get_models()]
    return "".join(serializers.serialize("json", m.objects.order_by("pk")) for m in models)


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(("name", "kwargs"), org_scoped_urls())
def test_a_post_without_the_token_is_refused_and_changes_nothing(
    strict_client, two_orgs, name, kwargs
):
    t = two_orgs
    strict_client.force_login(t.owner.user)
    target = url(name, kwargs, org=t.owner.organization, **t.owned)
    before = snapshot()
    reply = strict_client.post(
        target, {"name": "changed", "crm": "changed"}, HTTP_HX_REQUEST="true"
    )
    assert reply.status_code == 403, f"POST {target} answered {reply.status_code}"
    assert snapshot() == before


@pytest.mark.django_db
def test_public_forms_refuse_a_post_without_the_token(strict_client):
    response = response_create()
    firm = firm_default().slug  # created on first use: before the snapshot
    before = snapshot()
    for target, data in [
        ("/self-score/", {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}),
        (f"/results/{response.public_id}/email/", {"email": "vp@example.com"}),
        ("/accounts/login/", {"username": "vp@example.com", "password": "x"}),
        (f"/results/{response.public_id}/audit-request/", {"audit-email": "vp@example.com"}),
        (f"/b/{firm}/", {"revenue_band": "5-20m"}),
    ]:
        assert strict_client.post(target, data).status_code == 403, target
    assert snapshot() == before
    assert Response.objects.get(pk=response.pk).email == ""


def test_only_the_signed_api_and_the_embed_path_skip_the_csrf_check():
    exempt = {
        name
        for name, view in named_views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False) and not name.startswith("admin:")
    }
    assert exempt == set(CSRF_EXEMPT_BY_DESIGN)


@pytest.mark.django_db
def test_the_ingest_api_takes_a_signed_post_without_a_token_and_no_session_helps(
    strict_client, two_orgs
):
    t = two_orgs
    endpoint = ingest_endpoint_create(workflow=t.candidate, organization=t.owner.organization)
    assert post_signed(endpoint, "runs", run_body("r-1")).status_code == 201
    strict_client.force_login(t.owner.user)  # a session is no credential here
    reply = strict_client.post(
        f"/api/ingest/{endpoint.key}/runs", run_body("r-2"), content_type="application/json"
    )
    assert reply.status_code == 401
    assert list(IngestedRun.objects.values_list("run_id", flat=True)) == ["r-1"]

"""A POST without the CSRF token is refused everywhere and changes nothing.

The sweep reuses the tenancy sweep's walk over the URL configuration, signed in as a member
of the organization that owns every object (so the token is the only thing missing).
"""

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client
from django.urls import URLResolver, get_resolver

from benchmark.models import Response
from core.selectors import firm_default
from tests.factories import response_create
from tests.test_tenancy import org_scoped_urls, url

OUR_APPS = ("core", "benchmark", "audits", "workflows", "reports", "firms")


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


def csrf_exempt_urls():
    """Every named URL whose view opts out of the cookie-based CSRF check."""
    exempt = set()

    def visit(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue  # Django's own, behind is_staff
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                visit(entry.url_patterns, ns)
            elif entry.name and getattr(entry.callback, "csrf_exempt", False):
                exempt.add(f"{namespace}{entry.name}")

    visit(get_resolver().url_patterns)
    return exempt


def test_only_the_embed_path_is_csrf_exempt():
    """The embedded self-score runs in a third-party iframe where no cookie is sent; its
    signed token bound to the firm stands in (firms.tokens). Nothing else opts out."""
    assert csrf_exempt_urls() == {"firms:embed"}

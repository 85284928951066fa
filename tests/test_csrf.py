"""A POST without the CSRF token is refused everywhere and changes nothing.

The sweep reuses the tenancy sweep's walk over the URL configuration, signed in as a member
of the organization that owns every object (so the token is the only thing missing).
"""

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client

from benchmark.models import Response
from tests.factories import response_create
from tests.test_tenancy import org_scoped_urls, url

OUR_APPS = ("core", "benchmark", "audits", "workflows", "reports", "webhooks")


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
    before = snapshot()
    for target, data in [
        ("/self-score/", {"revenue_band": "5-20m", "business_model": "b2b", "team_size": "6-15"}),
        (f"/results/{response.public_id}/email/", {"email": "vp@example.com"}),
        ("/accounts/login/", {"username": "vp@example.com", "password": "x"}),
    ]:
        assert strict_client.post(target, data).status_code == 403, target
    assert snapshot() == before
    assert Response.objects.get(pk=response.pk).email == ""

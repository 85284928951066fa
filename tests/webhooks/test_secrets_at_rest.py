"""Signing secrets and API keys are stored encrypted (SECURITY.md "Secrets at rest").

A sweep over every model field: one whose name says it holds a secret, a key or a token
must be an ``*_encrypted`` column (or be named here with the reason it may be plain), so a
secret added later cannot land in the database in clear.
"""

import io
import re

import pytest
from django.apps import apps
from django.db import connection

from core.secrets import secret_decrypt
from tests.factories import OrganizationFactory
from tests.migration_helpers import migrate_to, migrate_to_latest
from webhooks.models import Endpoint
from webhooks.services import webhook_endpoint_secret_rotate
from webhooks.signing import generate_secret

SECRET_NAME = re.compile(r"secret|api_key|token|password", re.IGNORECASE)
# Fields whose name matches but whose value is not a credential to another service, or is
# stored as a one-way hash.
NOT_ENCRYPTED = {
    "auth.User.password": "a salted hash (Django's password hashers)",
    "webhooks.Endpoint.previous_secret_until": "a date",
    "audits.Audit.share_token": "the share link's own unguessable key, shown to its owners",
    "core.Invitation.token_hash": "a hash of the emailed token",
}


def secret_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if SECRET_NAME.search(field.name):
                yield f"{model._meta.label}.{field.name}", field


@pytest.mark.parametrize(("name", "field"), list(secret_fields()), ids=lambda v: str(v))
def test_every_field_named_for_a_secret_is_stored_encrypted(name, field):
    assert field.name.endswith("_encrypted") or name in NOT_ENCRYPTED, (
        f"{name} holds a secret in clear: store it with core.secrets as {field.name}_encrypted"
    )


def test_the_sweep_sees_the_secret_fields():
    names = {name for name, _ in secret_fields()}
    assert {
        "webhooks.Endpoint.secret_encrypted",
        "workflows.IngestEndpoint.secret_encrypted",
        "workflows.N8nConnection.api_key_encrypted",
    } <= names
    assert set(NOT_ENCRYPTED) <= names  # nothing listed here that no longer exists


@pytest.mark.django_db
def test_a_webhook_secret_is_never_in_the_table_in_clear():
    firm = OrganizationFactory(kind="firm")
    endpoint = Endpoint.objects.create(
        organization=firm,
        url="https://crm.example.com/hooks",
        event_types=["lead.created"],
        secret=generate_secret(),
    )
    first = endpoint.secret
    webhook_endpoint_secret_rotate(endpoint=endpoint)
    endpoint = Endpoint.objects.get(pk=endpoint.pk)
    assert endpoint.previous_secret == first and endpoint.secret.startswith("whsec_")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM webhooks_endpoint WHERE id = %s", [endpoint.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert first not in row and endpoint.secret not in row
    assert secret_decrypt(endpoint.secret_encrypted) == endpoint.secret


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_secrets_and_back():
    try:
        old = migrate_to(("webhooks", "0001_endpoints_events_deliveries"))
        Org = old.get_model("core", "Organization")
        OldEndpoint = old.get_model("webhooks", "Endpoint")
        firm = Org.objects.create(name="Harbor", slug="harbor", kind="firm")
        OldEndpoint.objects.create(
            organization=firm,
            url="https://crm.example.com/a",
            secret="whsec_one",
            previous_secret="whsec_zero",
        )
        OldEndpoint.objects.create(
            organization=firm, url="https://crm.example.com/b", secret="whsec_two"
        )

        migrate_to(("webhooks", "0002_endpoint_secrets_encrypted"))
        a, b = Endpoint.objects.order_by("url")
        assert (a.secret, a.previous_secret, b.secret, b.previous_secret) == (
            "whsec_one",
            "whsec_zero",
            "whsec_two",
            "",
        )
        assert "whsec" not in a.secret_encrypted + a.previous_secret_encrypted

        back = migrate_to(("webhooks", "0001_endpoints_events_deliveries"))
        rows = back.get_model("webhooks", "Endpoint").objects.order_by("url")
        assert [(r.secret, r.previous_secret) for r in rows] == [
            ("whsec_one", "whsec_zero"),
            ("whsec_two", ""),
        ]
    finally:
        migrate_to_latest()


@pytest.mark.django_db
def test_webhook_secrets_follow_a_key_rotation(settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SECRET_ENCRYPTION_KEYS = [old]
    endpoint = Endpoint.objects.create(
        organization=OrganizationFactory(kind="firm"),
        url="https://crm.example.com/hooks",
        event_types=["lead.created"],
        secret="whsec_before",
    )
    webhook_endpoint_secret_rotate(endpoint=endpoint)
    current = Endpoint.objects.get(pk=endpoint.pk).secret
    settings.SECRET_ENCRYPTION_KEYS = [new, old]  # new first: it encrypts, both decrypt
    call_command("secrets_reencrypt", stdout=io.StringIO())
    settings.SECRET_ENCRYPTION_KEYS = [new]  # the old key dropped
    endpoint = Endpoint.objects.get(pk=endpoint.pk)
    assert (endpoint.secret, endpoint.previous_secret) == (current, "whsec_before")

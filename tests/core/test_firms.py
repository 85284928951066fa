"""Consulting firms: the migration that puts existing consultants into one, and the default."""

import pytest
from django.test import override_settings

from core.models import Organization
from core.selectors import firm_default, firm_get
from tests.factories import OrganizationFactory
from tests.migration_helpers import migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def back_to_the_latest_schema():
    """Going back to core 0002 unapplies every migration that depends on a later core one
    (other apps' too): afterwards, apply every app's migrations again, or the tests after
    this one would meet missing tables."""
    yield
    migrate_to_latest()


@override_settings(DEFAULT_FIRM_SLUG="acme-consulting", DEFAULT_FIRM_NAME="Acme Consulting")
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_existing_consultants_and_their_clients_move_into_the_default_firm():
    old = migrate_to(("core", "0002_firms"))
    User = old.get_model("auth", "User")
    Org = old.get_model("core", "Organization")
    Membership = old.get_model("core", "Membership")
    casey = User.objects.create(username="casey")
    vera = User.objects.create(username="vera")
    served = Org.objects.create(name="Served", slug="served")
    alone = Org.objects.create(name="Alone", slug="alone")
    Membership.objects.create(user=casey, organization=served, role="consultant")
    Membership.objects.create(user=vera, organization=served, role="client_admin")
    Membership.objects.create(user=vera, organization=alone, role="client_admin")

    new = migrate_to(("core", "0003_consultants_into_firm"))
    Org = new.get_model("core", "Organization")
    Membership = new.get_model("core", "Membership")
    firm = Org.objects.get(slug="acme-consulting")
    assert (firm.kind, firm.name) == ("firm", "Acme Consulting")
    assert Membership.objects.get(organization=firm).user_id == casey.pk
    assert Org.objects.get(slug="served").firm_id == firm.pk
    assert Org.objects.get(slug="alone").firm_id is None  # no consultant, no firm
    assert not Membership.objects.filter(organization=firm, user_id=vera.pk).exists()

    migrate_to(("core", "0002_firms"))  # reversible
    assert not Org.objects.filter(slug="acme-consulting").exists()
    migrate_to(("core", "0003_consultants_into_firm"))


@override_settings(DEFAULT_FIRM_SLUG="acme-consulting", DEFAULT_FIRM_NAME="Acme Consulting")
def test_the_default_firm_is_created_once_and_a_client_slug_is_refused():
    first = firm_default()
    assert firm_default().pk == first.pk and first.is_firm
    assert firm_get(slug="acme-consulting") == first
    client = OrganizationFactory(slug="a-client")
    assert firm_get(slug=client.slug) is None
    with override_settings(DEFAULT_FIRM_SLUG="a-client"), pytest.raises(ValueError):
        firm_default()
    assert Organization.objects.filter(kind=Organization.Kind.FIRM).count() == 1

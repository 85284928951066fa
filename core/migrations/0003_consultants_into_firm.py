"""Put every existing consultant into the default consulting firm, and their clients under it.

Before firms existed, a consultant held a CONSULTANT membership in each client organization
and nothing else; all of them worked for the one consultancy that runs the product. This
migration creates that consultancy as the firm named by ``settings.DEFAULT_FIRM_SLUG``,
makes each consultant a consultant member of it, and sets it as the ``firm`` of every
organization that has a consultant. Organizations without a consultant keep no firm.
Reversing it removes the firm (its memberships cascade) and the clients' link to it.
"""

from django.conf import settings
from django.db import migrations

CONSULTANT = "consultant"


def forwards(apps, schema_editor):
    Organization = apps.get_model("core", "Organization")
    Membership = apps.get_model("core", "Membership")
    consultant_ids = set(
        Membership.objects.filter(role=CONSULTANT).values_list("user_id", flat=True)
    )
    if not consultant_ids:
        return
    firm, _ = Organization.objects.get_or_create(
        slug=settings.DEFAULT_FIRM_SLUG,
        defaults={"name": settings.DEFAULT_FIRM_NAME, "kind": "firm"},
    )
    for user_id in sorted(consultant_ids):
        Membership.objects.get_or_create(
            user_id=user_id, organization=firm, defaults={"role": CONSULTANT}
        )
    client_ids = (
        Membership.objects.filter(role=CONSULTANT)
        .exclude(organization=firm)
        .values_list("organization_id", flat=True)
    )
    Organization.objects.filter(pk__in=client_ids, kind="client", firm__isnull=True).update(
        firm=firm
    )


def backwards(apps, schema_editor):
    Organization = apps.get_model("core", "Organization")
    Organization.objects.filter(slug=settings.DEFAULT_FIRM_SLUG, kind="firm").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_firms")]
    operations = [migrations.RunPython(forwards, backwards)]

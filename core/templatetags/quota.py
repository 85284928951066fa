"""The upload limit and the organization's storage use, for the pages that take files."""

from django import template
from django.conf import settings

from core.models import Organization
from core.quota import StorageUse, human_size, organization_storage_used

register = template.Library()


@register.simple_tag
def upload_limit() -> str:
    """``DATA_IMPORT_MAX_BYTES`` for people ("200 MB")."""
    return human_size(settings.DATA_IMPORT_MAX_BYTES)


@register.simple_tag
def organization_storage(organization: Organization) -> StorageUse:
    """What the organization's kept files use against its quota."""
    return organization_storage_used(organization=organization)

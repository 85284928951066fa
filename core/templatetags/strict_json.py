"""``json_script`` through the strict encoder, installed as a template builtin so that it
replaces Django's filter of the same name in every template (config/settings/base.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import json_script as django_json_script
from django.utils.safestring import SafeString

from core.json import StrictJSONEncoder

register = template.Library()


@register.filter(is_safe=True)
def json_script(value: Any, element_id: str | None = None) -> SafeString:
    """Django's ``json_script`` (HTML-escaped JSON in a ``<script>``), refusing NaN.

    Raises:
        ValueError: on NaN or Infinity in ``value``.
    """
    return django_json_script(value, element_id, encoder=StrictJSONEncoder)

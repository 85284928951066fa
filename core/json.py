"""Strict JSON: NaN and Infinity are refused wherever the app serializes.

JSON has no NaN or Infinity. Python's ``json`` writes them by default as bare ``NaN``, which
browsers' ``JSON.parse`` refuses (the chart on the page breaks) and PostgreSQL's jsonb
refuses (``Token "NaN" is invalid``). Every JSONField, every ``json_script`` and every JSON
export goes through ``StrictJSONEncoder``, so a metric that forgot what an empty period
means fails in the tests, never on a user's page; each metric returns None with a reason
instead.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


class StrictJSONEncoder(DjangoJSONEncoder):
    """``DjangoJSONEncoder`` (dates, Decimals, UUIDs) that raises ValueError on NaN and
    Infinity, whatever ``allow_nan`` the caller passes (``json.dumps(cls=...)`` passes
    ``allow_nan=True`` explicitly)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_nan"] = False
        super().__init__(*args, **kwargs)


def dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` through ``StrictJSONEncoder``.

    Raises:
        ValueError: on NaN or Infinity anywhere in ``value``.
    """
    return json.dumps(value, cls=StrictJSONEncoder, **kwargs)

"""RFC 9457 problem details: the body of every 4xx the ingest API answers."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

PROBLEM_TYPE = "application/problem+json"
# The "type" URIs name the kind of problem; they are stable identifiers, not pages.
TYPE_BASE = "urn:maturity-benchmark:problem:"


def problem_response(
    status: int, title: str, detail: str, *, kind: str, **extra: Any
) -> HttpResponse:
    """A problem-details response: ``type``, ``title``, ``status``, ``detail`` and any
    ``extra`` members (RFC 9457 section 3), as ``application/problem+json``."""
    body = {"type": TYPE_BASE + kind, "title": title, "status": status, "detail": detail, **extra}
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)

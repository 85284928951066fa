"""The server-error page: a 503 with ``Retry-After`` when the database is unreachable (a
restart, a failover), a plain 500 otherwise.

Django calls ``handler500`` from inside the ``except`` block that caught the error, for an
error raised by a view or by any middleware, so ``sys.exc_info()`` still names it. Both
pages render without a request context: a context processor could touch the database that
has just gone away.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 (``Retry-After: 5`` seconds) for ``OperationalError`` or
    ``InterfaceError`` from the database, else 500. Never raises for a missing request user."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)

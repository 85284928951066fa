"""Middleware of our own: private responses are never stored by a cache, and uploads
are refused at their size limit before their body is written anywhere."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

# Paths private even to an anonymous visitor: organization and firm data (anonymous visitors are
# sent to sign-in from there), and pages whose URL is the credential (a result, an
# audit's share link, an invitation, a password reset link), and a firm's benchmark link
# (its pages carry a self-score in progress).
PRIVATE_PREFIXES = (
    "/orgs/",
    "/consultant/",
    "/home/",
    "/results/",
    "/audit/",
    "/invitations/",
    "/accounts/",
    "/b/",
)


class PrivateCacheControlMiddleware:
    """``Cache-Control: private, no-store`` (with ``never_cache``'s no-cache, max-age=0,
    must-revalidate and Expires) on every response to a signed-in user and on every
    private path: pages, htmx fragments, and the PDF, CSV, .ics and JSON downloads. A
    shared cache or the browser's disk must not keep one organization's data.

    Place it after AuthenticationMiddleware (it reads ``request.user``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path_info.startswith(PRIVATE_PREFIXES) or (user and user.is_authenticated):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Last-Modified", None)
            response.headers.pop("ETag", None)
        return response

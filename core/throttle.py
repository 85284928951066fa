"""Who the client is, and how often they may do something that sends mail or writes rows.

Client address: behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each of which appends the
address it received the request from to ``X-Forwarded-For`` (nginx's
``$proxy_add_x_forwarded_for``), the client is the ``TRUSTED_PROXY_COUNT``-th address from
the right of that header; everything to its left was written by the client and is not
believed. With no proxy (the default, 0) the header is ignored and the client is
``REMOTE_ADDR``. django-axes (sign-in lockouts) and django-ratelimit both read the address
through ``client_ip``, so they always agree.

Rate limits: ``rate_limit`` wraps a view; over its rate (a setting such as
``RATELIMIT_PASSWORD_RESET = "5/h"``), the view is not called and the answer is a 429 page
with ``Retry-After``. Counts live in the default cache (Redis when configured).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django_ratelimit.core import get_usage
from ipware import get_client_ip

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]


def client_ip(request: HttpRequest) -> str:
    """The client's address as seen past ``TRUSTED_PROXY_COUNT`` trusted proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    # ipware counts the proxies listed after the client in the header: the nearest proxy
    # is REMOTE_ADDR and is not in it, hence proxies - 1. strict=False: a longer header (the
    # client sent its own) is fine, the client position is counted from the right.
    ip, _routable = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    # A request that reached us without going through every proxy has a shorter header:
    # fall back to the connection's address rather than believe it.
    return ip or remote


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The sign-in name axes counts failures for: the email, trimmed and lower-cased as
    the sign-in form does, so ``VP@Example.com`` and ``vp@example.com`` share one count
    and a password reset clears it (``core.auth_views``)."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429 page, with ``Retry-After`` in seconds."""
    minutes = max(1, -(-retry_after // 60))
    body = loader.render_to_string("429.html", {"minutes": minutes}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _retry_after(request: HttpRequest, *, group: str, rate: str) -> int | None:
    """Count this request against ``rate`` for its client address; the seconds until the
    window ends when over the rate, else None. A cache that cannot be reached lets the
    request through (logged): an outage of the cache must not stop sign-in or intake."""
    try:
        usage = get_usage(request, group=group, key="ip", rate=rate, increment=True)
    except Exception:  # the cache's own errors (redis.ConnectionError, OSError, ...)
        logger.warning("rate limit %s not checked: cache unavailable", group, exc_info=True)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def rate_limit(*, group: str, rate_setting: str, methods: Iterable[str] = ("POST",)) -> Any:
    """Limit ``methods`` requests to the view to the rate in ``settings.<rate_setting>``
    per client address; "" or "off" turns the limit off. ``RATELIMIT_ENABLE = False`` turns
    every limit off (load tests, whose traffic all comes from one address)."""
    limited_methods = frozenset(m.upper() for m in methods)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            rate = getattr(settings, rate_setting)
            if request.method in limited_methods and rate not in ("", "off"):
                retry_after = _retry_after(request, group=group, rate=rate)
                if retry_after is not None:
                    return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

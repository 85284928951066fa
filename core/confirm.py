"""Confirmation before a destructive action, with or without JavaScript.

A destructive POST (replacing the first workflow, removing a step, completing a review)
first answers with a page that says what will happen and re-posts the same fields with
``confirmed=1``; Cancel goes back. With htmx the button carries ``hx-confirm`` and
``hx-vals='{"confirmed": "1"}'``, so the browser's own dialog asks instead and the page is
never needed.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"
BACK = "back"


def is_confirmed(request: HttpRequest) -> bool:
    """True when the POST carries the confirmation."""
    return request.POST.get(CONFIRMED) == "1"


def is_going_back(request: HttpRequest) -> bool:
    """True when the user chose "Go back" on a confirmation page that keeps their entry: the
    view shows its form again, filled with what was posted, and changes nothing."""
    return request.POST.get(BACK) == "1"


def confirmation_page(
    request: HttpRequest,
    *,
    title: str,
    consequences: Sequence[str],
    confirm_label: str,
    cancel_url: str = "",
) -> HttpResponse:
    """The page that asks before ``request`` (a POST) is carried out.

    Every field of the POST but the CSRF token is posted again with ``confirmed=1`` to the
    same URL. ``consequences`` are plain sentences, shown as a list. Without ``cancel_url``
    the way back is a "Go back" button that posts the fields with ``back=1``, so a form
    the user filled in comes back as they left it (``is_going_back``).
    """
    fields = [
        (key, value)
        for key, values in request.POST.lists()
        if key not in ("csrfmiddlewaretoken", CONFIRMED, BACK)
        for value in values
    ]
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "fields": fields,
            "action": request.get_full_path(),
        },
    )

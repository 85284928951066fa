"""Request typing shared by the views."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """An HttpRequest that went through django-htmx's middleware (``request.htmx``)."""

    htmx: HtmxDetails


class SignedInRequest(HtmxHttpRequest):
    """A request to a view behind ``login_required``: its user is never anonymous."""

    user: User

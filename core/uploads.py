"""The upload size limit, enforced before a body is written anywhere.

Django writes a multipart body to a temporary file as it parses, and a form can look at
the file's size only after the whole body is on disk. So the limit is checked twice
before that: by ``Content-Length`` (a body that announces more than the limit is not
parsed at all), then by ``LimitedUploadHandler`` while the body streams in (a body that
hides its size stops at the limit). Both answer a 413 page.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.template import loader

from .quota import human_size

# Room for the multipart boundaries and the small form fields beside the file.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
# How long a refused body is read and thrown away, so the client, still sending, gets the
# 413 page instead of a reset connection (as nginx's lingering close does). Behind a proxy
# that buffers request bodies this is quick; a slower client past it sees the reset.
DISCARD_SECONDS = 30


class LimitedUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes chunks on to the others (memory or temporary
    file) until the files of the request add up to more than ``limit`` bytes, then stops
    the upload. Django reads and discards the rest of the body (``connection_reset=False``)
    and deletes the partial temporary file."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def upload_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """The 413 page, naming the limit."""
    body = loader.render_to_string("413.html", {"limit": human_size(limit)})
    return HttpResponse(body, status=413)


def _discard_body(request: HttpRequest) -> None:
    deadline = time.monotonic() + DISCARD_SECONDS
    while time.monotonic() < deadline and request.read(1 << 20):
        pass


class UploadLimitMiddleware:
    """Refuse multipart bodies over ``DATA_IMPORT_MAX_BYTES`` with a 413, by
    ``Content-Length`` first, then while streaming. Place it before CsrfViewMiddleware,
    which is the first to read ``request.POST``: the handler must be in place by then.
    The body is parsed here, so no view ever sees a half-read upload."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            limit = settings.DATA_IMPORT_MAX_BYTES
            try:
                announced = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                announced = 0
            if announced > limit + MULTIPART_OVERHEAD_BYTES:
                _discard_body(request)
                return upload_too_large(request, limit)
            handler = LimitedUploadHandler(request, limit)
            request.upload_handlers.insert(0, handler)
            request.POST  # noqa: B018 - parse now, with the handler in place
            if handler.exceeded:
                return upload_too_large(request, limit)
        return self.get_response(request)

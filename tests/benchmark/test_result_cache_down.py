"""With the result page's cache server down, a visitor still submits and sees their result.

The ``pages`` cache only saves work (``core.cache.FailSoftRedisCache``): here it points at a
loopback port where no Redis listens, so every read and write meets a refused connection.
"""

import socket

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from benchmark.models import Response
from benchmark.services import response_submit
from core.cache import FailSoftRedisCache
from tests.factories import PROFILE, uniform_answers

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down():
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    pages = {"BACKEND": "core.cache.FailSoftRedisCache", "LOCATION": dead}
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "pages": pages,
        }
    ):
        assert isinstance(caches["pages"], FailSoftRedisCache)
        yield


def test_a_submit_and_its_result_page_work_with_the_cache_down(client, redis_down, caplog):
    response = response_submit(
        profile=PROFILE, answers=uniform_answers(2), completed_at=timezone.now()
    )
    assert Response.objects.filter(pk=response.pk).exists()
    page = client.get(f"/results/{response.public_id}/")
    assert page.status_code == 200
    assert "Your AI maturity score" in page.content.decode()
    assert "Redis unavailable" in caplog.text  # it did try, and said so


def test_the_fail_soft_cache_reads_a_miss_and_skips_writes(redis_down):
    pages = caches["pages"]
    assert pages.get("k", "fallback") == "fallback"
    assert pages.add("k", 1) is False
    assert pages.set("k", 1) is None
    assert pages.delete("k") is False

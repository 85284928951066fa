"""A cache that answers "not cached" when its server is down, for caches that only save work.

The result page's peer histograms and drawn fragments (``benchmark.peer_cache``, the
``{% cache ... using="pages" %}`` blocks) live in the ``pages`` cache. When Redis cannot be
reached, a miss costs one recomputation, while an error would cost the visitor their result
page, or their self-score at submit. So this backend logs and carries on: a read is a miss,
a write is skipped. The rate limits keep the ``default`` cache, which fails loudly on purpose.

A generation bump lost while Redis was down leaves the bars cached before it in place for at
most their lifetime (``peer_cache.ENTRY_SECONDS``) once Redis is back.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a Redis that is down, restarting or unreachable raises through redis-py.
_DOWN = (RedisError, OSError)


class FailSoftRedisCache(RedisCache):
    """Django's ``RedisCache`` whose get / get_many / add / set / delete never raise for a
    server that cannot be reached: a read gives ``default`` (or nothing found), a write
    gives False (or nothing)."""

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except _DOWN as error:
            logger.warning("cache read skipped, Redis unavailable: %s", error)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return dict(super().get_many(keys, version))
        except _DOWN as error:
            logger.warning("cache read skipped, Redis unavailable: %s", error)
            return {}

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except _DOWN as error:
            logger.warning("cache add skipped, Redis unavailable: %s", error)
            return False

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except _DOWN as error:
            logger.warning("cache write skipped, Redis unavailable: %s", error)

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except _DOWN as error:
            logger.warning("cache delete skipped, Redis unavailable: %s", error)
            return False

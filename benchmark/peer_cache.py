"""The peer histograms a result page reads, cached between submits (issue 13).

Every result page compares its response with a peer group read from ``PeerBucket`` (a
thousand-odd bars). Between two submits those bars do not change, so they are kept in the
Django cache (Redis in production, shared by every worker; this process's memory in the
embedded default) under a *generation*: a random token that every write to the histograms
replaces (``peer_histograms_invalidate``, called by ``benchmark.services``), so a page never
reads bars older than the last submit it could have seen. A token rather than a counter:
an evicted counter could restart at a value whose stale entries are still cached.

Keys carry the database name, so two deployments sharing one Redis never read each
other's peers.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.db.models import Q

from .models import PeerBucket

# {(pool, segment): {metric: {value key 0..1000: count}}}, bars with a zero count left out.
Histograms = dict[tuple[str, str], dict[str, dict[int, int]]]

# An entry outlives its generation at most this long (seconds): memory stays bounded.
ENTRY_SECONDS = 600


def page_cache() -> BaseCache:
    """The ``pages`` cache: a miss, not an error, when Redis is down (core.cache)."""
    return caches["pages"]


def _prefix() -> str:
    return f"benchmark:peers:{settings.DATABASES['default']['NAME']}"


def peer_generation_key() -> str:
    """The key of the current generation's token (``benchmark.result_cache`` reads it in
    the same round trip as a page drawn under it)."""
    return f"{_prefix()}:generation"


def token_current(key: str) -> str:
    """The token kept under ``key`` in the pages cache, started if there is none (``add``,
    so two processes starting it at once agree on one)."""
    token = page_cache().get(key)
    if token is None:
        page_cache().add(key, secrets.token_hex(8), timeout=None)
        token = page_cache().get(key)
    return str(token)


def peer_generation_current() -> str:
    """The current generation's token, started if there is none."""
    return token_current(peer_generation_key())


def peer_histograms_invalidate() -> None:
    """Start a new generation: every cached histogram is read again from the database.

    ``benchmark.services`` calls it when it writes to ``PeerBucket``, and
    ``peer_histograms_committed`` again once that write commits, so a page that read the
    bars mid-transaction cannot keep them.
    """
    page_cache().set(peer_generation_key(), secrets.token_hex(8), timeout=None)


def peer_histograms_committed() -> None:
    """Start a new generation once a write to the histograms has committed: a page may have
    read the bars while the write was open and cached them as they were before it. Does
    nothing inside a transaction (whoever opened it calls this after it ends)."""
    if not connection.in_atomic_block:
        peer_histograms_invalidate()


def _histograms_read(segment: str) -> Histograms:
    """The bars of ``segment``, of all real responses and of the demo sample (one query)."""
    rows = PeerBucket.objects.filter(
        Q(pool=PeerBucket.Pool.REAL, segment__in=[segment, PeerBucket.ALL_SEGMENT])
        | Q(pool=PeerBucket.Pool.DEMO, segment=PeerBucket.ALL_SEGMENT)
    ).values_list("pool", "segment", "metric", "value", "count")
    histograms: Histograms = {}
    for pool, seg, metric, value, count in rows:
        if count:
            histograms.setdefault((pool, seg), {}).setdefault(metric, {})[value] = count
    return histograms


def peer_histograms_cached(segment: str) -> tuple[str, Histograms]:
    """``(generation, histograms)``: the histograms a result in ``segment`` compares with
    (its segment's, all real responses' and the demo sample's), the cached copy of the
    current generation, else read (one query) and stored for the next page. Anything drawn
    from them may be cached under the generation too."""
    generation = peer_generation_current()
    key = f"{_prefix()}:{generation}:{segment}"
    histograms: Histograms | None = page_cache().get(key)
    if histograms is None:
        histograms = _histograms_read(segment)
        page_cache().set(key, histograms, timeout=ENTRY_SECONDS)
    return generation, histograms

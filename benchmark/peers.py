"""Peer comparison from score histograms.

Pure module. Scores are kept as integer *keys* 0..1000: a dimension score in 0..1 times
1000, or the overall score (0..100, one decimal) times 10, both rounded. A histogram maps
key -> number of completed responses with that key, so percentiles and medians come from a
few hundred counts instead of every stored response.

Percentile rank uses the mid-rank definition (Hazen): the share of peers strictly below,
plus half the share equal, times 100. It is monotone: a higher score never has a lower rank.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

SEGMENT_MIN_RESPONSES = 30
KEY_MAX = 1000


def score_key(fraction_of_max: float) -> int:
    """The histogram key 0..1000 for a value in 0..1 (overall scores: pass overall / 100)."""
    return max(0, min(KEY_MAX, round(fraction_of_max * KEY_MAX)))


def percentile_rank(histogram: Mapping[int, int], key: int) -> float | None:
    """Mid-rank percentile (0..100) of ``key`` among the histogram; None when it is empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    below = sum(n for k, n in histogram.items() if k < key)
    equal = histogram.get(key, 0)
    return 100.0 * (below + equal / 2) / total


def median_key(histogram: Mapping[int, int]) -> float | None:
    """The median key of the histogram (mean of the two middle values when even)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    lower_index, upper_index = (total - 1) // 2, total // 2
    seen = 0
    lower = upper = None
    for key in sorted(histogram):
        seen += histogram[key]
        if lower is None and seen > lower_index:
            lower = key
        if seen > upper_index:
            upper = key
            break
    assert lower is not None and upper is not None  # nosec B101 # noqa: S101 - total > 0
    return (lower + upper) / 2


class PeerGroupKind(StrEnum):
    """Which responses a result is compared with."""

    SEGMENT = "segment"
    ALL = "all"
    DEMO = "demo"
    NONE = "none"


@dataclass(frozen=True)
class PeerGroupChoice:
    """The chosen group and how many completed responses it holds."""

    kind: PeerGroupKind
    size: int


def choose_peer_group(
    *, segment_size: int, all_size: int, demo_size: int, minimum: int = SEGMENT_MIN_RESPONSES
) -> PeerGroupChoice:
    """Pick the comparison group (PRODUCT.md section 1, "Peers").

    The respondent's segment when it holds at least ``minimum`` real responses, else all
    real responses. Demo responses are never mixed into either: only when fewer than
    ``minimum`` real responses exist at all (a fresh install) is the result compared with
    the demo sample instead, and the page labels it as demo.
    """
    if segment_size >= minimum:
        return PeerGroupChoice(PeerGroupKind.SEGMENT, segment_size)
    if all_size >= minimum or (demo_size == 0 and all_size > 0):
        return PeerGroupChoice(PeerGroupKind.ALL, all_size)
    if demo_size > 0:
        return PeerGroupChoice(PeerGroupKind.DEMO, demo_size)
    return PeerGroupChoice(PeerGroupKind.NONE, 0)

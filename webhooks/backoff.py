"""When to try a failed delivery again: exponential backoff with jitter, and a bound.

Pure: no Django, no clock, no random source of its own (the caller passes ``rand``).
"""

from __future__ import annotations


def retry_delay(*, attempt: int, base_seconds: float, max_seconds: float, rand: float) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, ...).

    The exponential step ``base_seconds * 2 ** (attempt - 1)``, capped at ``max_seconds``,
    with "equal jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015):
    half the step is kept and the other half drawn, so the wait lies in ``[step/2, step]``.
    Deliveries that failed together (an endpoint back after an outage) spread out instead
    of arriving at once, and no wait collapses to zero.

    Args:
        rand: a number in ``[0, 1)``, e.g. ``random.random()``.

    Raises:
        ValueError: ``attempt`` below 1, a negative base or cap, or ``rand`` outside [0, 1).
    """
    if attempt < 1:
        raise ValueError(f"attempt must be 1 or more, not {attempt}")
    if base_seconds < 0 or max_seconds < 0:
        raise ValueError("base_seconds and max_seconds must not be negative")
    if not 0 <= rand < 1:
        raise ValueError(f"rand must lie in [0, 1), not {rand}")
    # 2 ** 64 is past any cap; a bigger exponent only risks overflow.
    step = min(max_seconds, base_seconds * 2.0 ** min(attempt - 1, 64))
    return step / 2 + rand * step / 2


def should_retry(*, attempt: int, max_attempts: int) -> bool:
    """Whether a delivery whose attempt number ``attempt`` failed gets another, within
    ``max_attempts`` attempts in all (the first one included)."""
    return attempt < max_attempts

"""Three looks, one error rate: the alpha-spending boundaries and their repeated intervals."""

import numpy as np
import pytest

from workflows.reviews.metrics.sequential import (
    look_boundary,
    obrien_fleming_spending,
    repeated_interval,
    spending_boundaries,
)

REPETITIONS = 200_000  # the issue asks for at least 20,000; vectorized, this takes a second
FRACTIONS = np.array([1 / 3, 2 / 3, 1.0])


def brownian_z(rng, repetitions):
    """Z statistics at the three looks of a Brownian motion with no drift (no effect)."""
    increments = rng.standard_normal((repetitions, 3)) * np.sqrt(np.diff(FRACTIONS, prepend=0))
    return np.cumsum(increments, axis=1) / np.sqrt(FRACTIONS)


def test_it_reproduces_gsdesigns_published_boundaries():
    # gsDesign, sfLDOF, K = 3 equally spaced, alpha = 0.025 a side: 3.7103, 2.5114, 1.9930.
    assert spending_boundaries() == pytest.approx((3.7103, 2.5114, 1.9930), abs=1e-4)
    # K = 2 at t = 1/2, 1: 2.9626, 1.9686.
    assert spending_boundaries((0.5, 1.0)) == pytest.approx((2.9626, 1.9686), abs=1e-4)


def test_it_spends_all_of_alpha_by_the_last_look():
    assert obrien_fleming_spending(1.0) == pytest.approx(0.05)
    assert obrien_fleming_spending(1 / 3) < obrien_fleming_spending(2 / 3) < 0.05


def test_it_keeps_the_false_positive_rate_over_three_looks_at_five_percent():
    rng = np.random.default_rng(20260317)
    z = brownian_z(rng, REPETITIONS)
    crossed = (np.abs(z) >= np.array(spending_boundaries())).any(axis=1)
    rate = crossed.mean()
    standard_error = np.sqrt(0.05 * 0.95 / REPETITIONS)
    assert rate <= 0.05 + 3 * standard_error
    assert rate >= 0.05 - 3 * standard_error  # and spends it, not far less


def test_a_plain_interval_at_every_look_would_not():
    rng = np.random.default_rng(7)
    z = brownian_z(rng, 20_000)
    assert (np.abs(z) >= 1.959964).any(axis=1).mean() > 0.09


def test_its_repeated_intervals_cover_the_effect_at_all_three_looks_together():
    rng = np.random.default_rng(11)
    z = brownian_z(rng, 50_000)
    effect, scale = 2.0, 1.5
    standard_errors = scale / np.sqrt(FRACTIONS)  # the SE shrinks as information grows
    estimates = effect + z * standard_errors
    boundaries = np.array([look_boundary(day) for day in (30, 60, 90)])
    covered = (np.abs(estimates - effect) <= boundaries * standard_errors).all(axis=1)
    assert covered.mean() >= 0.95 - 3 * np.sqrt(0.05 * 0.95 / 50_000)


def test_its_interval_is_the_estimate_plus_or_minus_the_looks_z():
    interval = repeated_interval(10.0, 2.0, review_day=30)
    assert interval.lower == pytest.approx(10 - 2 * 3.7103, abs=1e-3)
    assert interval.upper == pytest.approx(10 + 2 * 3.7103, abs=1e-3)
    assert "Lan-DeMets" in interval.method and "day 30" in interval.method


def test_it_refuses_a_day_that_is_not_a_look():
    with pytest.raises(ValueError, match="looks"):
        repeated_interval(1.0, 1.0, review_day=45)

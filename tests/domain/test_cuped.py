"""CUPED: the arms' difference adjusted by a pre-period covariate (Deng et al. 2013)."""

import numpy as np
import pytest

from workflows.reviews.metrics.cuped import cuped


def test_it_matches_a_hand_computed_case():
    # x = 1, 2, 1, 2 (mean 1.5); y = 3, 5 | 2, 2 (mean 3). Cov(x, y) = 1/3, Var(x) = 1/3, so
    # theta = 1. Adjusted: 3.5, 4.5 | 2.5, 1.5: difference 4 - 2 = 2, each arm's variance
    # 0.5, SE = sqrt(0.5/2 + 0.5/2). Plain: difference 2, SE = sqrt(2/2 + 0/2) = 1.
    result = cuped([3, 5], [1, 2], [2, 2], [1, 2])
    assert result.theta == pytest.approx(1.0)
    assert result.estimate == pytest.approx(2.0)
    assert result.standard_error == pytest.approx(0.5**0.5)
    assert result.unadjusted == pytest.approx(2.0)
    assert result.unadjusted_se == pytest.approx(1.0)
    assert result.variance_reduction == pytest.approx(0.5)


def test_it_scales_to_runs_a_week():
    result = cuped([3, 5], [1, 2], [2, 2], [1, 2], scale=7)
    assert result.estimate == pytest.approx(14.0)
    assert result.standard_error == pytest.approx(7 * 0.5**0.5)


def test_a_constant_covariate_adjusts_nothing():
    result = cuped([3, 5, 4], [2, 2, 2], [1, 2, 3], [2, 2, 2])
    assert result.theta == 0
    assert result.estimate == pytest.approx(result.unadjusted)
    assert result.standard_error == pytest.approx(result.unadjusted_se)


def test_a_correlated_covariate_narrows_the_interval_without_moving_the_truth():
    rng = np.random.default_rng(5)
    estimates, ses, plain = [], [], []
    for _ in range(400):
        x = rng.normal(10, 3, 200)
        y = x + rng.normal(0, 1, 200)
        y[:100] += 0.5  # the true effect
        result = cuped(y[:100], x[:100], y[100:], x[100:])
        estimates.append(result.estimate)
        ses.append(result.standard_error)
        plain.append(result.unadjusted_se)
    assert np.mean(estimates) == pytest.approx(0.5, abs=0.03)
    assert np.mean(ses) < 0.4 * np.mean(plain)


def test_it_needs_two_units_an_arm():
    with pytest.raises(ValueError, match="2 units"):
        cuped([1], [1], [1, 2], [1, 2])

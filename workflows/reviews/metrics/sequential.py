"""Three looks, one error rate per metric: repeated confidence intervals from alpha spending.

Pure module: numpy + stdlib, no Django, no clock.

The day-30, day-60 and day-90 reviews look again at the same accumulating metric. A plain
95% interval at every look would let a chance difference through more than 5% of the time.
Each metric instead spends its 5% over the three looks with the Lan-DeMets spending function
of O'Brien-Fleming type (Lan & DeMets 1983, *Biometrika* 70:659-663; O'Brien & Fleming
1979, *Biometrics* 35:549-556), two-sided and symmetric, alpha/2 on each side, as gsDesign's
``sfLDOF`` defines it:

    alpha_side(t) = 2 - 2 * Phi(Phi^-1(1 - alpha / 4) / sqrt(t)),   0 < t <= 1

where ``t`` is the information fraction. The looks are planned at days 30, 60 and 90 of a
90-day review window, so t = 1/3, 2/3 and 1 (information grows with the runs, which grow
with calendar time). The critical values c_k solve, under no effect,

    P(|Z_j| < c_j for j < k, |Z_k| >= c_k) = 2 * (alpha_side(t_k) - alpha_side(t_{k-1}))

for a Brownian motion observed at t_1..t_K (Z_k = S(t_k) / sqrt(t_k)). They are found by
the recursive numerical integration of Armitage, McPherson & Rowe (1969, *JRSS A*
132:235-244) as Jennison & Turnbull describe it (*Group Sequential Methods with
Applications to Clinical Trials*, 2000, ch. 19). For alpha = 0.05 and three equally spaced
looks: 3.71, 2.51, 1.99 (gsDesign's published values).

At look k the repeated 95% confidence interval is estimate +/- c_k x standard error
(Jennison & Turnbull 1989, *JRSS B* 51:305-361): all three intervals cover the true effect
together with probability at least 95%, however the reviews turn out.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

import numpy as np

from workflows.reviews.metrics._common import Interval

ALPHA = 0.05
LOOK_DAYS = (30, 60, 90)
GRID_POINTS = 2001
SEQUENTIAL_METHOD = (
    "Repeated 95% confidence interval over the day-30, day-60 and day-90 looks: Lan-DeMets "
    "alpha spending of O'Brien-Fleming type (Lan & DeMets 1983; Jennison & Turnbull 2000)"
)

_NORMAL = NormalDist()
_erfc = np.frompyfunc(math.erfc, 1, 1)


def _upper_tail(x: np.ndarray) -> np.ndarray:
    """1 - Phi(x), accurate far in the tail (erfc, not 1 - cdf)."""
    tail = np.asarray(_erfc(np.asarray(x, dtype="float64") / math.sqrt(2)), dtype="float64")
    return 0.5 * tail


def _density(x: np.ndarray) -> np.ndarray:
    return np.asarray(np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi), dtype="float64")


def obrien_fleming_spending(fraction: float, alpha: float = ALPHA) -> float:
    """Two-sided alpha spent by information ``fraction`` (0..1): 2 x alpha_side(t)."""
    if not 0 < fraction <= 1:
        raise ValueError(f"An information fraction is in (0, 1], got {fraction}.")
    z = _NORMAL.inv_cdf(1 - alpha / 4)
    return 2 * (2 * float(_upper_tail(np.array([z / math.sqrt(fraction)]))[0]))


@lru_cache(maxsize=32)
def spending_boundaries(
    fractions: tuple[float, ...] = (1 / 3, 2 / 3, 1.0), alpha: float = ALPHA
) -> tuple[float, ...]:
    """The critical values |Z| >= c_k of the looks at information ``fractions`` (increasing,
    the last at most 1), spending ``alpha`` two-sided by ``obrien_fleming_spending``."""
    if list(fractions) != sorted(fractions) or len(set(fractions)) != len(fractions):
        raise ValueError("The information fractions must increase.")
    spent = [obrien_fleming_spending(t, alpha) for t in fractions]
    boundaries: list[float] = []
    grid = np.empty(0)
    weights = np.empty(0)
    density = np.empty(0)  # sub-density of S(t_{k-1}) on the continuation region
    previous = 0.0
    for k, t in enumerate(fractions):
        target = spent[k] - (spent[k - 1] if k else 0.0)
        if k == 0:
            boundary = _NORMAL.inv_cdf(1 - target / 2)
        else:
            boundary = _solve_boundary(
                target, grid, weights * density, root_t=math.sqrt(t), step=math.sqrt(t - previous)
            )
        boundaries.append(boundary)
        # The sub-density of S(t_k) on |S| < c_k sqrt(t_k), for the next look.
        new_grid, new_weights = _simpson_grid(boundary * math.sqrt(t))
        if k == 0:
            density = _density(new_grid / math.sqrt(t)) / math.sqrt(t)
        else:
            step = math.sqrt(t - previous)
            kernel = _density((new_grid[:, None] - grid[None, :]) / step) / step
            density = kernel @ (weights * density)
        grid, weights, previous = new_grid, new_weights, t
    return tuple(boundaries)


def _solve_boundary(
    target: float, grid: np.ndarray, mass: np.ndarray, *, root_t: float, step: float
) -> float:
    """The c whose exit probability at this look, from the continuation ``mass`` on ``grid``
    (sub-density x Simpson weights), is ``target`` (bisection; the probability falls with c)."""

    def exit_probability(c: float) -> float:
        upper = _upper_tail((c * root_t - grid) / step)
        lower = _upper_tail((c * root_t + grid) / step)
        return float(np.sum(mass * (upper + lower)))

    low, high = 0.0, 20.0
    for _ in range(80):
        middle = (low + high) / 2
        if exit_probability(middle) > target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _simpson_grid(half_width: float) -> tuple[np.ndarray, np.ndarray]:
    """Points and Simpson weights on [-half_width, half_width] (GRID_POINTS, odd)."""
    grid = np.linspace(-half_width, half_width, GRID_POINTS)
    h = grid[1] - grid[0]
    weights = np.full(GRID_POINTS, 2.0)
    weights[1::2] = 4.0
    weights[0] = weights[-1] = 1.0
    return grid, weights * h / 3


def look_number(review_day: int) -> int:
    """1, 2 or 3 for the day-30, day-60 and day-90 review."""
    if review_day not in LOOK_DAYS:
        raise ValueError(f"The looks are at days {LOOK_DAYS}, not {review_day}.")
    return LOOK_DAYS.index(review_day) + 1


def look_boundary(review_day: int) -> float:
    """The critical z of the review held on ``review_day`` (30, 60 or 90)."""
    return spending_boundaries()[look_number(review_day) - 1]


def repeated_interval(estimate: float, standard_error: float, *, review_day: int) -> Interval:
    """estimate +/- c_k x standard_error, the repeated 95% CI of the review's look."""
    if not math.isfinite(standard_error) or standard_error < 0:
        raise ValueError(f"A standard error is zero or more, got {standard_error}.")
    c = look_boundary(review_day)
    return Interval(
        estimate=estimate,
        lower=estimate - c * standard_error,
        upper=estimate + c * standard_error,
        method=f"{SEQUENTIAL_METHOD}; z = {c:.2f} at day {review_day}",
    )

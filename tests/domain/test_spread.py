"""Where members disagree: the spread of their latest scores per dimension."""

import pytest

from benchmark.definition import Dimension
from benchmark.spread import DimensionSpread, dimension_percents, member_spread


def dimension(key):
    return Dimension(id=key, label=key.title(), weight=10, summary="", moves=())


DIMENSIONS = [dimension("data"), dimension("attribution"), dimension("governance")]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ([], []),
        # One member: no disagreement, every dimension they scored, definition order.
        (
            [{"data": 40, "attribution": 70}],
            [
                DimensionSpread("data", "Data", 40, 40),
                DimensionSpread("attribution", "Attribution", 70, 70),
            ],
        ),
        # Widest first: attribution 0..100 (100), data 20..60 (40), governance 50..50 (0).
        (
            [
                {"data": 20, "attribution": 100, "governance": 50},
                {"data": 60, "attribution": 0, "governance": 50},
            ],
            [
                DimensionSpread("attribution", "Attribution", 0, 100),
                DimensionSpread("data", "Data", 20, 60),
                DimensionSpread("governance", "Governance", 50, 50),
            ],
        ),
        # A dimension one member has no score for spreads over the others only.
        (
            [{"data": 30}, {"data": 90, "governance": 10}],
            [
                DimensionSpread("data", "Data", 30, 90),
                DimensionSpread("governance", "Governance", 10, 10),
            ],
        ),
    ],
)
def test_the_spread_is_lowest_and_highest_per_dimension_widest_first(members, expected):
    assert member_spread(DIMENSIONS, members) == expected


def test_equal_gaps_keep_the_definitions_order():
    spread = member_spread(
        DIMENSIONS, [{"data": 0, "governance": 0}, {"data": 50, "governance": 50}]
    )
    assert [s.dimension_id for s in spread] == ["data", "governance"]
    assert [s.gap for s in spread] == [50, 50]


@pytest.mark.parametrize(
    ("scores", "percents"),
    [
        ({"data": 0.0, "attribution": 1.0}, {"data": 0, "attribution": 100}),
        ({"data": 0.666}, {"data": 67}),
    ],
)
def test_dimension_scores_show_as_whole_points(scores, percents):
    assert dimension_percents(scores) == percents

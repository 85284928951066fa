"""Percentiles and medians from histograms, and the choice of peer group."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmark.peers import PeerGroupKind, choose_peer_group, median_key, percentile_rank, score_key


def test_mid_rank_percentile_counts_ties_as_half():
    histogram = {100: 2, 500: 4, 900: 4}  # 10 responses
    assert percentile_rank(histogram, 500) == 40.0  # 2 below + 4/2 equal
    assert percentile_rank(histogram, 50) == 0.0
    assert percentile_rank(histogram, 1000) == 100.0
    assert percentile_rank(histogram, 700) == 60.0


def test_an_empty_group_has_no_percentile_or_median():
    assert percentile_rank({}, 500) is None
    assert median_key({}) is None


@pytest.mark.parametrize(
    ("histogram", "median"),
    [
        ({400: 1}, 400),
        ({100: 1, 300: 1}, 200),
        ({100: 1, 300: 1, 900: 1}, 300),
        ({0: 3, 1000: 2}, 0),
    ],
)
def test_median(histogram, median):
    assert median_key(histogram) == median


def test_score_keys():
    assert score_key(0) == 0
    assert score_key(2 / 3) == 667
    assert score_key(0.633) == 633
    assert score_key(1.2) == 1000


histograms = st.dictionaries(st.integers(0, 1000), st.integers(1, 50), min_size=1, max_size=40)


@given(histograms, st.integers(0, 1000), st.integers(0, 1000))
def test_percentiles_are_monotone(histogram, a, b):
    low, high = sorted((a, b))
    assert percentile_rank(histogram, low) <= percentile_rank(histogram, high)
    assert 0 <= percentile_rank(histogram, low) <= 100


@given(histograms)
def test_the_median_lies_within_the_data(histogram):
    assert min(histogram) <= median_key(histogram) <= max(histogram)


@pytest.mark.parametrize(
    ("segment", "all_", "demo", "kind", "size"),
    [
        (30, 500, 240, PeerGroupKind.SEGMENT, 30),
        (29, 500, 240, PeerGroupKind.ALL, 500),
        (5, 29, 240, PeerGroupKind.DEMO, 240),  # a fresh install compares with the demo sample
        (5, 12, 0, PeerGroupKind.ALL, 12),
        (0, 0, 0, PeerGroupKind.NONE, 0),
    ],
)
def test_peer_group_choice(segment, all_, demo, kind, size):
    choice = choose_peer_group(segment_size=segment, all_size=all_, demo_size=demo)
    assert (choice.kind, choice.size) == (kind, size)

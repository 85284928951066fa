"""Difference-in-differences, reproduced on Card & Krueger's minimum-wage table."""

import pytest

from workflows.reviews.metrics.did import CellMean, PrePost, difference_in_differences, pre_trends

# Card, D. & Krueger, A. B. (1994). Minimum Wages and Employment: A Case Study of the
# Fast-Food Industry in New Jersey and Pennsylvania. American Economic Review 84(4),
# 772-793, Table 3: average full-time-equivalent (FTE) employment per store, standard
# errors in parentheses.
#                                   PA            NJ            NJ - PA
# 1. FTE before, all available      23.33 (1.35)  20.44 (0.51)  -2.89 (1.44)
# 2. FTE after, all available       21.17 (0.94)  21.03 (0.52)  -0.14 (1.07)
# 3. Change in mean FTE             -2.16 (1.25)   0.59 (0.54)   2.76 (1.36)
NJ = PrePost(CellMean(20.44, 0.51), CellMean(21.03, 0.52), change_se=0.54)
PA = PrePost(CellMean(23.33, 1.35), CellMean(21.17, 0.94), change_se=1.25)


def test_it_reproduces_card_and_kruegers_table_3():
    table = difference_in_differences(NJ, PA)
    # Row 3, the changes, with their printed standard errors.
    assert round(table.treated_change.value, 2) == 0.59
    assert round(table.comparison_change.value, 2) == -2.16
    # Rows 1 and 2, column NJ - PA: the gaps, and their SEs from the independent states.
    assert round(table.gap_before.value, 2) == -2.89
    assert round(table.gap_before.se, 2) == 1.44
    assert round(table.gap_after.value, 2) == -0.14
    assert round(table.gap_after.se, 2) == 1.07
    # The DiD: printed 2.76 (1.36). The paper computes it from unrounded means; from the four
    # printed means, each rounded to 0.005, it is 2.75, within 0.02 of 2.76.
    assert table.effect.value == pytest.approx(2.76, abs=0.02)
    assert round(table.effect.value, 2) == 2.75
    assert round(table.effect.se, 2) == 1.36


def test_its_effect_is_the_change_in_the_gap():
    table = difference_in_differences(NJ, PA)
    assert table.effect.value == pytest.approx(table.gap_after.value - table.gap_before.value)


def test_independent_cells_add_their_variances():
    treated = PrePost(CellMean(10, 3), CellMean(14, 4))
    comparison = PrePost(CellMean(8, 0), CellMean(9, 0))
    table = difference_in_differences(treated, comparison)
    assert table.effect.value == 3
    assert table.effect.se == 5  # sqrt(3^2 + 4^2)


def test_a_cell_of_weekly_values_has_the_se_of_its_mean():
    cell = CellMean.of([1, 2, 3, 4])
    assert cell.mean == 2.5
    assert cell.se == pytest.approx((5 / 3) ** 0.5 / 2)


def test_parallel_pre_trends_pass():
    trends = pre_trends([10, 11, 12, 13.2], [20, 21.1, 22, 23], comparison_name="Partner leads")
    assert trends.judged and not trends.diverge
    assert "parallel" in trends.message


def test_diverging_pre_trends_warn():
    trends = pre_trends([10, 12, 14.1, 16, 18], [20, 20.1, 19.9, 20, 20], comparison_name="X")
    assert trends.diverge
    assert trends.treated_slope == pytest.approx(2.0, abs=0.05)
    assert "diverge" in trends.message


def test_too_few_pre_weeks_cannot_be_judged():
    trends = pre_trends([1, 2], [1, 2], comparison_name="X")
    assert not trends.judged and not trends.diverge

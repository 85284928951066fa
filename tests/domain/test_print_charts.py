"""Charts for print: every text at least 7.5 pt on the page (reports/print_charts.py)."""

import pytest

from reports.print_charts import (
    LANDSCAPE_WIDTH_PX,
    PORTRAIT_WIDTH_PX,
    min_font_px,
    readable_for_print,
)


def test_a_figure_without_a_width_is_drawn_at_the_print_width():
    printed = readable_for_print({"data": [], "layout": {}}, print_width_px=PORTRAIT_WIDTH_PX)
    assert printed["layout"]["width"] == PORTRAIT_WIDTH_PX == 658
    assert printed["layout"]["font"]["size"] == 12  # the default already prints at 9 pt


@pytest.mark.parametrize(("width", "expected"), [(900, 10.0), (1040, 10.6), (2000, 20.3)])
def test_a_wider_figure_gets_fonts_that_survive_the_shrink(width, expected):
    figure = {
        "layout": {
            "width": width,
            "annotations": [
                {"text": 'x<span style="font-size:9px">tool</span>', "font": {"size": 9}}
            ],
            "xaxis": {"tickfont": {"size": 8}},
        }
    }
    printed = readable_for_print(figure, print_width_px=LANDSCAPE_WIDTH_PX)
    assert min_font_px(printed) == expected
    assert figure["layout"]["xaxis"]["tickfont"]["size"] == 8  # the original is untouched
    scale = min(1, LANDSCAPE_WIDTH_PX / width)
    assert min_font_px(printed) * scale * 0.75 >= 7.5 - 1e-9


def test_larger_sizes_are_kept():
    printed = readable_for_print(
        {"layout": {"font": {"size": 14}, "title": {"font": {"size": 20}}}},
        print_width_px=PORTRAIT_WIDTH_PX,
    )
    assert printed["layout"]["font"]["size"] == 14
    assert printed["layout"]["title"]["font"]["size"] == 20

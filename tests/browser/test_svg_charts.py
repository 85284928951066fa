"""Charts drawn on the server (core.svgchart, issue 13): every chart page shows each chart as
soon as its HTML is in, with no charting script, no console error, and a picture that fits
a laptop and a phone."""

import io
import re

import pytest
from django.core.management import call_command

from tests import stack
from tests.perf.chart_pages import chart_pages


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_each_chart_page_shows_its_charts_with_no_script(live_server, page, screenshot, width):
    call_command("load_demo", responses=30, stdout=io.StringIO())
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("vp@demo.example")
    page.get_by_label("Password").fill(stack.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/orgs/"))
    scripts = []
    page.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))

    def html(path):
        page.goto(live_server.url + path)
        return page.content()

    for name, path in chart_pages(html):
        scripts.clear()
        page.goto(live_server.url + path, wait_until="domcontentloaded")
        charts = page.locator(".chart")
        assert charts.count() > 0, f"{name}: no chart"
        for index in range(charts.count()):
            chart = charts.nth(index)
            # One picture shows at each width (the wide one or the phone one), drawn.
            shown = [svg for svg in chart.locator("svg.svg-chart").all() if svg.is_visible()]
            assert len(shown) == 1, f"{name}, chart {index}: {len(shown)} pictures shown"
            marks = shown[0].locator("polyline, polygon, rect, path, circle")
            assert marks.count() > 3, f"{name}, chart {index}: nothing drawn"
            box = shown[0].bounding_box()
            assert box["width"] > 200 and box["height"] > 100, f"{name}: {box}"
            if "swimlane" not in name:  # the swimlane scrolls sideways by design
                assert box["x"] + box["width"] <= width + 1, f"{name}: wider than the screen"
        assert not [url for url in scripts if "plotly" in url or "charts" in url], scripts
        screenshot(page, f"svg-charts-{name.split(' (')[0].replace(' ', '-')}-{width}")
        assert page.js_errors == [], f"{name}: {page.js_errors}"

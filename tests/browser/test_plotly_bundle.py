"""The partial plotly.js bundle (assets/plotly, issue 13): the version the plotly package
ships, every trace type the app draws registered, and a page with each chart drawn in
Chromium with no console error."""

import io
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest
from django.core.management import call_command
from plotly.basedatatypes import BaseTraceType

from tests import stack
from tests.perf.chart_pages import chart_pages

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "static" / "vendor" / "plotly" / "plotly-partial.min.js"
FULL = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# Where the app builds figures or traces: the server-side figure modules and charts.js.
CHART_SOURCES = [
    *(ROOT / "benchmark").glob("*.py"),
    *(ROOT / "workflows").rglob("*.py"),
    *(ROOT / "reports").glob("*.py"),
    *(ROOT / "static" / "js").glob("*.js"),
]
TRACE_TYPES = {
    name.lower()
    for name in dir(go)
    if isinstance(getattr(go, name), type) and issubclass(getattr(go, name), BaseTraceType)
}


def version(path: Path) -> str:
    return re.search(r"plotly\.js v(\d+\.\d+\.\d+)", path.read_text()[:500]).group(1)


def trace_types_drawn() -> set[str]:
    found = set()
    for path in CHART_SOURCES:
        if "migrations" in path.parts:
            continue
        found |= set(re.findall(r"""["']type["']\s*:\s*["'](\w+)["']""", path.read_text()))
        found |= {name.lower() for name in re.findall(r"\bgo\.(\w+)\(", path.read_text())}
    return found & TRACE_TYPES


def test_the_bundle_is_the_plotly_js_the_plotly_package_ships():
    assert version(BUNDLE) == version(FULL)


def test_the_app_draws_traces_of_known_types():
    # Guards the scan below: if it found nothing, the next test would prove nothing.
    assert {"scatter", "scatterpolar", "bar"} <= trace_types_drawn()


@pytest.mark.browser
def test_every_trace_type_the_app_draws_is_in_the_bundle(page):
    page.set_content(f"<script>{BUNDLE.read_text()}</script>")
    registered = set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)"))
    assert trace_types_drawn() <= registered
    assert page.js_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_page_with_each_chart_draws_it_with_no_console_error(live_server, page, screenshot):
    call_command("load_demo", responses=30, stdout=io.StringIO())
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("vp@demo.example")
    page.get_by_label("Password").fill(stack.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/orgs/"))

    def html(path):
        page.goto(live_server.url + path)
        return page.content()

    for name, path in chart_pages(html):
        page.goto(live_server.url + path)
        charts = page.locator(".chart")
        assert charts.count() > 0, f"{name}: no chart"
        for index in range(charts.count()):
            charts.nth(index).locator("svg.main-svg").first.wait_for(state="attached")
        screenshot(page, "plotly-bundle-" + name.split(" (")[0].replace(" ", "-"))
        assert page.js_errors == [], f"{name}: {page.js_errors}"

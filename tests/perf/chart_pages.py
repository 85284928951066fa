"""The demo's pages that draw a chart, one per kind of chart (the browser test of the SVG
charts and `make perf` load the same ones)."""

from __future__ import annotations

import re
from collections.abc import Callable

DEMO_ORG = "northwind-demo"  # core/demo.py: mapped, live first workflow, a self-score


def chart_pages(get: Callable[[str], str]) -> list[tuple[str, str]]:
    """``(name, path)`` of each chart page, found as a signed-in demo member finds them;
    ``get(path)`` returns a page's HTML."""
    workflows = get(f"/orgs/{DEMO_ORG}/workflows/")
    workflow = re.search(rf"/orgs/{DEMO_ORG}/workflows/(\d+)/map/current/", workflows).group(1)
    dashboard = get(f"/orgs/{DEMO_ORG}/")
    result = re.search(r'href="(/results/[0-9a-f-]+/)"', dashboard).group(1)
    return [
        ("result radar (scatterpolar)", result),
        ("dashboard history (scatter)", f"/orgs/{DEMO_ORG}/"),
        ("map swimlane (shapes)", f"/orgs/{DEMO_ORG}/workflows/{workflow}/map/current/"),
        ("review (bar, scatter)", f"/orgs/{DEMO_ORG}/workflows/{workflow}/reviews/60/"),
        ("portfolio (scatter)", f"/orgs/{DEMO_ORG}/portfolio/"),
    ]

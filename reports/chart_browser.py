"""The Kaleido browser behind the PDF charts, keeping each tab's page between charts.

Stock Kaleido reloads a tab after every chart, so Chromium parses plotly.js (4.8 MB) again
each time: about three quarters of the browser's work for a report (the demo report's six
charts: 0.9 CPU-seconds with the reloads, 0.2 without, on the Debian Chromium). plotly.js's
``toImage`` draws each figure in a div of its own and purges it, so a kept page draws the
same SVG: the same elements and attributes, only plotly's random ids differ, as they do
between any two draws. A tab is still reloaded after a chart that failed, and after every
``RELOAD_TAB_EVERY`` charts, so whatever a page keeps stays bounded.

Imported only when the first chart is drawn (``reports.charts``): Kaleido loads plotly.
"""

from __future__ import annotations

import sys
from typing import Any

import kaleido

# A tab draws this many charts on one page load; then it loads plotly.js afresh.
RELOAD_TAB_EVERY = 50


class ChartBrowser(kaleido.Kaleido):
    """``kaleido.Kaleido`` whose tabs keep their page between charts: a tab is reloaded
    after a failed chart and after ``RELOAD_TAB_EVERY`` charts, not after each.

    Relies on Kaleido 1.x returning a tab through ``_return_kaleido_tab`` (checked by
    tests/reports/test_chart_browser.py): should that change, tabs are reloaded after each
    chart as before, which is slower but draws the same."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.charts_by_tab: dict[str, int] = {}  # charts drawn since the page loaded
        self.reloads = 0

    async def _return_kaleido_tab(self, tab: Any) -> None:
        # Called from the ``finally`` of Kaleido's render task: a chart that failed is the
        # exception being handled there.
        failed = sys.exc_info()[1] is not None
        target = tab.tab.target_id
        drawn = self.charts_by_tab.get(target, 0) + 1
        if failed or drawn >= RELOAD_TAB_EVERY:
            await tab.reload()
            self.reloads += 1
            drawn = 0
        self.charts_by_tab[target] = drawn
        await self.tabs_ready.put(tab)

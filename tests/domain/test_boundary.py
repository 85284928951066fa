"""The pure domain modules import nothing from Django."""

import subprocess
import sys

PURE_MODULES = [
    "benchmark.definition",
    "benchmark.scoring",
    "benchmark.peers",
    "benchmark.demo",
    "benchmark.charts",
    "audits.stack",
    "audits.qualification",
    "workflows.candidates.filter",
    "workflows.maps.shapes",
    "workflows.maps.analysis",
    "workflows.maps.charts",
    "workflows.maps.chart_marks",
    "workflows.maps.exchange",
    "workflows.plans.schedule",
    "workflows.data.imports",
    "workflows.reviews.metrics",
    "workflows.reviews.charts",
    "benchmark.spread",
    "benchmark.stored",
    "workflows.maps.components",
    "workflows.reviews.snapshot",
    "workflows.reviews.stored",
    "workflows.reviews.stored_metrics",
    "workflows.reviews.stored_cfo",
    "workflows.portfolio.stages",
    "workflows.candidates.dimensions",
    "core.text",
    "audits.lifecycle",
    "webhooks.signing",
    "webhooks.backoff",
    "webhooks.targets",
    "webhooks.transport",
]


def test_pure_modules_do_not_import_django():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in PURE_MODULES)
        + "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

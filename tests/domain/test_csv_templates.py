"""The CSV templates the data page offers (static/csv-templates/) import as they are."""

from datetime import date
from pathlib import Path

import pytest

from workflows.data.imports.events import parse_events
from workflows.data.imports.opportunities import OPPORTUNITY_FIELDS, parse_opportunities
from workflows.data.imports.runlog import parse_run_log
from workflows.data.imports.spend import parse_spend

TEMPLATES = Path(__file__).resolve().parents[2] / "static" / "csv-templates"
AS_OF = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("name", "parse", "rows"),
    [
        ("run-log.csv", lambda t: parse_run_log(t, as_of=AS_OF).runs, 3),
        ("downstream-events.csv", lambda t: parse_events(t, as_of=AS_OF), 2),
        (
            "opportunities.csv",
            lambda t: parse_opportunities(
                t,
                as_of=AS_OF,
                mapping={f: f for f in OPPORTUNITY_FIELDS[:7]},
            ),
            2,
        ),
        ("ai-spend.csv", lambda t: parse_spend(t, as_of=AS_OF), 3),
    ],
)
def test_each_template_imports_cleanly(name, parse, rows):
    frame = parse((TEMPLATES / name).read_text())
    assert len(frame) == rows

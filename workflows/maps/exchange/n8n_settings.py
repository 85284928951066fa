"""An n8n workflow's settings and sticky notes, read for the map, and the report the n8n
import builds as it goes.

Pure module: standard library only. ``settings`` is n8n's ``IWorkflowSettings``
(packages/workflow/src/interfaces.ts): ``errorWorkflow`` is the id of the workflow n8n runs
when a run fails ("" or "DEFAULT" for none); ``timeSavedPerExecution`` is minutes per
successful run (the insights module records it as ``time_saved_min``:
packages/cli/src/modules/insights/), unused when ``timeSavedMode`` is "dynamic" (Time
Saved nodes count it instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from workflows.maps.shapes import FAILURE_TARGET_CHARS, NOTES_CHARS, TIME_SAVED_MINUTES

from .common import show, to_decimal
from .n8n_graph import Graph

_NO_ERROR_WORKFLOW = ("", "DEFAULT")


@dataclass
class Report:
    """Sentences gathered during an n8n import: what the map shows less exactly than the
    file says, and what the file has that the map does not keep."""

    approximated: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def read_error_workflow(graph: Graph, report: Report) -> str:
    """The error workflow's id; "" when none is set (absent, "" or "DEFAULT")."""
    value = graph.settings.get("errorWorkflow")
    if value is None or (isinstance(value, str) and value.strip() in _NO_ERROR_WORKFLOW):
        return ""
    target_chars = FAILURE_TARGET_CHARS - len("error workflow ")
    if not isinstance(value, str) or len(value.strip()) > target_chars:
        report.dropped.append(f"settings.errorWorkflow {show(value)}: not a workflow id")
        return ""
    return value.strip()


def read_time_saved(graph: Graph, report: Report) -> Decimal | None:
    """Minutes a successful run saves; None when not set or not usable (reported). More than
    2 decimal places are rounded, and reported: the map stores hundredths of a minute."""
    value = graph.settings.get("timeSavedPerExecution")
    if value is None:
        return None
    if graph.settings.get("timeSavedMode") == "dynamic":
        report.dropped.append(
            "the time saved per run: the workflow counts it with Time Saved nodes "
            "(timeSavedMode dynamic), so timeSavedPerExecution is unused"
        )
        return None
    number = to_decimal(value) if not isinstance(value, str) else None
    if number is None or not 0 <= number <= TIME_SAVED_MINUTES.maximum:
        report.dropped.append(
            f"settings.timeSavedPerExecution {show(value)}: not a number of minutes from 0 "
            f"to {TIME_SAVED_MINUTES.maximum}"
        )
        return None
    if TIME_SAVED_MINUTES.problem(number):  # more than 2 decimal places
        rounded = number.quantize(Decimal("0.01"), ROUND_HALF_UP)
        report.approximated.append(f"the time saved per run, {number} min, kept as {rounded}")
        return rounded
    return number


def read_notes(graph: Graph, report: Report) -> str:
    """The sticky notes' contents, blank lines between them, cut to NOTES_CHARS (reported)."""
    notes = "\n\n".join(graph.sticky_notes)
    if len(notes) > NOTES_CHARS:
        report.approximated.append(
            f"the sticky notes are {len(notes):,} characters; the map's notes keep the "
            f"first {NOTES_CHARS:,}"
        )
        notes = notes[:NOTES_CHARS]
    return notes

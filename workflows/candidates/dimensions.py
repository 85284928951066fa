"""Which benchmark dimensions a candidate workflow would move, suggested from its answers.

Pure module: standard library only. The dimension ids are those of the benchmark definition
(benchmark/definitions/2026.1.json). PRODUCT.md section 5 ("CFO-grade numbers") ties the
self-score's widest gap to the work: a candidate carries the dimensions it moves, suggested
here and editable by the team.

The rules read the candidate's name and pain (case-insensitive words) and its filter
answers:

- every candidate that AI can automate a step of, once orchestrated, moves
  ``orchestration`` (a chain from trigger to outcome is what orchestrating it means);
- within one degree of revenue it also moves ``measurement`` (its outcome is a revenue
  number the team can measure);
- words name the rest: a report or dashboard moves ``reporting``; attribution or touches
  ``attribution``; a sync, CRM, enrichment or data ``data``; spend or budget ``budget``;
  tools, vendors or licences ``vendors`` and ``stack``; a review, approval or compliance
  step ``governance``; training or playbooks ``skills``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DIMENSION_IDS = (
    "stack",
    "orchestration",
    "measurement",
    "attribution",
    "reporting",
    "data",
    "skills",
    "governance",
    "budget",
    "vendors",
)
_WORD_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"report|dashboard|weekly|monthly|board deck", ("reporting",)),
    (r"attribut|touch", ("attribution",)),
    (r"sync|crm|enrich|data|record|dedup|hubspot|salesforce", ("data",)),
    (r"spend|budget|cost", ("budget",)),
    (r"vendor|licen[cs]e|tool|seat", ("vendors", "stack")),
    (r"review|approv|complian|legal|brand", ("governance",)),
    (r"train|playbook|onboard", ("skills",)),
    (r"lead|inbound|follow[- ]?up|routing|handoff|hand-off|outreach|sdr", ("orchestration",)),
    (r"pipeline|revenue|deal|opportunit|booked|meeting", ("measurement",)),
)


def suggest_dimensions(
    *, name: str, pain: str, ai_can_automate_step: bool | None, degrees_from_revenue: int | None
) -> tuple[str, ...]:
    """The dimension ids the candidate would move, in the definition's order."""
    found: set[str] = set()
    if ai_can_automate_step:
        found.add("orchestration")
    if degrees_from_revenue == 1:
        found.add("measurement")
    text = f"{name} {pain}".lower()
    for pattern, ids in _WORD_RULES:
        if re.search(pattern, text):
            found.update(ids)
    return tuple(d for d in DIMENSION_IDS if d in found)


def candidates_for_gap(gap: str, candidates: Iterable[tuple[str, tuple[str, ...]]]) -> list[str]:
    """The names of the candidates whose dimensions include the widest gap ``gap``, in the
    order given (callers pass them ranked by the filter)."""
    return [name for name, dimensions in candidates if gap in dimensions]

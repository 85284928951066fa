""" "I don't know" as an answer, as a benchmark definition declares it (issue 15).

Pure module: standard library only. A definition from version 2026.2 carries
``"unknown_answer": {"text": ..., "help": ..., "low_confidence_above": 3}``; older ones
have none, and their questions offer no "I don't know".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class UnknownAnswer:
    """ "I don't know" as an answer to every question (definitions from 2026.2, issue 15).

    It scores as missing, not as zero (``benchmark.scoring``). ``text`` is its label,
    ``help`` says what choosing it does, and a response with more than
    ``low_confidence_above`` unknowns is low-confidence: kept out of the peer pool.
    """

    text: str
    help: str
    low_confidence_above: int


def parse_unknown(raw: Any, problems: list[str]) -> UnknownAnswer | None:
    """The ``unknown_answer`` of a definition's JSON, or None when it has none; a broken
    rule is added to ``problems`` (``parse_definition`` raises them all together)."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not str(raw.get("text", "")).strip():
        problems.append("unknown_answer needs a text")
        return None
    limit = raw.get("low_confidence_above")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        problems.append("unknown_answer low_confidence_above must be a whole number, 0 or more")
        limit = 0
    return UnknownAnswer(
        text=str(raw["text"]), help=str(raw.get("help", "")), low_confidence_above=limit
    )

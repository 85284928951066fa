"""The in-progress self-score, kept in the visitor's session until it is submitted.

The session outlives the browser tab (two weeks by default), so a visitor who leaves and
returns in the same browser resumes where they stopped.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from .definition import Definition
from .scoring import Answer, answers_from_json

SESSION_KEY = "selfscore_draft"


@dataclass
class SelfScoreDraft:
    """``profile`` (revenue_band, business_model, team_size) and ``answers`` (question id
    -> JSON answer) of the definition ``version`` the draft was started with."""

    version: str
    profile: dict[str, str] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, session: MutableMapping[str, Any], version: str) -> SelfScoreDraft:
        """The draft in ``session``; a draft of another version starts over."""
        data = session.get(SESSION_KEY) or {}
        if data.get("version") != version:
            return cls(version=version)
        return cls(
            version=version,
            profile=dict(data.get("profile") or {}),
            answers=dict(data.get("answers") or {}),
        )

    def save(self, session: MutableMapping[str, Any]) -> None:
        session[SESSION_KEY] = {
            "version": self.version,
            "profile": self.profile,
            "answers": self.answers,
        }

    @staticmethod
    def clear(session: MutableMapping[str, Any]) -> None:
        session.pop(SESSION_KEY, None)

    @property
    def started(self) -> bool:
        return bool(self.profile)

    def answered_count(self, definition: Definition) -> int:
        return sum(1 for q in definition.questions if q.id in self.answers)

    def first_unanswered(self, definition: Definition) -> int | None:
        """The 1-based number of the first unanswered question, or None when all are."""
        for number, question in enumerate(definition.questions, start=1):
            if question.id not in self.answers:
                return number
        return None

    def scoring_answers(self) -> dict[str, Answer]:
        return answers_from_json(self.answers)

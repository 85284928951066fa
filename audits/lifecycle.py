"""The Revenue Audit's lifecycle: which status may follow which, and who may edit when.

Pure module: standard library only. PRODUCT.md section 2: audits move through submitted,
in review, replied, won or lost; the reviewer answers within 24 hours of submission. The
statuses are the values of ``audits.models.Audit.Status``; they are repeated here as plain
strings so this module needs no Django.

- A draft becomes submitted only by the client's submission (``SUBMIT``), never by the
  consultant's status form.
- The consultant's status form moves forward (submitted -> in review -> replied -> won or
  lost) and may reopen a won or lost audit to replied; it never returns an audit to draft or
  to submitted, which would restart the 24-hour clock.
- ``REPLY`` is the reply being sent: from submitted or in review (and again, to correct a
  reply, from replied).
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    REPLIED = "replied"
    WON = "won"
    LOST = "lost"


class Action(StrEnum):
    SUBMIT = "submit"  # the client submits the intake
    SET_STATUS = "set_status"  # the consultant's status form
    REPLY = "reply"  # the consultant sends the reply


class TransitionError(ValueError):
    """A status change the lifecycle does not allow; the message says which and why."""


# What the consultant's status form may set, from each status. The current status is always
# offered too, so saving the form unchanged changes nothing.
STATUS_FORM_TARGETS: dict[Status, tuple[Status, ...]] = {
    Status.DRAFT: (),
    Status.SUBMITTED: (Status.IN_REVIEW,),
    Status.IN_REVIEW: (Status.REPLIED,),
    Status.REPLIED: (Status.WON, Status.LOST),
    Status.WON: (Status.REPLIED, Status.LOST),
    Status.LOST: (Status.REPLIED, Status.WON),
}
OPEN = frozenset({Status.SUBMITTED, Status.IN_REVIEW})  # the 24-hour clock runs
CONSULTANT_EDITS = frozenset({Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW})
CLIENT_EDITS = frozenset({Status.DRAFT})
REPLY_FROM = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.REPLIED})


def status_choices(current: str) -> tuple[Status, ...]:
    """The statuses the status form offers for an audit in ``current``: itself first."""
    status = Status(current)
    return (status, *STATUS_FORM_TARGETS[status])


def next_status(current: str, action: Action, target: str | None = None) -> Status:
    """The status after ``action`` on an audit in ``current``.

    ``target`` is the status chosen in the status form (``Action.SET_STATUS`` only).

    Raises:
        TransitionError: when the lifecycle does not allow it (e.g. won -> submitted, or
            submitting an audit twice).
    """
    status = Status(current)
    if action is Action.SUBMIT:
        if status is not Status.DRAFT:
            raise TransitionError(f"This audit was already submitted ({status.value}).")
        return Status.SUBMITTED
    if action is Action.REPLY:
        if status not in REPLY_FROM:
            raise TransitionError(f"A reply cannot be sent while the audit is {status.value}.")
        return Status.REPLIED
    if target is None:
        raise TransitionError("Choose a status.")
    wanted = Status(target)
    if wanted not in status_choices(status):
        raise TransitionError(f"An audit cannot move from {status.value} to {wanted.value}.")
    return wanted


def can_edit(status: str, *, is_consultant: bool) -> bool:
    """Whether the intake may still be edited: a client only while it is a draft, the
    consultant until the reply is sent."""
    return Status(status) in (CONSULTANT_EDITS if is_consultant else CLIENT_EDITS)

"""The Revenue Audit's lifecycle as a table: every status change, who may edit when."""

import pytest

from audits.lifecycle import (
    Action,
    Status,
    TransitionError,
    can_edit,
    next_status,
    status_choices,
)

D, S, R, P, W, L = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.REPLIED,
    Status.WON,
    Status.LOST,
)

# Every (from, to) pair the consultant's status form may ask for, and whether it is allowed.
ALLOWED_BY_STATUS_FORM = {
    (D, D),  # saving the form unchanged changes nothing, in every status
    (S, S), (S, R),
    (R, R), (R, P),
    (P, P), (P, W), (P, L),
    (W, W), (W, P), (W, L),
    (L, L), (L, P), (L, W),
}  # fmt: skip


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_the_status_form_allows_exactly_the_table(current, target):
    if (current, target) in ALLOWED_BY_STATUS_FORM:
        assert next_status(current, Action.SET_STATUS, target) is target
    else:
        with pytest.raises(TransitionError):
            next_status(current, Action.SET_STATUS, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [(W, S), (L, S), (P, S), (W, D), (P, D), (R, D), (S, D), (D, S), (S, P), (R, W)],
)
def test_jumps_that_make_no_sense_are_refused(current, target):
    """Won -> submitted would restart the 24-hour clock; only the client's submission
    leaves a draft; a reply is sent, never set."""
    with pytest.raises(TransitionError, match=f"from {current.value} to {target.value}"):
        next_status(current, Action.SET_STATUS, target)


@pytest.mark.parametrize(
    ("current", "action", "expected"),
    [
        (D, Action.SUBMIT, S),
        (S, Action.REPLY, P),
        (R, Action.REPLY, P),
        (P, Action.REPLY, P),  # correcting a reply
    ],
)
def test_submitting_and_replying_move_the_audit(current, action, expected):
    assert next_status(current, action) is expected


@pytest.mark.parametrize(
    ("current", "action"),
    [(S, Action.SUBMIT), (P, Action.SUBMIT), (W, Action.SUBMIT), (D, Action.REPLY),
     (W, Action.REPLY), (L, Action.REPLY)],
)  # fmt: skip
def test_submitting_twice_or_replying_out_of_turn_is_refused(current, action):
    with pytest.raises(TransitionError):
        next_status(current, action)


def test_the_status_form_needs_a_target():
    with pytest.raises(TransitionError, match="Choose a status"):
        next_status(S, Action.SET_STATUS)


@pytest.mark.parametrize(
    ("status", "consultant", "client"),
    [
        (D, True, True),
        (S, True, False),
        (R, True, False),
        (P, False, False),
        (W, False, False),
        (L, False, False),
    ],
)
def test_who_may_edit_the_intake_in_each_status(status, consultant, client):
    assert can_edit(status, is_consultant=True) is consultant
    assert can_edit(status, is_consultant=False) is client


@pytest.mark.parametrize("status", list(Status))
def test_the_status_form_offers_the_current_status_first_and_only_allowed_ones(status):
    offered = status_choices(status)
    if offered:
        assert offered[0] is status
    assert {(status, t) for t in offered[1:]} <= ALLOWED_BY_STATUS_FORM

"""A sweep: the step form (and the map's settings form) and the JSON map import accept
exactly the same values, field by field, so an import never stores what the editor would
refuse, and never rounds what the editor would keep."""

import pytest

from workflows.maps.exchange import MapImportError, map_from_json
from workflows.maps.forms import StepForm, WorkflowMapForm
from workflows.maps.shapes import (
    CONTRACT_FIELD_CHARS,
    CONTRACT_FIELDS,
    DONE_CHARS,
    FAILURE_TARGET_CHARS,
    KPI_CHARS,
    NOTES_CHARS,
    OUTCOME_OWNER_CHARS,
    OWNER_CHARS,
    STEP_NAME_CHARS,
    TEAM_CHARS,
    TOOL_CHARS,
    TRIGGER_CHARS,
)

NUMBERS = [
    "",
    "0",
    "1",
    " 3 ",
    "3.0",
    "3.00",
    "0.07",
    "0.0667",
    "2.5",
    "2.500",
    "0.001",
    "0.0005",
    "1e2",
    "1E+6",
    "-1",
    "-0.5",
    "10",
    "11",
    "99.5",
    "99.55",
    "100",
    "100.1",
    "86400",
    "86400.001",
    "999999.99",
    "1000000",
    "1000000.00",
    "1000000.01",
    "2e6",
    "NaN",
    "Infinity",
    "abc",
    "1,5",
]
STEP_NUMBERS = [
    "process_minutes",
    "wait_minutes",
    "share_of_runs",
    "retry_max_tries",
    "retry_wait_seconds",
]
MAP_NUMBERS = ["runs_per_week", "time_saved_per_run_minutes"]
JSON_KEYS = {"time_saved_per_run_minutes": "time_saved_minutes"}


def json_accepts(step=None, **settings):
    data = {
        "format": "ai-maturity-workflow-map",
        "version": 2,
        "name": "Sweep",
        "steps": [{"name": "Step", "actor": "ai", **(step or {})}],
        **settings,
    }
    try:
        map_from_json(data)
    except MapImportError:
        return False
    return True


def step_form_accepts(field, value):
    form = StepForm({"name": "Step", "actor": "ai", "failure_route": "none", field: value})
    form.is_valid()
    return field not in form.errors


def map_form_accepts(field, value):
    form = WorkflowMapForm({field: value})
    form.is_valid()
    return field not in form.errors


@pytest.mark.parametrize("value", NUMBERS)
@pytest.mark.parametrize("field", STEP_NUMBERS)
def test_the_step_form_and_the_json_import_take_the_same_numbers(field, value):
    assert step_form_accepts(field, value) == json_accepts({field: value}), (field, value)


@pytest.mark.parametrize("value", NUMBERS)
@pytest.mark.parametrize("field", MAP_NUMBERS)
def test_the_settings_form_and_the_json_import_take_the_same_numbers(field, value):
    key = JSON_KEYS.get(field, field)
    assert map_form_accepts(field, value) == json_accepts(**{key: value}), (field, value)


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("name", STEP_NAME_CHARS),
        ("tool", TOOL_CHARS),
        ("owner", OWNER_CHARS),
        ("team", TEAM_CHARS),
        ("failure_target", FAILURE_TARGET_CHARS),
        ("done_criteria", DONE_CHARS),
    ],
)
@pytest.mark.parametrize("extra", [0, 1])
def test_step_texts_have_the_same_length_limit(field, limit, extra):
    value = "x" * (limit + extra)
    assert step_form_accepts(field, value) == json_accepts({field: value}) == (extra == 0)


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("trigger", TRIGGER_CHARS),
        ("outcome_owner", OUTCOME_OWNER_CHARS),
        ("kpi", KPI_CHARS),
        ("notes", NOTES_CHARS),
    ],
)
@pytest.mark.parametrize("extra", [0, 1])
def test_map_texts_have_the_same_length_limit(field, limit, extra):
    value = "x" * (limit + extra)
    assert map_form_accepts(field, value) == json_accepts(**{field: value}) == (extra == 0)


@pytest.mark.parametrize(
    ("names", "accepted"),
    [
        ([f"field_{i}" for i in range(CONTRACT_FIELDS)], True),
        ([f"field_{i}" for i in range(CONTRACT_FIELDS + 1)], False),
        (["x" * CONTRACT_FIELD_CHARS], True),
        (["x" * (CONTRACT_FIELD_CHARS + 1)], False),  # refused, not cut to 100 as on main
    ],
)
def test_contracts_have_the_same_limits(names, accepted):
    for field in ("inputs", "outputs"):
        assert step_form_accepts(field, ", ".join(names)) is accepted
        assert json_accepts({field: names}) is accepted

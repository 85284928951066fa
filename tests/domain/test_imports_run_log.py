"""CSV imports: a run log's good rows, its bad values by line and column, and repeated runs."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from tests.domain.imports_helpers import (
    AS_OF,
    fixture,
    problems_of,
    row,
    run_log,
)
from workflows.data.imports import (
    MAX_LISTED_PROBLEMS,
    RUN_LOG_COLUMNS,
    CsvImportError,
    parse_run_log,
    read_upload,
)

# --- run log: the happy path --------------------------------------------------------------


def test_a_good_run_log_imports_every_run_typed():
    result = parse_run_log(read_upload(fixture("runlog_good.csv")), as_of=AS_OF)

    assert result.row_count == 8
    assert result.duplicate_ids == 0
    runs = result.runs
    assert list(runs.columns) == list(RUN_LOG_COLUMNS)
    assert runs["run_id"].tolist() == [f"r-000{n}" for n in range(1, 9)]
    assert str(runs["started_at"].dtype) == "datetime64[ns, UTC]"
    assert str(runs["ended_at"].dtype) == "datetime64[ns, UTC]"
    assert runs["steps_total"].dtype == np.int64
    # "+01:00" converts to UTC; an empty ended_at is NaT; aliases become canonical names.
    assert runs["started_at"][4] == pd.Timestamp("2026-03-03T07:00:00Z")
    assert pd.isna(runs["ended_at"][3])
    assert runs["status"].tolist() == [
        "succeeded",
        "failed",
        "succeeded",
        "running",
        "succeeded",
        "failed",
        "succeeded",
        "failed",
    ]
    assert runs["arm"][4] == "orchestrated"
    assert runs["stopped_at_step"].tolist()[:2] == ["", "Send SMS"]
    assert runs["started_at"][6] == pd.Timestamp("2026-03-03T15:00:00.250Z")


def test_the_daily_table_sums_runs_by_day_arm_status_and_step():
    daily = parse_run_log(read_upload(fixture("runlog_good.csv")), as_of=AS_OF).daily

    assert list(daily.columns) == [
        "day",
        "arm",
        "status",
        "stopped_at_step",
        "runs",
        "ai_steps",
        "steps_total",
        "steps_succeeded",
    ]
    rows = [tuple(r) for r in daily.itertuples(index=False)]
    assert rows == [
        (date(2026, 3, 2), "baseline", "succeeded", "", 1, 0, 6, 6),
        (date(2026, 3, 2), "orchestrated", "failed", "Send SMS", 1, 2, 6, 3),
        (date(2026, 3, 2), "orchestrated", "running", "", 1, 1, 6, 2),
        (date(2026, 3, 2), "orchestrated", "succeeded", "", 1, 3, 6, 6),
        (date(2026, 3, 3), "baseline", "failed", "Draft SMS", 1, 0, 6, 4),
        (date(2026, 3, 3), "orchestrated", "failed", "Send SMS", 1, 2, 6, 3),
        (date(2026, 3, 3), "orchestrated", "succeeded", "", 2, 6, 12, 12),
    ]
    assert daily["runs"].sum() == 8


def test_header_names_match_ignoring_case_spaces_and_hyphens_and_extra_columns_are_ignored():
    header = "Notes,Run ID,Started-At,ENDED_AT,Status,Arm,Steps Total,steps-succeeded,AI Steps"
    text = run_log(
        "hello,r-1,2026-03-02T09:14:03Z,,running,baseline,6,2,0",
        "=cmd(),r-2,2026-03-02T09:15:00Z,,running,baseline,6,2,0",
        header=header,
    )

    result = parse_run_log(text, as_of=AS_OF)

    assert result.runs["run_id"].tolist() == ["r-1", "r-2"]
    # stopped_at_step is optional: every run gets "" when the column is left out.
    assert result.runs["stopped_at_step"].tolist() == ["", ""]


def test_times_without_a_zone_are_utc_and_a_file_may_mix_zoned_and_naive_times():
    text = run_log(
        row(run_id="a", started_at="2026-03-02 09:14", ended_at="2026-03-02T09:20:00"),
        row(run_id="b", started_at="2026-03-02T09:14:00+02:00", ended_at="2026-03-03"),
        row(run_id="c", started_at="2026-03-02T09:14:05.5-0130", ended_at=""),
    )

    runs = parse_run_log(text, as_of=AS_OF).runs

    assert runs["started_at"].tolist() == [
        pd.Timestamp("2026-03-02T09:14:00Z"),
        pd.Timestamp("2026-03-02T07:14:00Z"),
        pd.Timestamp("2026-03-02T10:44:05.5Z"),
    ]
    assert runs["ended_at"][1] == pd.Timestamp("2026-03-03T00:00:00Z")


def test_spaces_around_values_are_trimmed():
    text = run_log(
        " r-1 , 2026-03-02T09:14:03Z ,2026-03-02T09:14:12Z, Succeeded , Base , 6 , 6 ,0, Send SMS "
    )

    runs = parse_run_log(text, as_of=AS_OF).runs

    assert runs.iloc[0].tolist()[3:] == ["succeeded", "baseline", 6, 6, 0, "Send SMS"]
    assert runs["run_id"][0] == "r-1"


def test_blank_lines_are_skipped_and_line_numbers_still_count_them():
    text = run_log(row(run_id="a"), "", ",,,,,,,,", row(run_id="b", status="done"))

    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert [(p.line, p.column) for p in problems] == [(5, "status")]
    assert parse_run_log(run_log(row(run_id="a"), "", row(run_id="b")), as_of=AS_OF).row_count == 2


def test_a_line_is_a_record_so_a_quoted_value_over_two_lines_counts_once():
    text = run_log(
        row(run_id="a", stopped_at_step='"Send\nSMS"'),
        row(run_id="b", arm="control"),
    )

    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert [(p.line, p.column) for p in problems] == [(3, "arm")]


def test_ids_and_names_are_kept_as_written():
    text = run_log(row(run_id="00123", stopped_at_step="NA"), row(run_id="1e5"))

    runs = parse_run_log(text, as_of=AS_OF).runs

    assert runs["run_id"].tolist() == ["00123", "1e5"]
    assert runs["stopped_at_step"].tolist() == ["NA", ""]


# --- run log: bad rows ----------------------------------------------------------------------

BAD_VALUES = [
    pytest.param({"run_id": ""}, "run_id", "This value is empty.", id="empty run id"),
    pytest.param({"run_id": "   "}, "run_id", "This value is empty.", id="blank run id"),
    pytest.param({"started_at": ""}, "started_at", "This value is empty.", id="no start"),
    pytest.param(
        {"started_at": "03/02/2026 09:14"},
        "started_at",
        '"03/02/2026 09:14" is not a date-time in ISO 8601 form',
        id="start not ISO",
    ),
    pytest.param(
        {"started_at": "2026-02-30T09:00:00Z"},
        "started_at",
        '"2026-02-30T09:00:00Z" is not a real date and time.',
        id="30 February",
    ),
    pytest.param(
        {"started_at": "2026-03-02T24:00:00"},
        "started_at",
        "is not a real date and time.",
        id="hour 24",
    ),
    pytest.param(
        {"started_at": "2026-04-03T00:00:00Z", "ended_at": ""},
        "started_at",
        '"2026-04-03T00:00:00Z" is in the future: the last date accepted is 2026-04-02.',
        id="future start",
    ),
    pytest.param(
        {"started_at": "1999-12-31T23:59:59Z", "ended_at": ""},
        "started_at",
        "is before 2000: check the year.",
        id="start before 2000",
    ),
    pytest.param(
        {"started_at": "9999-01-01T00:00:00Z", "ended_at": ""},
        "started_at",
        "is in the future",
        id="year 9999",
    ),
    pytest.param(
        {"ended_at": "2026-03-02T09:14:02Z"},
        "ended_at",
        '"2026-03-02T09:14:02Z" is before started_at "2026-03-02T09:14:03Z".',
        id="ends before it starts",
    ),
    pytest.param({"ended_at": "soon"}, "ended_at", '"soon" is not a date-time', id="bad end"),
    pytest.param(
        {"status": "done"},
        "status",
        '"done" is not one of: succeeded, failed, running.',
        id="unknown status",
    ),
    pytest.param({"status": ""}, "status", "This value is empty.", id="no status"),
    pytest.param(
        {"arm": "control"},
        "arm",
        '"control" is not one of: orchestrated, baseline.',
        id="control is not an arm",
    ),
    pytest.param({"arm": "ai"}, "arm", '"ai" is not one of', id="ai is not an arm"),
    pytest.param({"steps_total": "six"}, "steps_total", '"six" is not a whole number.', id="words"),
    pytest.param(
        {"steps_total": "6.0"}, "steps_total", '"6.0" is not a whole number.', id="decimal"
    ),
    pytest.param(
        {"steps_total": "-1", "steps_succeeded": "0", "ai_steps": "0"},
        "steps_total",
        '"-1" is negative: use 0 or more.',
        id="negative",
    ),
    pytest.param(
        {"steps_total": "99999999999999999999999"},
        "steps_total",
        "is more than 10,000.",
        id="huge",
    ),
    pytest.param({"ai_steps": ""}, "ai_steps", "This value is empty.", id="no ai steps"),
    pytest.param(
        {"steps_succeeded": "7"},
        "steps_succeeded",
        "7 is more than steps_total (6).",
        id="more succeeded than total",
    ),
    pytest.param(
        {"ai_steps": "9"}, "ai_steps", "9 is more than steps_total (6).", id="too many AI steps"
    ),
]


@pytest.mark.parametrize(("changes", "column", "message"), BAD_VALUES)
def test_each_kind_of_bad_value_is_reported_with_its_line_and_column(changes, column, message):
    text = run_log(row(run_id="ok-1"), row(run_id="ok-2"), row(**{"run_id": "bad", **changes}))

    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert [(p.line, p.column) for p in problems] == [(4, column)]
    assert message in problems[0].message


@pytest.mark.parametrize(("changes", "column", "message"), BAD_VALUES)
def test_a_bad_value_reads_the_same_whether_the_file_is_otherwise_regular_or_not(
    changes, column, message
):
    # A naive time in the first row and zoned times after it: the fast typed read fails and
    # the exact checks on text run; the problems must not depend on that.
    text = run_log(
        row(run_id="ok-1", started_at="2026-03-02 09:00", ended_at="2026-03-02 09:10"),
        row(run_id="ok-2"),
        row(**{"run_id": "bad", **changes}),
    )

    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert [(p.line, p.column) for p in problems] == [(4, column)]
    assert message in problems[0].message


def test_every_problem_is_listed_in_line_order_and_nothing_is_returned():
    text = run_log(
        row(run_id="a", arm="control"),
        row(run_id="b"),
        row(run_id="c", status="", steps_total="x"),
        row(run_id="d", started_at="yesterday"),
    )

    with pytest.raises(CsvImportError) as caught:
        parse_run_log(text, as_of=AS_OF)

    error = caught.value
    assert [(p.line, p.column) for p in error.problems] == [
        (2, "arm"),
        (4, "status"),
        (4, "steps_total"),
        (5, "started_at"),
    ]
    assert str(error).startswith("The file has 4 problems; nothing was imported.\n")
    assert "Line 2, arm: " in str(error)
    assert isinstance(error, ValueError)


def test_more_than_200_problems_are_cut_off_with_and_n_more():
    text = run_log(*(row(run_id=f"r-{n}", arm="control") for n in range(250)))

    with pytest.raises(CsvImportError) as caught:
        parse_run_log(text, as_of=AS_OF)

    error = caught.value
    assert len(error.problems) == MAX_LISTED_PROBLEMS == 200
    assert error.more == 50
    assert error.problems[0].line == 2
    assert error.problems[-1].line == 201
    assert str(error).endswith("\nand 50 more")


# --- run log: repeats -----------------------------------------------------------------------


def test_a_repeated_run_id_with_different_values_is_refused_on_each_repeat():
    text = run_log(
        row(run_id="r-1"), row(run_id="r-2"), row(run_id="r-1", status="failed"), row(run_id="r-1")
    )

    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert [(p.line, p.column) for p in problems] == [(4, "run_id")]
    assert problems[0].message == (
        'run_id "r-1" is also on line 2 with different values; each run needs its own run_id.'
    )


def test_a_row_repeated_exactly_is_counted_once_and_reported_in_duplicate_ids():
    text = run_log(row(run_id="r-1"), row(run_id="r-2"), row(run_id="r-1"), row(run_id=" r-2"))

    result = parse_run_log(text, as_of=AS_OF)

    assert result.runs["run_id"].tolist() == ["r-1", "r-2"]
    assert result.row_count == 2
    assert result.duplicate_ids == 2
    assert result.daily["runs"].sum() == 2


def test_repeats_are_found_among_ids_of_different_lengths_and_non_ascii_ids():
    ids = ["r-1", "r-10", "r-100", "é-1", "r-10"]
    text = run_log(*(row(run_id=i, stopped_at_step=str(n)) for n, i in enumerate(ids)))

    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert [(p.line, p.column) for p in problems] == [(6, "run_id")]

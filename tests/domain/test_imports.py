"""CSV imports: run logs, events, opportunities and spend, against hostile and real files."""

import codecs
import contextlib
import csv
import gzip
import io
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hypothesis_profiles import examples
from workflows.data.imports import (
    AMBIGUOUS_DATES,
    DATE_FORMAT_CHOICES,
    MAX_LISTED_PROBLEMS,
    OPPORTUNITY_COLUMNS,
    PRESETS,
    RUN_LOG_COLUMNS,
    CsvImportError,
    RowProblem,
    neutralise_cell,
    parse_events,
    parse_opportunities,
    parse_run_log,
    parse_spend,
    read_upload,
    suggest_mapping,
    table,
    to_csv_safe,
)
from workflows.data.imports.errors import Problems
from workflows.data.imports.timestamps import parse_timestamps
from workflows.data.imports.values import duplicate_rows

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
AS_OF = date(2026, 4, 1)
HEADER = ",".join(RUN_LOG_COLUMNS)
GOOD_ROW = "r-1,2026-03-02T09:14:03Z,2026-03-02T09:14:12Z,succeeded,orchestrated,6,6,3,"
FIELDS = dict(zip(RUN_LOG_COLUMNS, GOOD_ROW.split(","), strict=True))


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def run_log(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def row(**changes: str) -> str:
    return ",".join({**FIELDS, **changes}.values())


def problems_of(call) -> list[RowProblem]:
    with pytest.raises(CsvImportError) as caught:
        call()
    return caught.value.problems


def hubspot_mapping() -> dict[str, str]:
    return dict(PRESETS["hubspot"])


def opportunities(*rows: str, header: str = "Record ID,Create Date,Amount,AI Touch") -> str:
    return "\n".join([header, *rows]) + "\n"


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


# --- columns and structure ------------------------------------------------------------------


def test_missing_columns_are_named_in_one_problem_with_the_columns_found():
    text = "run id,started,arm,steps_total,steps_succeeded,ai_steps,extra\nr-1,x,y,1,1,1,z\n"

    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert problems == [
        RowProblem(
            1,
            None,
            'Missing columns: started_at, status. Columns found: "run id", "started", "arm", '
            '"steps_total", "steps_succeeded", "ai_steps", "extra".',
        )
    ]


def test_a_column_given_twice_is_refused():
    text = run_log(GOOD_ROW + ",x", header=HEADER + ",Run ID")

    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert problems[0].line == 1
    assert "The column run_id appears more than once" in problems[0].message


@pytest.mark.parametrize(
    "raw",
    [b"", b"   \r\n\t\n", b"\xef\xbb\xbf", codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le")],
    ids=["no bytes", "whitespace", "only a BOM", "UTF-16 whitespace"],
)
def test_an_empty_file_is_refused(raw):
    problems = problems_of(lambda: read_upload(raw))

    assert problems == [RowProblem(None, None, "The file is empty.")]


@pytest.mark.parametrize(
    "text",
    [HEADER, HEADER + "\n", HEADER + "\r\n\r\n\n", HEADER + "\n,,,,,,,,\n", HEADER + "\n   \n"],
    ids=["no newline", "newline", "blank lines", "empty cells", "spaces"],
)
def test_a_header_only_file_has_no_rows(text):
    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert problems == [RowProblem(1, None, "The file has a header row but no data rows.")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            run_log(row(run_id="a"), "b,2026-03-02,,failed,base,6", row(run_id="c") + ",extra"),
            [(3, "This row has 6 values but the header has 9."), (4, "has 10 values")],
            id="ragged rows",
        ),
        pytest.param(
            run_log(row(run_id="a"), row(run_id='"b'), row(run_id="c")),
            [(3, "A quoted value starts on this line and is never closed.")],
            id="unclosed quote in the middle",
        ),
        pytest.param(
            run_log(row(run_id="a"), row(run_id="b", stopped_at_step='"Send SMS')),
            [(3, "A quoted value starts on this line and is never closed.")],
            id="unclosed quote in the last value",
        ),
        pytest.param(
            run_log(row(run_id="a"), row(run_id="b", stopped_at_step='"Send SMS'), "c,d"),
            [(3, "A quoted value starts on this line and is never closed.")],
            id="unclosed quote swallowing a line",
        ),
        pytest.param(
            run_log(row(run_id="a"), row(run_id='"b"x'), '"c'),
            [(4, "A quoted value starts on this line and is never closed.")],
            id="unclosed quote after a lenient one",
        ),
    ],
)
def test_broken_csv_structure_is_a_clear_error_naming_the_line(text, expected):
    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert [p.line for p in problems] == [line for line, _ in expected]
    for problem, (_, message) in zip(problems, expected, strict=True):
        assert message in problem.message


def test_text_after_a_closing_quote_is_kept_as_a_spreadsheet_keeps_it():
    text = run_log(row(run_id='"r"-1'), row(run_id="r-2"))

    assert parse_run_log(text, as_of=AS_OF).runs["run_id"].tolist() == ["r-1", "r-2"]
    ragged = run_log(row(run_id='"r"-1'), "x")
    assert [p.line for p in problems_of(lambda: parse_run_log(ragged, as_of=AS_OF))] == [3]


def test_rows_with_the_wrong_number_of_values_get_the_same_lines_with_or_without_quotes():
    rows = [row(run_id="a"), "", "b,c", row(run_id="d"), "   ", row(run_id="e") + ",x"]
    plain = run_log(*rows)  # read by pyarrow, which numbers the rows itself
    quoted = run_log(*rows, row(run_id='"f"'))  # quotes: read again by the csv module

    def found(text):
        return [
            (p.line, p.message[:30]) for p in problems_of(lambda: parse_run_log(text, as_of=AS_OF))
        ]

    assert (
        found(plain)
        == found(quoted)
        == [
            (4, "This row has 2 values but the "),
            (6, "This row has 1 value but the h"),
            (7, "This row has 10 values but the"),
        ]
    )


def test_a_ragged_row_does_not_hide_bad_values_in_other_rows():
    text = run_log(row(run_id="a", arm="control"), "b,c", row(run_id="d", status="?"))

    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert [(p.line, p.column) for p in problems] == [(2, "arm"), (3, None), (4, "status")]


def test_a_large_run_log_reads_the_same_ascii_or_not(monkeypatch):
    monkeypatch.setattr(table, "BLOCK_SIZE", 256 << 10)  # 2.4 MB: several blocks either way
    rows = [
        row(run_id=f"r-{n:06d}", status=("failed", "ok", "running")[n % 3], ai_steps=str(n % 4))
        for n in range(30_000)
    ]
    ascii_text = run_log(*rows)
    wide_text = ascii_text.replace("r-000001,", "r-\u00e9,")

    in_place = parse_run_log(ascii_text, as_of=AS_OF)
    encoded = parse_run_log(wide_text, as_of=AS_OF)

    assert in_place.row_count == encoded.row_count == 30_000
    assert in_place.runs.drop(columns="run_id").equals(encoded.runs.drop(columns="run_id"))
    assert in_place.daily.equals(encoded.daily)
    assert encoded.runs["run_id"][1] == "r-\u00e9"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("h\n" + "r-1,a\n" * 5_000, id="ascii"),
        pytest.param("h\n" + "r-1,\u00e9\u2013\U0001f4de\n" * 5_000, id="1 to 4 bytes a character"),
    ],
)
def test_the_fast_reader_gets_the_utf8_after_the_header_in_blocks_no_bigger_than_asked(text):
    stream = table._Utf8Blocks(text, 2)

    blocks = [bytes(stream.read(1_000)) for _ in range(200)]

    assert all(len(block) <= 1_000 for block in blocks)
    assert b"".join(blocks) == text[2:].encode("utf-8")
    assert stream.read(1_000).size == 0
    assert bytes(table._Utf8Blocks(text, 2).read()) == text[2:].encode("utf-8")


def test_the_fast_reader_refuses_a_lone_surrogate_as_utf8_does():
    with pytest.raises(UnicodeEncodeError):
        table._Utf8Blocks("h\nr-1\udc80\n", 2).read(1_000)


# --- uploads: size, encodings, binary files -------------------------------------------------


def test_utf16_files_decode_by_their_byte_order_mark():
    text = read_upload(fixture("runlog_utf16.csv"))

    runs = parse_run_log(text, as_of=AS_OF).runs

    assert runs["stopped_at_step"].tolist() == ["Qualifié \u2013 rappel 📞", ""]
    big_endian = text.encode("utf-16-be")
    assert read_upload(codecs.BOM_UTF16_BE + big_endian) == text


def test_latin1_files_from_excel_decode_as_windows_1252():
    text = read_upload(fixture("runlog_excel_cp1252.csv"))

    runs = parse_run_log(text, as_of=AS_OF).runs

    assert runs["stopped_at_step"].tolist() == ["Qualifié \u2013 rappel"]
    assert runs["run_id"].tolist() == ["r-1"]


def test_utf8_with_a_byte_order_mark_loses_the_mark():
    raw = codecs.BOM_UTF8 + run_log(row(stopped_at_step="Envoyé")).encode("utf-8")

    text = read_upload(raw)

    assert text.startswith("run_id,")
    assert parse_run_log(text, as_of=AS_OF).runs["stopped_at_step"][0] == "Envoyé"


def test_bytes_that_break_a_promised_encoding_are_refused_with_the_line():
    raw = codecs.BOM_UTF8 + b"run_id\nr-1\nr-\xff2\n"

    problems = problems_of(lambda: read_upload(raw))

    assert "The file says it is UTF-8 but is not valid UTF-8 (near line 3)" in problems[0].message


BINARY = "This looks like a compressed or binary file, not a CSV"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100, id="xlsx renamed .csv"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, id="old xls"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="png"),
        pytest.param(b"run_id,started_at\nr-1,\x00\x00\x01\x02", id="NUL bytes"),
        pytest.param(b"\x28\xb5\x2f\xfd" + b"\x00" * 10, id="zstandard"),
    ],
)
def test_a_binary_file_renamed_csv_is_refused(raw):
    problems = problems_of(lambda: read_upload(raw))

    assert problems[0].message.startswith(BINARY)


def test_utf16_without_a_byte_order_mark_is_refused_with_a_hint():
    raw = run_log(row()).encode("utf-16-le")

    problems = problems_of(lambda: read_upload(raw))

    assert problems[0].message.startswith("This looks like UTF-16 text without a byte-order")


def test_a_gzip_bomb_is_refused_by_its_header_without_being_opened():
    bomb = gzip.compress(b"run_id,status\n" + b"0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000  # 50 MB of text in well under 100 KB

    problems = problems_of(lambda: read_upload(bomb))

    assert problems[0].message.startswith(BINARY)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    raw = run_log(*(row(run_id=f"r-{n}") for n in range(100))).encode()

    problems = problems_of(lambda: read_upload(raw, max_bytes=1_000))

    assert problems == [
        RowProblem(
            None,
            None,
            f"The file is {len(raw) / 1000:.1f} KB; the limit is 1 KB. Split it into smaller "
            "files or export a shorter date range.",
        )
    ]
    assert read_upload(raw, max_bytes=len(raw)) == raw.decode()
    assert "the limit is 50 MB" in problems_of(lambda: read_upload(b"x" * 50_000_001))[0].message


def test_text_with_characters_that_cannot_be_encoded_is_refused():
    text = run_log(row(run_id="a"), row(run_id="b\udc80"))

    problems = problems_of(lambda: parse_run_log(text, as_of=AS_OF))

    assert problems[0].message == "The file contains characters that are not text."


# --- events ---------------------------------------------------------------------------------


def test_events_read_kinds_by_their_usual_names():
    events = parse_events(read_upload(fixture("events.csv")), as_of=AS_OF)

    assert list(events.columns) == ["occurred_at", "kind", "arm", "event_id", "run_id"]
    assert events["kind"].tolist() == ["booked_call", "booked_call", "opportunity", "closed_won"]
    assert events["occurred_at"][1] == pd.Timestamp("2026-03-02T15:00:00Z")
    assert events["run_id"].tolist() == ["r-0001", "r-0003", "r-0001", "007"]
    assert str(events["occurred_at"].dtype) == "datetime64[ns, UTC]"


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("meeting booked", "booked_call"),
        ("Booked Call", "booked_call"),
        ("meeting", "booked_call"),
        ("booked_call", "booked_call"),
        ("opp", "opportunity"),
        ("Opportunity created", "opportunity"),
        ("won", "closed_won"),
        ("Closed-Won", "closed_won"),
    ],
)
def test_event_kinds_accept_their_aliases(written, kind):
    text = f"occurred_at,kind,arm\n2026-03-02T09:00:00Z,{written},baseline\n"

    assert parse_events(text, as_of=AS_OF)["kind"].tolist() == [kind]


def test_event_ids_are_line_numbers_when_absent_and_repeats_are_refused():
    generated = parse_events(
        "occurred_at,kind,arm\n2026-03-02,won,base\n2026-03-03,opp,orch\n", as_of=AS_OF
    )
    assert generated["event_id"].tolist() == ["2", "3"]
    assert generated["run_id"].tolist() == ["", ""]

    text = "event_id,occurred_at,kind,arm\ne1,2026-03-02,won,base\ne1,2026-03-03,lost,orch\n"
    problems = problems_of(lambda: parse_events(text, as_of=AS_OF))
    assert [(p.line, p.column) for p in problems] == [(3, "kind"), (3, "event_id")]
    assert problems[1].message == 'event_id "e1" is also on line 2.'


def test_events_in_the_future_are_refused():
    text = "occurred_at,kind,arm\n2026-05-01T00:00:00Z,won,baseline\n"

    problems = problems_of(lambda: parse_events(text, as_of=AS_OF))

    assert "is in the future" in problems[0].message


# --- opportunities --------------------------------------------------------------------------


def test_a_hubspot_deals_export_imports_with_its_preset():
    text = read_upload(fixture("hubspot_deals.csv"))
    headers = next(csv.reader(io.StringIO(text)))

    preset, mapping = suggest_mapping(headers)
    deals = parse_opportunities(text, mapping=mapping, as_of=AS_OF)

    assert preset == "hubspot"
    assert mapping == PRESETS["hubspot"]
    assert list(deals.columns) == list(OPPORTUNITY_COLUMNS)
    assert deals["opportunity_id"].tolist()[0] == "18234567890"
    assert deals["created_date"].tolist()[:2] == [date(2026, 3, 4), date(2026, 3, 5)]
    assert deals["amount_usd"].tolist() == [12500.0, 8400.5, 3200.0, 21000.0, 15750.0]
    assert deals["ai_flag"].tolist() == ["generated", "assisted", "none", "scored", "none"]
    assert deals["touch_date"][0] == date(2026, 3, 4)
    assert pd.isna(deals["touch_date"][2])
    assert deals["close_date"][0] == date(2026, 4, 30)  # expected: after as_of, accepted
    assert deals["crm_stage"][0] == "Appointment Scheduled" and deals["stage"][0] == "open"


def test_a_salesforce_report_needs_its_date_format_chosen_and_then_imports():
    text = read_upload(fixture("salesforce_opportunities.csv"))
    preset, mapping = suggest_mapping(next(csv.reader(io.StringIO(text))))
    assert preset == "salesforce"

    problems = problems_of(lambda: parse_opportunities(text, mapping=mapping, as_of=AS_OF))
    assert problems == [
        RowProblem(
            2,
            "created_date",
            f"{AMBIGUOUS_DATES}. This one could be 4 March 2026 or 3 April 2026; 8 dates in "
            "the file could be read both ways.",
        )
    ]
    assert AMBIGUOUS_DATES == (
        "Dates like 03/04/2026 are ambiguous: choose the date format (MM/DD/YYYY or DD/MM/YYYY)"
    )

    deals = parse_opportunities(text, mapping=mapping, date_format="MM/DD/YYYY", as_of=AS_OF)

    # The report's footer (copyright, "Generated By") is not read as opportunities.
    assert deals["opportunity_id"].tolist() == [
        "0065g00000AbCdEAAV",
        "0065g00000AbCdFAAV",
        "0065g00000AbCdGAAV",
        "0065g00000AbCdHAAV",
    ]
    assert deals["created_date"].tolist() == [date(2026, 3, d) for d in (4, 5, 6, 9)]
    assert deals["amount_usd"].tolist() == [12500.0, 8400.5, 3200.0, 21000.0]
    assert deals["touch_date"][3] == date(2026, 3, 8)
    assert deals["stage"].tolist() == ["open", "open", "open", "won"]
    assert deals["close_date"].tolist()[2:] == [date(2026, 5, 1), date(2026, 3, 20)]


def test_the_same_dates_read_day_first_when_that_format_is_chosen():
    text = opportunities("1,03/02/2026,100,none", "2,02/01/2026,100,none")

    us = parse_opportunities(text, mapping=hubspot_mapping(), date_format="MM/DD/YYYY", as_of=AS_OF)
    eu = parse_opportunities(text, mapping=hubspot_mapping(), date_format="dd/mm/yyyy", as_of=AS_OF)

    assert us["created_date"].tolist() == [date(2026, 3, 2), date(2026, 2, 1)]
    assert eu["created_date"].tolist() == [date(2026, 2, 3), date(2026, 1, 2)]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["3/25/2026", "03/03/2026"], [date(2026, 3, 25), date(2026, 3, 3)]),
        (["25/03/2026", "2026-03-04"], [date(2026, 3, 25), date(2026, 3, 4)]),
        (["2026-03-04 14:22", "2026-03-05T09:00:00Z"], [date(2026, 3, 4), date(2026, 3, 5)]),
        (["3/25/2026, 2:22 PM", "3/26/2026 14:22"], [date(2026, 3, 25), date(2026, 3, 26)]),
    ],
)
def test_dates_that_can_be_read_only_one_way_need_no_format(dates, expected):
    text = opportunities(*(f"{n},{d},100,none" for n, d in enumerate(dates)))
    text = text.replace("3/25/2026, 2:22 PM", '"3/25/2026, 2:22 PM"')

    deals = parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF)

    assert deals["created_date"].tolist() == expected


def test_a_file_mixing_day_first_and_month_first_dates_is_refused():
    text = opportunities("1,3/25/2026,100,none", "2,25/03/2026,100,none")

    problems = problems_of(
        lambda: parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF)
    )

    assert problems[0].message.startswith(
        "The file mixes date formats: line 2 is MM/DD/YYYY and line 3 is DD/MM/YYYY."
    )


def test_dates_that_do_not_fit_the_chosen_format_are_refused_by_line():
    text = opportunities("1,03/04/2026,100,none", "2,25/03/2026,100,none", "3,soon,1,none")

    problems = problems_of(
        lambda: parse_opportunities(
            text, mapping=hubspot_mapping(), date_format="MM/DD/YYYY", as_of=AS_OF
        )
    )

    assert [(p.line, p.message) for p in problems] == [
        (3, '"25/03/2026" is not a real date in MM/DD/YYYY order.'),
        (4, '"soon" is not a date, for example 2026-03-04 or 03/04/2026 (MM/DD/YYYY).'),
    ]


@pytest.mark.parametrize(("value", "label"), DATE_FORMAT_CHOICES)
def test_every_date_format_the_upload_form_offers_is_accepted(value, label):
    text = opportunities("1,3/4/2026,100,none", "2,2026-03-05,100,none")

    if not value:  # detect: 3/4/2026 could be either, so the user is asked to choose
        problems = problems_of(
            lambda: parse_opportunities(
                text, mapping=hubspot_mapping(), date_format=value, as_of=AS_OF
            )
        )
        assert problems[0].message.startswith(AMBIGUOUS_DATES)
        return
    may = date(2026, 5, 1)  # 3 April is in the past
    deals = parse_opportunities(text, mapping=hubspot_mapping(), date_format=value, as_of=may)

    expected = date(2026, 3, 4) if value == "MM/DD/YYYY" else date(2026, 4, 3)
    assert deals["created_date"].tolist() == [expected, date(2026, 3, 5)]
    assert f"is {expected.day} {expected:%B}" in label


@pytest.mark.parametrize(("written", "expected"), [("%m/%d/%Y", 4), ("%d/%m/%Y", 3)])
def test_an_import_queued_with_the_old_strftime_format_still_reads(written, expected):
    text = opportunities("1,03/04/2026,100,none")

    may = date(2026, 5, 1)
    deals = parse_opportunities(text, mapping=hubspot_mapping(), date_format=written, as_of=may)

    assert deals["created_date"].tolist()[0].day == expected


def test_an_unknown_date_format_is_a_programming_error():
    with pytest.raises(ValueError, match="date_format must be one of"):
        parse_opportunities(
            opportunities("1,2026-03-04,1,none"),
            mapping=hubspot_mapping(),
            date_format="YYYY.MM.DD",
            as_of=AS_OF,
        )


def test_opportunity_ids_are_kept_exactly_as_written():
    text = opportunities("00123,2026-03-04,1,none", "0065g00000AbCdE,2026-03-04,1,none")

    deals = parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF)

    assert deals["opportunity_id"].tolist() == ["00123", "0065g00000AbCdE"]


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("12500", 12500.0),
        ("12500.5", 12500.5),
        ('"12,500"', 12500.0),
        ('"$12,500.00"', 12500.0),
        ('"USD 1,200"', 1200.0),
        ('"1,200 USD"', 1200.0),
        ("$0", 0.0),
        ('"$1,234,567.89"', 1234567.89),
    ],
)
def test_amounts_in_dollars_parse_with_signs_and_thousands_separators(written, amount):
    text = opportunities(f"1,2026-03-04,{written},none")

    deals = parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF)

    assert deals["amount_usd"].tolist() == [amount]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("(500)", '"(500)" is negative: amounts must be 0 or more.'),
        ("-500", '"-500" is negative: amounts must be 0 or more.'),
        ("$-500", '"$-500" is negative: amounts must be 0 or more.'),
        ('"12.500,00"', '"12.500,00" is not an amount in US dollars'),
        ("EUR 500", '"EUR 500" is not an amount in US dollars'),
        ('"12,50"', '"12,50" is not an amount in US dollars'),
        ("", "This value is empty."),
    ],
)
def test_negative_foreign_and_missing_amounts_are_refused(written, message):
    text = opportunities(f"1,2026-03-04,{written},none")

    problems = problems_of(
        lambda: parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF)
    )

    assert [(p.line, p.column) for p in problems] == [(2, "amount_usd")]
    assert problems[0].message.startswith(message)


@pytest.mark.parametrize(
    ("written", "flag"),
    [
        ("AI-generated", "generated"),
        ("AI generated", "generated"),
        ("ai_generated", "generated"),
        ("Generated", "generated"),
        ("AI assisted", "assisted"),
        ("ai_scored", "scored"),
        ("AI-Scored", "scored"),
        ("", "none"),
        ("None", "none"),
        ("no", "none"),
    ],
)
def test_ai_flags_accept_their_usual_spellings(written, flag):
    text = opportunities(f"1,2026-03-04,1,{written}")

    deals = parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF)

    assert deals["ai_flag"].tolist() == [flag]


@pytest.mark.parametrize("written", ["yes", "TRUE", "1", "AI"])
def test_an_ai_flag_that_does_not_say_how_is_refused(written):
    text = opportunities(f"1,2026-03-04,1,{written}")

    problems = problems_of(
        lambda: parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF)
    )

    assert problems[0].message == (
        f'"{written}" does not say how AI touched the deal: use AI-generated, AI-assisted, '
        "AI-scored or none."
    )


def test_a_mapped_header_missing_from_the_file_is_named_as_the_crm_writes_it():
    text = "Record ID,Amount,AI Touch\n1,5,none\n"

    problems = problems_of(
        lambda: parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF)
    )

    assert problems[0].message == (
        'Missing column: "Create Date" (created_date). Columns found: "Record ID", "Amount", '
        '"AI Touch".'
    )


def test_a_mapping_without_a_required_field_asks_for_it():
    mapping = {"opportunity_id": "Record ID", "created_date": "Create Date"}

    problems = problems_of(
        lambda: parse_opportunities(
            opportunities("1,2026-03-04,1,none"), mapping=mapping, as_of=AS_OF
        )
    )

    assert problems[0].message == "Choose the column that holds: amount_usd."
    with pytest.raises(ValueError, match="Unknown fields in mapping: deal_owner"):
        parse_opportunities("x", mapping={"deal_owner": "Deal owner"}, as_of=AS_OF)


def test_repeated_opportunity_ids_are_refused():
    text = opportunities(
        "00123,2026-03-04,1,none", "123,2026-03-04,1,none", "00123,2026-03-05,1,none"
    )

    problems = problems_of(
        lambda: parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF)
    )

    assert [(p.line, p.column, p.message) for p in problems] == [
        (4, "opportunity_id", '"00123" is also on line 2: each opportunity once.')
    ]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Record ID", "Deal Name", "Amount", "Create Date"], "hubspot"),
        (["opportunity id", "CREATED DATE", "amount", "AI_Touch__c", "Stage"], "salesforce"),
        (["Deal", "Value", "Date"], None),
    ],
)
def test_suggest_mapping_picks_the_preset_that_fits_the_headers(headers, expected):
    preset, mapping = suggest_mapping(headers)

    assert preset == expected
    assert set(mapping.values()) <= set(headers)
    if expected == "salesforce":
        assert mapping["ai_flag"] == "AI_Touch__c"


def test_suggest_mapping_without_a_preset_maps_columns_named_like_our_fields():
    assert suggest_mapping(["Opportunity_ID", "created_date", "amount_usd", "x"]) == (
        None,
        {
            "opportunity_id": "Opportunity_ID",
            "created_date": "created_date",
            "amount_usd": "amount_usd",
        },
    )


# --- spend ----------------------------------------------------------------------------------


def test_spend_reads_months_categories_and_maintenance_time():
    spend = parse_spend(read_upload(fixture("spend.csv")), as_of=AS_OF)

    assert list(spend.columns) == ["month", "category", "amount_usd"]
    assert spend["month"].tolist() == [date(2026, 1, 1)] * 3 + [date(2026, 2, 1)] * 2
    assert spend["category"].tolist() == [
        "subscription",
        "model_usage",
        "maintenance",
        "subscription",
        "maintenance",
    ]
    assert spend["amount_usd"].tolist() == [499.0, 1234.56, 552.5, 499.0, 170.0]


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("2026-13,subscription,5,,", "month", '"2026-13" is not a month'),
        ("03/2026,subscription,5,,", "month", '"03/2026" is not a month'),
        ("2026-05,subscription,5,,", "month", '"2026-05" is a month in the future.'),
        ("2026-01,coffee,5,,", "category", '"coffee" is not one of'),
        ("2026-01,subscription,,,", "amount_usd", "This value is empty."),
        ("2026-01,maintenance,,2,", "amount_usd", "This value is empty: give the amount, or"),
        ("2026-01,maintenance,100,2,85", "amount_usd", "100.00 does not match hours x rate_usd"),
        ("2026-01,maintenance,,two,85", "hours", '"two" is not a number'),
        ("2026-01,model_usage,-3,,", "amount_usd", '"-3" is negative'),
    ],
)
def test_bad_spend_lines_are_refused(line, column, message):
    text = f"month,category,amount_usd,hours,rate_usd\n2026-01,subscription,1,,\n{line}\n"

    problems = problems_of(lambda: parse_spend(text, as_of=AS_OF))

    assert (problems[0].line, problems[0].column) == (3, column)
    assert problems[0].message.startswith(message)


# --- exports --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Send SMS", "Send SMS"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(value, safe):
    assert neutralise_cell(value) == safe


def test_csv_exports_neutralise_formula_cells_but_not_numbers():
    frame = pd.DataFrame(
        {
            "=name": ["=cmd|' /C calc'!A0", "Lead routing"],
            "notes": pd.Series(["@SUM(1)", None], dtype=object),
            "step": pd.Series(["-1", "ok"], dtype="str"),
            "delta": [-5, 3],
            "day": [date(2026, 3, 4), date(2026, 3, 5)],
        }
    )

    text = to_csv_safe(frame)

    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["'=name", "notes", "step", "delta", "day"],
        ["'=cmd|' /C calc'!A0", "'@SUM(1)", "'-1", "-5", "2026-03-04"],
        ["Lead routing", "", "ok", "3", "2026-03-05"],
    ]


def test_an_imported_run_log_exports_safely():
    text = run_log(row(run_id="=1+1", stopped_at_step="@cmd"))

    exported = to_csv_safe(parse_run_log(text, as_of=AS_OF).runs)

    assert "'=1+1" in exported
    assert "'@cmd" in exported


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_random_bytes_only_ever_raise_csv_import_error(raw):
    with contextlib.suppress(CsvImportError):
        parse_run_log(read_upload(raw), as_of=AS_OF)


CSV_ISH = st.lists(
    st.sampled_from([*'ab1-:TZ ,"\n\r\t.é\x00', "2026-03-02T09:14:03Z", "ok"]), max_size=80
).map("".join)
CELLS = st.sampled_from(
    [
        "",
        " ",
        "r-1",
        "r-2",
        "2026-03-02T09:14:03Z",
        "2026-03-02 09:14",
        "2026-02-30",
        "2027-01-01",
        "succeeded",
        "OK",
        "failed",
        "running",
        "orch",
        "baseline",
        "control",
        "0",
        "6",
        "-1",
        "9",
        '"',
        '""',
        '"a,b"',
        "1e3",
        "\t",
        "=1+1",
    ]
)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.sampled_from([HEADER, HEADER.upper(), HEADER.replace("_", " "), "a,b", ""]),
    body=CSV_ISH,
    rows=st.lists(st.lists(CELLS, min_size=7, max_size=10), max_size=6),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_random_csv_ish_text_only_ever_raises_csv_import_error(header, body, rows, ending):
    text = ending.join([header, *(",".join(r) for r in rows)]) + ending + body
    for attempt in (
        lambda: parse_run_log(text, as_of=AS_OF),
        lambda: parse_run_log(read_upload(text.encode("utf-8", "replace")), as_of=AS_OF),
    ):
        try:
            result = attempt()
        except CsvImportError:
            continue
        assert result.row_count == len(result.runs) == result.daily["runs"].sum()


OTHER_PARSERS = {
    "events": (
        "event_id,occurred_at,kind,arm,run_id",
        lambda text: parse_events(text, as_of=AS_OF),
    ),
    "opportunities": (
        "Record ID,Create Date,Amount,AI Touch,AI Touch Date",
        lambda text: parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF),
    ),
    "opportunities, day first": (
        "Record ID,Create Date,Amount,AI Touch,AI Touch Date",
        lambda text: parse_opportunities(
            text, mapping=hubspot_mapping(), date_format="DD/MM/YYYY", as_of=AS_OF
        ),
    ),
    "spend": (
        "month,category,amount_usd,hours,rate_usd",
        lambda text: parse_spend(text, as_of=AS_OF),
    ),
}
OTHER_CELLS = st.sampled_from(
    [
        "",
        " ",
        "1",
        "00123",
        "2026-03-04",
        "03/04/2026",
        "13/04/2026",
        "4/13/2026",
        "0/0/2026",
        "2026-03-04 14:22",
        "2026-03",
        "2026-13",
        "0000-00",
        "$12,500.00",
        "(500)",
        "-1",
        "1" + "0" * 400,
        "9" * 30,
        "2.5",
        "USD 1,200",
        "AI-generated",
        "yes",
        "none",
        "won",
        "opp",
        "meeting",
        "orch",
        "baseline",
        "subscription",
        "maintenance",
        "model usage",
        '"a,b"',
        "=1+1",
        "\t",
        '"',
    ]
)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parser=st.sampled_from(sorted(OTHER_PARSERS)),
    rows=st.lists(st.lists(OTHER_CELLS, min_size=4, max_size=6), max_size=6),
    tail=CSV_ISH,
)
def test_random_events_opportunities_and_spend_only_ever_raise_csv_import_error(parser, rows, tail):
    header, parse = OTHER_PARSERS[parser]
    text = "\n".join([header, *(",".join(r) for r in rows)]) + "\n" + tail
    with contextlib.suppress(CsvImportError):
        frame = parse(text)
        assert not frame.empty


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(alphabet="ab-1é", max_size=18)), max_size=40),
    st.integers(min_value=1, max_value=5),
)
def test_repeated_keys_are_found_exactly_whatever_their_lengths(keys, chunks):
    size = -(-len(keys) // chunks) if keys else 1
    column = pa.chunked_array(
        [pa.array(keys[i : i + size], pa.string()) for i in range(0, len(keys), size)],
        pa.string(),
    )
    seen: dict[str, int] = {}
    expected_later, expected_first = [], []
    for position, key in enumerate(keys):
        if key is None:
            continue
        if key in seen:
            expected_later.append(position)
            expected_first.append(seen[key])
        else:
            seen[key] = position

    later, first = duplicate_rows(column)

    assert later.tolist() == expected_later
    assert first.tolist() == expected_first


TIMESTAMP_PIECES = st.lists(
    st.sampled_from(
        [
            "2026",
            "-",
            "03",
            "02",
            "29",
            "T",
            " ",
            "09",
            ":",
            "14",
            "5",
            ".",
            "123",
            "Z",
            "+",
            "01",
            "00",
            "0130",
            "24",
            "60",
            "1999",
        ]
    ),
    max_size=14,
).map("".join)


@settings(max_examples=examples(500), deadline=None)
@given(TIMESTAMP_PIECES)
def test_the_fast_timestamp_cast_and_the_exact_parser_agree(value):
    column = pa.chunked_array([pa.array([value])])
    exact = Problems()
    from workflows.data.imports import timestamps

    parsed = timestamps._parse_timestamps_exactly(column, "t", exact)
    fast = timestamps._cast_timestamps(column)
    if fast is not None:
        assert not exact, value
        assert pc.equal(fast, parsed)[0].as_py(), value


def test_timestamps_convert_every_accepted_form():
    values = pa.chunked_array(
        [
            pa.array(
                [
                    "2026-03-02",
                    "2026-03-02T09",
                    "2026-03-02T09:14",
                    "2026-03-02 09:14:05.5",
                    "2026-03-02T09:14:05+01",
                    "2026-03-02T09:14:05-0230",
                    "2026-03-02T09:14:05Z",
                ]
            )
        ]
    )
    problems = Problems()

    parsed = parse_timestamps(values, "t", problems, as_of=AS_OF).to_pylist()

    assert not problems
    expected = [
        datetime(2026, 3, 2, tzinfo=UTC),
        datetime(2026, 3, 2, 9, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 14, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 14, 5, 500_000, tzinfo=UTC),
        datetime(2026, 3, 2, 8, 14, 5, tzinfo=UTC),
        datetime(2026, 3, 2, 11, 44, 5, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 14, 5, tzinfo=UTC),
    ]
    assert [pd.Timestamp(v).to_pydatetime() for v in parsed] == expected


def test_the_imports_package_does_not_import_django():
    code = (
        "import sys, workflows.data.imports; "
        "assert not [m for m in sys.modules if m.startswith('django')]"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2], timeout=60
    )

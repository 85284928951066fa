"""CSV imports from the upload's bytes: ``read_upload_utf8`` and the parsers reading those bytes
in place give what ``read_upload`` and the text give, for every encoding and layout."""

import codecs

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.imports_helpers import (
    AS_OF,
    HEADER,
    fixture,
    problems_of,
    row,
    run_log,
)
from tests.hypothesis_profiles import examples
from workflows.data.imports import (
    CsvBytes,
    CsvImportError,
    ImportSettings,
    RowProblem,
    parse_run_log,
    read_upload,
    read_upload_utf8,
)
from workflows.data.imports.preview import parse_upload

STEP = "Qualifié \u2013 rappel"  # an e acute and an en dash: in Windows-1252 and in UTF-8
RUNS = run_log(
    row(run_id="r-1"),
    row(
        run_id="r-2",
        started_at="2026-03-03T10:00:00+01:00",
        ended_at="2026-03-03T10:05:00+01:00",
        arm="baseline",
        ai_steps="0",
    ),
    row(run_id="r-3", status="failed", steps_succeeded="2", stopped_at_step=STEP),
    row(run_id="r-4", status="running", ended_at="", steps_succeeded="1"),
)


def outcome(call):
    """("ok", runs, daily) or ("refused", problems, more): what a user would see."""
    try:
        result = call()
    except CsvImportError as error:
        return ("refused", error.problems, error.more)
    return ("ok", result.runs, result.daily)


def assert_same(left, right):
    assert left[0] == right[0], (left, right)
    if left[0] == "ok":
        pd.testing.assert_frame_equal(left[1], right[1])
        pd.testing.assert_frame_equal(left[2], right[2])
    else:
        assert left[1:] == right[1:]


def from_text(raw: bytes, **options):
    return outcome(lambda: parse_run_log(read_upload(raw), as_of=AS_OF, **options))


def from_bytes(raw: bytes, **options):
    return outcome(lambda: parse_run_log(read_upload_utf8(raw), as_of=AS_OF, **options))


# --- encodings and layouts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(RUNS.encode("utf-8"), id="UTF-8"),
        pytest.param(codecs.BOM_UTF8 + RUNS.encode("utf-8"), id="UTF-8 with a BOM"),
        pytest.param(RUNS.replace("\n", "\r\n").encode("utf-8"), id="UTF-8, CRLF"),
        pytest.param(RUNS.encode("utf-16"), id="UTF-16 with its BOM"),
        pytest.param(codecs.BOM_UTF16_BE + RUNS.encode("utf-16-be"), id="UTF-16 big-endian"),
        pytest.param(RUNS.encode("cp1252"), id="Windows-1252 from Excel"),
    ],
)
def test_a_run_log_in_any_accepted_encoding_gives_the_same_days_from_its_bytes(raw):
    expected = parse_run_log(RUNS, as_of=AS_OF)

    result = parse_run_log(read_upload_utf8(raw), as_of=AS_OF)

    pd.testing.assert_frame_equal(result.daily, expected.daily)
    pd.testing.assert_frame_equal(result.runs, expected.runs)
    assert result.runs["stopped_at_step"][2] == STEP
    assert result.daily["runs"].sum() == 4


def test_a_semicolon_run_log_from_a_european_excel_gives_the_same_days_from_its_bytes():
    names = {
        "run_id": "Lauf-ID",
        "started_at": "Gestartet",
        "ended_at": "Beendet",
        "status": "Status",
        "arm": "Arm",
        "steps_total": "Schritte",
        "steps_succeeded": "Schritte gelöst",
        "ai_steps": "KI-Schritte ausgeführt",
        "stopped_at_step": "Gestoppt bei Schritt (Größe)",
    }
    _header, *rows = RUNS.splitlines()
    european = ";".join(names.values()) + "\r\n" + "\r\n".join(r.replace(",", ";") for r in rows)
    raw = european.encode("cp1252")

    result = parse_run_log(read_upload_utf8(raw), as_of=AS_OF, mapping=names, locale="europe")

    expected = parse_run_log(RUNS, as_of=AS_OF)
    pd.testing.assert_frame_equal(result.daily, expected.daily)
    assert result.runs["stopped_at_step"][2] == STEP


def test_a_utf8_file_is_kept_as_uploaded_and_only_another_encoding_is_transcoded():
    utf8 = codecs.BOM_UTF8 + RUNS.encode("utf-8")
    excel = RUNS.encode("cp1252")

    kept, transcoded = read_upload_utf8(utf8), read_upload_utf8(excel)

    assert kept.data is utf8 and kept.start == len(codecs.BOM_UTF8)
    assert transcoded.data == RUNS.encode("utf-8") and transcoded.start == 0
    assert kept.decode() == transcoded.decode() == read_upload(utf8) == RUNS


# --- problems, by line, as from the text ----------------------------------------------------


def test_a_bad_row_is_reported_with_its_line_number_from_the_bytes():
    text = run_log(row(run_id="a"), "", row(run_id="b", status="sideways"), row(run_id="c"))

    problems = problems_of(
        lambda: parse_run_log(read_upload_utf8(codecs.BOM_UTF8 + text.encode()), as_of=AS_OF)
    )

    assert problems == [
        RowProblem(4, "status", '"sideways" is not one of: succeeded, failed, running.')
    ]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        pytest.param(run_log(row(run_id="a"), "b,c", row(run_id="d")), [3], id="ragged row"),
        pytest.param(run_log(row(run_id="a"), "b,c", row(run_id='"d"')), [3], id="ragged, quoted"),
        pytest.param(run_log(row(run_id="a"), row(run_id='"b')), [3], id="unclosed quote"),
        pytest.param(
            run_log(row(run_id="a"), row(run_id="a", arm="baseline")), [3], id="run_id repeated"
        ),
        pytest.param(
            run_log(row(run_id="é"), row(run_id="b", started_at="1999-12-31")),
            [3],
            id="out of bounds, after a wide character",
        ),
    ],
)
def test_structural_and_value_problems_name_the_same_lines_from_bytes_and_text(text, lines):
    raw = text.encode("utf-8")

    assert [p.line for p in problems_of(lambda: parse_run_log(text, as_of=AS_OF))] == lines
    assert_same(from_bytes(raw), from_text(raw))


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"", id="no bytes"),
        pytest.param(b" \r\n\x1c\t", id="ASCII white space"),
        pytest.param("\u00a0\u2028\n".encode(), id="Unicode white space"),
        pytest.param(codecs.BOM_UTF8 * 2, id="only BOMs"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 20, id="xlsx"),
        pytest.param(b"run_id\nr\x00", id="NUL byte"),
        pytest.param(codecs.BOM_UTF8 + b"run_id\nr-\xff\n", id="BOM promising UTF-8"),
        pytest.param(HEADER.encode(), id="header only"),
        pytest.param((HEADER + "\n\u00a0,\u3000\n").encode(), id="rows of Unicode spaces"),
        pytest.param(b"run_id,status\nr-1,ok\n", id="missing columns"),
        pytest.param(
            codecs.BOM_UTF8 * 3 + b"run_id,status\nr-1,ok\n", id="missing columns, three BOMs"
        ),
    ],
)
def test_a_refused_file_is_refused_with_the_same_problems_from_its_bytes(raw):
    text, utf8 = from_text(raw), from_bytes(raw)

    assert text[0] == "refused"
    assert_same(utf8, text)


def test_the_size_limit_holds_for_the_bytes_too():
    raw = RUNS.encode()

    problems = problems_of(lambda: read_upload_utf8(raw, max_bytes=100))

    assert problems[0].message.startswith(f"The file is {len(raw)} bytes; the limit is 100 bytes.")


def test_an_upload_of_another_kind_given_as_bytes_parses_as_its_text():
    text = (
        "event_id,occurred_at,kind,arm,run_id\n"
        "e-1,2026-03-02T11:00:00Z,meeting booked,orchestrated,r-1\n"
    )
    upload = read_upload_utf8(codecs.BOM_UTF8 + text.encode())

    parsed = parse_upload("events", upload, ImportSettings(), as_of=AS_OF)

    assert isinstance(upload, CsvBytes)
    expected = parse_upload("events", text, ImportSettings(), as_of=AS_OF)
    pd.testing.assert_frame_equal(parsed.rows, expected.rows)


def test_the_fixtures_read_the_same_from_their_bytes():
    for name in ("runlog_good.csv", "runlog_utf16.csv", "runlog_excel_cp1252.csv"):
        raw = fixture(name)
        assert_same(from_bytes(raw), from_text(raw))


# --- properties -----------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        *'ab1-:TZ ,;"\n\r\t.é\x00',
        "\u00a0",
        "\u2028",
        "\x1c",
        "\ufeff",
        "\u2013",
        "📞",
        "2026-03-02T09:14:03Z",
        "ok",
    ]
)
CELLS = st.sampled_from(
    [
        *("", " ", "r-1", "r-2", "2026-03-02T09:14:03Z", "2026-03-02 09:14", "2027-01-01"),
        *("OK", "failed", "running", "orch", "control", "0", "6", "-1", "9", '"', '"a,b"'),
        *("é", "\u00a0"),
    ]
)


@settings(max_examples=examples(300))
@given(
    start=st.sampled_from(["", "\ufeff", "\ufeff" * 2, "\ufeff" * 3]),
    header=st.sampled_from([HEADER, HEADER.replace("_", " "), HEADER.replace(",", ";"), "a,b"]),
    rows=st.lists(st.lists(CELLS, min_size=7, max_size=10), max_size=6),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    tail=st.lists(PIECES, max_size=40).map("".join),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
    locale=st.sampled_from(["us", "europe"]),
)
def test_random_run_logs_read_the_same_from_bytes_as_from_text(
    start, header, rows, ending, tail, encoding, locale
):
    delimiter = ";" if locale == "europe" else ","
    text = start + ending.join([header, *(delimiter.join(r) for r in rows)]) + ending + tail
    raw = text.encode(encoding, "replace")

    assert_same(from_bytes(raw, locale=locale), from_text(raw, locale=locale))


@settings(max_examples=examples(300))
@given(st.binary(max_size=600))
def test_random_bytes_read_the_same_through_either_reader(raw):
    assert_same(from_bytes(raw), from_text(raw))

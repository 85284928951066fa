"""CSV imports: a file's columns and structure (quotes, ragged rows, the fast reader), and uploads (encodings, binaries, size)."""

import codecs
import gzip

import pytest

from tests.domain.imports_helpers import (
    AS_OF,
    GOOD_ROW,
    HEADER,
    fixture,
    problems_of,
    row,
    run_log,
)
from workflows.data.imports import (
    RowProblem,
    parse_run_log,
    read_upload,
    table,
)

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

"""Read CSV text into columns, with spreadsheet line numbers.

Pure module: pyarrow, numpy and the standard library. By default every value is read as
text (nothing is inferred: "00123" stays "00123", "NA" stays "NA"); an empty value becomes
null. Only the allowlisted columns are converted; the others are skipped.

Three readers give the same rows. The fast one is pyarrow's multithreaded CSV reader, fed
the text as UTF-8 a block at a time so converting overlaps parsing. When some rows have the
wrong number of values, pyarrow's serial reader numbers them (only for text without quotes,
where a record is a line). Otherwise (an unclosed quote, a quoted value over several lines)
the careful one, the standard library's ``csv`` module, reads record by record so each
problem can be named with its line.

A caller in a hurry may ask the fast reader for typed columns (``types``); when any value
does not convert, the columns come back as text instead (``Rows.typed`` is False) and the
caller's exact checks find and name the bad values.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from workflows.data.imports.errors import CsvImportError, Problems
from workflows.data.imports.header import (
    _CONTENT,
    DELIMITERS,
    _check_encodable,
    _header_span,
    _match_columns,
    _resolve,
    parse_header,
)
from workflows.data.imports.records import (
    ragged_message,
    records_after,
    without_salesforce_footer,
)

NO_ROWS_MESSAGE = "The file has a header row but no data rows."
# pyarrow asks the stream for BLOCK_SIZE bytes at a time and parses the blocks in parallel,
# each into one chunk of every column.
BLOCK_SIZE = 4 << 20


@dataclass(frozen=True)
class Rows:
    """The allowlisted columns of a CSV file.

    ``columns`` maps our column name to a pyarrow column for every allowlisted column the
    header has: text (null where the cell was empty), or the requested types when ``typed``.
    ``lines`` holds each row's line number as a spreadsheet shows it (header = 1); blank
    rows are left out. ``headers`` is the header row as written.
    """

    columns: Mapping[str, pa.ChunkedArray]
    lines: np.ndarray
    headers: tuple[str, ...]
    typed: bool = False

    def __len__(self) -> int:
        return int(self.lines.size)


def read_rows(
    text: str,
    wanted: Mapping[str, tuple[str, ...]],
    *,
    required: tuple[str, ...],
    problems: Problems,
    types: Mapping[str, pa.DataType | str] | None = None,
    delimiter: str = ",",
) -> Rows:
    """Read the columns in ``wanted`` (our name -> the header names that mean it).

    Header names match after ``normalise_header``; columns not in ``wanted`` are ignored.
    Structural problems (rows with the wrong number of values, an unclosed quote, badly
    placed quotes) are added to ``problems`` with their lines; the rows read cleanly are
    still returned so their values can be checked too. ``problems.lines`` is set to the
    rows' line numbers. ``delimiter`` is "," or ";" (as Excel writes CSV where the decimal
    mark is a comma).

    Raises:
        CsvImportError: empty file; text that cannot be encoded; a missing required column
            (one problem naming them all and the columns found); a column given twice; a
            header row with no data rows.
    """
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS}, got {delimiter!r}")
    text = text.removeprefix("\ufeff")
    if not text or text.isspace():
        raise CsvImportError.single("The file is empty.")
    header_end, data_start = _header_span(text)
    headers = parse_header(text[:header_end], delimiter)
    positions = _match_columns(headers, wanted, required)
    if not _CONTENT[delimiter].search(text, data_start):
        raise CsvImportError.single(NO_ROWS_MESSAGE, line=1)
    rows = None
    quoted = text.find('"', data_start) >= 0
    # An odd number of quotes means one is never closed; pyarrow would quietly read the rest
    # of the file into that value, so the careful reader takes over and names the line.
    if not quoted or text.count('"', data_start) % 2 == 0:
        irregular = False
        if types:
            resolved = _resolve(types, text, positions, delimiter)
            rows, irregular = _read_fast(
                text, data_start, headers, positions, resolved, quoted, delimiter
            )
        if rows is None and not irregular:
            rows, irregular = _read_fast(
                text, data_start, headers, positions, {}, quoted, delimiter
            )
        if rows is None and irregular and not quoted:
            # Without quotes no value spans lines, so pyarrow's serial reader can number the
            # rows with the wrong number of values itself, much faster than the csv module.
            rows = _read_numbered(text, data_start, headers, positions, problems, delimiter)
    if rows is None:
        _check_encodable(text)
        rows = _read_careful(text, data_start, headers, positions, problems, delimiter)
    if not len(rows) and not problems:
        raise CsvImportError.single(NO_ROWS_MESSAGE, line=1)
    problems.lines = rows.lines
    return rows


class _Utf8Blocks(io.RawIOBase):
    """A read-only binary stream of ``text[start:]`` as UTF-8, converted one block at a time
    as pyarrow asks for it, so converting a block overlaps parsing the ones before.

    pyarrow converts each block itself (``pa.array`` of the slice) into its memory pool,
    which hands the same few megabytes back block after block; ``str.encode`` got fresh
    memory from the system for every block and cost about four times as much, nearly all of
    it page faults. (Reading the str's memory in place was faster still but depended on
    CPython's object layout; it was taken out.)
    """

    def __init__(self, text: str, start: int):
        self._text = text
        self._position = start
        # A character is at most 4 bytes of UTF-8, 1 when the whole text is ASCII.
        self._bytes_per_char = 1 if text.isascii() else 4

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> pa.Buffer:
        """The next block of UTF-8: at most ``size`` bytes (but at least one character), or
        the rest when ``size`` is negative; empty at the end.

        Raises:
            UnicodeEncodeError: the block has a lone surrogate, which UTF-8 cannot encode.
        """
        remaining = len(self._text) - self._position
        chars = remaining if size < 0 else min(remaining, max(size // self._bytes_per_char, 1))
        if chars <= 0:
            return pa.py_buffer(b"")
        block = pa.array([self._text[self._position : self._position + chars]], pa.large_string())
        self._position += chars
        return block.buffers()[2].slice(0, pc.binary_length(block)[0].as_py())


def _read_fast(
    text: str,
    start: int,
    headers: tuple[str, ...],
    positions: dict[str, int],
    types: Mapping[str, pa.DataType],
    quoted: bool,
    delimiter: str,
) -> tuple[Rows | None, bool]:
    """pyarrow's parallel reader: the rows, or None and whether rows had the wrong number of
    values (otherwise a value did not convert, or pyarrow could not parse the file).
    ``quoted`` says whether the data has a quote, so a value may hold a line break."""
    irregular: list[tuple[int | None, int]] = []
    try:
        table = _pyarrow_read(
            text,
            start,
            headers,
            positions,
            types,
            irregular,
            threads=True,
            quoted=quoted,
            delimiter=delimiter,
        )
    except (pa.ArrowException, ValueError):
        return None, bool(irregular)
    if irregular:
        return None, True
    lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
    columns = {ours: table.column(ours) for ours in positions}
    typed = any(ours in types for ours in positions)
    return _drop_blank(Rows(columns, lines, headers, typed)), False


def _read_numbered(
    text: str,
    start: int,
    headers: tuple[str, ...],
    positions: dict[str, int],
    problems: Problems,
    delimiter: str,
) -> Rows | None:
    """pyarrow's serial reader, which knows the line of each row with the wrong number of
    values; only for text where every record is one line (no quotes). None if it fails."""
    irregular: list[tuple[int | None, int]] = []
    try:
        table = _pyarrow_read(
            text,
            start,
            headers,
            positions,
            {},
            irregular,
            threads=False,
            quoted=False,
            delimiter=delimiter,
        )
    except (pa.ArrowException, ValueError):
        return None
    numbered = [(number, count) for number, count in irregular if number is not None]
    if len(numbered) != len(irregular):
        return None
    # Row n of the stream after the header is line n + 1; blank lines are rows too.
    skipped = np.array([number + 1 for number, _ in numbered], dtype=np.int64)
    lines = np.arange(2, table.num_rows + len(irregular) + 2, dtype=np.int64)
    lines = lines[~np.isin(lines, skipped)]
    if lines.size != table.num_rows:
        return None
    for number, count in numbered:
        problems.add(number + 1, None, ragged_message(count, len(headers), delimiter))
    columns = {ours: table.column(ours) for ours in positions}
    return _drop_blank(Rows(columns, lines, headers))


def _pyarrow_read(
    text: str,
    start: int,
    headers: tuple[str, ...],
    positions: dict[str, int],
    types: Mapping[str, pa.DataType],
    irregular: list[tuple[int | None, int]],
    *,
    threads: bool,
    quoted: bool,
    delimiter: str = ",",
) -> pa.Table:
    """Read the text after the header with pyarrow; rows with the wrong number of values are
    skipped and noted in ``irregular`` as (row number or None, number of values). Without
    quotes no value can hold a line break, and pyarrow splits blocks faster knowing that.
    The bytes are a str's UTF-8, valid by construction, so pyarrow need not check them."""
    names = [f"c{i}" for i in range(len(headers))]
    ours_by_name = {names[i]: ours for ours, i in positions.items()}

    def on_invalid_row(row: Any) -> str:
        irregular.append((row.number, row.actual_columns))
        return "skip"

    table = pa_csv.read_csv(
        _Utf8Blocks(text, start),
        read_options=pa_csv.ReadOptions(
            column_names=names, use_threads=threads, block_size=BLOCK_SIZE
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=quoted,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid_row,
        ),
        convert_options=pa_csv.ConvertOptions(
            include_columns=list(ours_by_name),
            column_types={
                name: types.get(ours, pa.string()) for name, ours in ours_by_name.items()
            },
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
            check_utf8=False,
        ),
    )
    return table.rename_columns([ours_by_name[name] for name in table.column_names])


def _drop_blank(rows: Rows) -> Rows:
    """Leave out rows whose allowlisted values are all empty (blank lines, ",,,,")."""
    columns = list(rows.columns.values())
    if not columns or any(c.null_count == 0 for c in columns):
        return rows
    blank = np.ones(len(rows), dtype=bool)
    for column in columns:
        blank &= column.is_null().to_numpy(zero_copy_only=False)
    if not blank.any():
        return rows
    keep = pa.array(~blank)
    filtered = {name: column.filter(keep) for name, column in rows.columns.items()}
    return Rows(filtered, rows.lines[~blank], rows.headers, rows.typed)


def _read_careful(
    text: str,
    start: int,
    headers: tuple[str, ...],
    positions: dict[str, int],
    problems: Problems,
    delimiter: str = ",",
) -> Rows:
    """The standard library's reader: slower, but knows each record's line."""
    records = without_salesforce_footer(list(records_after(text, start, problems, delimiter)))
    width = len(headers)
    values: dict[str, list[str | None]] = {ours: [] for ours in positions}
    lines: list[int] = []
    for line, record in records:
        if not record:
            continue
        if len(record) != width:
            problems.add(line, None, ragged_message(len(record), width, delimiter))
            continue
        if not any(record[position] for position in positions.values()):
            continue
        lines.append(line)
        for ours, position in positions.items():
            values[ours].append(record[position] or None)
    columns = {
        ours: pa.chunked_array([pa.array(column, type=pa.string())])
        for ours, column in values.items()
    }
    return Rows(columns, np.asarray(lines, dtype=np.int64), headers)

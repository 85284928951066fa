"""Read CSV text into columns, with spreadsheet line numbers.

Pure module: pyarrow, numpy and the standard library. By default every value is read as
text (nothing is inferred: "00123" stays "00123", "NA" stays "NA"); an empty value becomes
null. Only the allowlisted columns are converted; the others are skipped.

The file comes as text or, from an upload, as the UTF-8 bytes ``read_upload_utf8`` checked
(``CsvBytes``): those are parsed where they lie, and only the header and a sample are
decoded (the careful reader below decodes the whole file, on the rare files it reads).

Three readers give the same rows. The fast one is pyarrow's multithreaded CSV reader, fed
the bytes in place, or text as UTF-8 a block at a time so converting overlaps parsing. When
some rows have the wrong number of values, pyarrow's serial reader numbers them (only for
text without quotes, where a record is a line). Otherwise (an unclosed quote, a quoted value
over several lines) the careful one, the standard library's ``csv`` module, reads record by
record so each problem can be named with its line.

A caller in a hurry may ask the fast reader for typed columns (``types``); when any value
does not convert, the columns come back as text instead (``Rows.typed`` is False) and the
caller's exact checks find and name the bad values.
"""

from __future__ import annotations

import codecs
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
    HEADER_SCAN_CHARS,
    SNIFF_CHARS,
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
from workflows.data.imports.upload import CsvBytes, has_content, is_blank

NO_ROWS_MESSAGE = "The file has a header row but no data rows."
# pyarrow asks the stream for BLOCK_SIZE bytes at a time and parses the blocks in parallel,
# each into one chunk of every column. 2 MB rather than 4: on two cores the last blocks of a
# large file share out more evenly (5 ms less for 124 MB).
BLOCK_SIZE = 2 << 20


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
    text: str | CsvBytes,
    wanted: Mapping[str, tuple[str, ...]],
    *,
    required: tuple[str, ...],
    problems: Problems,
    types: Mapping[str, pa.DataType | str] | None = None,
    delimiter: str = ",",
) -> Rows:
    """Read the columns in ``wanted`` (our name -> the header names that mean it).

    ``text`` is the file as text, or as the UTF-8 bytes ``read_upload_utf8`` returns, which
    the fast reader parses in place; both give the same rows and problems.
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
    source = _Source.of(text, delimiter)
    positions = _match_columns(source.headers, wanted, required)
    if not source.has_rows:
        raise CsvImportError.single(NO_ROWS_MESSAGE, line=1)
    rows = None
    headers = source.headers
    # An odd number of quotes means one is never closed; pyarrow would quietly read the rest
    # of the file into that value, so the careful reader takes over and names the line.
    if not source.quoted or source.quotes_paired():
        irregular = False
        if types:
            resolved = _resolve(types, source.sample, positions, delimiter)
            rows, irregular = _read_fast(source, headers, positions, resolved, delimiter)
        if rows is None and not irregular:
            rows, irregular = _read_fast(source, headers, positions, {}, delimiter)
        if rows is None and irregular and not source.quoted:
            # Without quotes no value spans lines, so pyarrow's serial reader can number the
            # rows with the wrong number of values itself, much faster than the csv module.
            rows = _read_numbered(source, headers, positions, problems, delimiter)
    if rows is None:
        careful, start = source.text()
        _check_encodable(careful)
        rows = _read_careful(careful, start, headers, positions, problems, delimiter)
    if not len(rows) and not problems:
        raise CsvImportError.single(NO_ROWS_MESSAGE, line=1)
    problems.lines = rows.lines
    return rows


@dataclass(frozen=True)
class _Source:
    """A file to read, as text or as checked UTF-8 bytes, with its header read: what
    ``read_rows`` needs to know of it before reading the rows."""

    headers: tuple[str, ...]
    has_rows: bool  # something after the header but white space and delimiters
    quoted: bool  # a quote after the header
    sample: str  # the text from the header on, at least SNIFF_CHARS characters of it
    _text: str | None
    _bytes: CsvBytes | None
    _data_start: int  # where the rows start, in _text's characters or _bytes' bytes

    @classmethod
    def of(cls, text: str | CsvBytes, delimiter: str) -> _Source:
        """The file's header and layout.

        Raises:
            CsvImportError: an empty file, or a header that cannot be read.
        """
        if isinstance(text, CsvBytes):
            return cls._of_bytes(text, delimiter)
        text = text.removeprefix("\ufeff")
        if not text or text.isspace():
            raise CsvImportError.single("The file is empty.")
        header_end, data_start = _header_span(text)
        return cls(
            headers=parse_header(text[:header_end], delimiter),
            has_rows=bool(_CONTENT[delimiter].search(text, data_start)),
            quoted=text.find('"', data_start) >= 0,
            sample=text,
            _text=text,
            _bytes=None,
            _data_start=data_start,
        )

    @classmethod
    def _of_bytes(cls, upload: CsvBytes, delimiter: str) -> _Source:
        # The same checks as on text, made on the bytes in place: only the header and the
        # first SNIFF_CHARS characters are decoded.
        data, begin = upload.data, upload.start
        if data.startswith(codecs.BOM_UTF8, begin):
            begin += len(codecs.BOM_UTF8)
        if is_blank(data, begin):
            raise CsvImportError.single("The file is empty.")
        header_end, data_start = _header_span_utf8(data, begin)
        # A character is at most 4 bytes: this holds SNIFF_CHARS characters and one more.
        sample = data[begin : begin + 4 * SNIFF_CHARS + 4].decode("utf-8", "ignore")
        return cls(
            headers=parse_header(data[begin:header_end].decode("utf-8"), delimiter),
            has_rows=has_content(data, data_start, besides=delimiter),
            quoted=_has_quote(upload, data_start),
            sample=sample,
            _text=None,
            _bytes=CsvBytes(data, begin),
            _data_start=data_start,
        )

    def quotes_paired(self) -> bool:
        """Whether the rows hold an even number of quotes."""
        if self._bytes is not None:
            return self._bytes.data.count(b'"', self._data_start) % 2 == 0
        return self._text is not None and self._text.count('"', self._data_start) % 2 == 0

    def stream(self) -> Any:
        """The rows as a binary stream of UTF-8 for pyarrow: the bytes themselves, or the
        text encoded a block at a time."""
        if self._bytes is not None:
            return pa.BufferReader(pa.py_buffer(self._bytes.data).slice(self._data_start))
        return _Utf8Blocks(self._text or "", self._data_start)

    def text(self) -> tuple[str, int]:
        """The whole text (decoded, for bytes) and where its rows start, for the careful
        reader."""
        if self._bytes is None:
            return self._text or "", self._data_start
        data, begin = self._bytes.data, self._bytes.start
        header = data[begin : self._data_start].decode("utf-8")
        return data[begin:].decode("utf-8"), len(header)


def _has_quote(upload: CsvBytes, start: int) -> bool:
    """Whether ``upload.data[start:]`` holds a quote: known from ``first_quote`` when that
    is none at all or one at or after ``start``, else searched for."""
    first = upload.first_quote
    if first is not None and (first < 0 or first >= start):
        return first >= 0
    return upload.data.find(b'"', start) >= 0


def _header_span_utf8(data: bytes, begin: int) -> tuple[int, int]:
    """``_header_span`` of the text ``data[begin:]`` (valid UTF-8), in byte offsets of
    ``data``, decoding no more than the header needs.

    Raises:
        CsvImportError: as ``_header_span``.
    """
    size = 64 << 10
    while True:
        end = min(len(data), begin + size)
        whole = end == len(data)
        # A character cut at the end of the slice is left out ("ignore"); the rest is valid.
        text = data[begin:end].decode("utf-8", "ignore")
        if whole or len(text) > HEADER_SCAN_CHARS + 1:
            # _header_span looks at no more than HEADER_SCAN_CHARS characters and the one
            # after: this prefix answers as the whole text would.
            header_end, data_start = _header_span(text)
            if whole or header_end < len(text):
                break
        else:
            try:
                header_end, data_start = _header_span(text)
            except CsvImportError:
                header_end = len(text)  # a quote still open at the end of the prefix
            if header_end < len(text) - 1:
                break
        size *= 4
    return (
        begin + len(text[:header_end].encode("utf-8")),
        begin + len(text[:data_start].encode("utf-8")),
    )


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
    source: _Source,
    headers: tuple[str, ...],
    positions: dict[str, int],
    types: Mapping[str, pa.DataType],
    delimiter: str,
) -> tuple[Rows | None, bool]:
    """pyarrow's parallel reader: the rows, or None and whether rows had the wrong number of
    values (otherwise a value did not convert, or pyarrow could not parse the file)."""
    irregular: list[tuple[int | None, int]] = []
    try:
        table = _pyarrow_read(
            source.stream(),
            headers,
            positions,
            types,
            irregular,
            threads=True,
            quoted=source.quoted,
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
    source: _Source,
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
            source.stream(),
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
    stream: Any,
    headers: tuple[str, ...],
    positions: dict[str, int],
    types: Mapping[str, pa.DataType],
    irregular: list[tuple[int | None, int]],
    *,
    threads: bool,
    quoted: bool,
    delimiter: str = ",",
) -> pa.Table:
    """Read the rows after the header (``stream``, UTF-8) with pyarrow; rows with the wrong
    number of values are skipped and noted in ``irregular`` as (row number or None, number
    of values). Without quotes no value can hold a line break, and pyarrow splits blocks
    faster knowing that. The bytes are a str's UTF-8 or bytes ``read_upload_utf8`` checked,
    valid either way, so pyarrow need not check them."""
    names = [f"c{i}" for i in range(len(headers))]
    ours_by_name = {names[i]: ours for ours, i in positions.items()}

    def on_invalid_row(row: Any) -> str:
        irregular.append((row.number, row.actual_columns))
        return "skip"

    table = pa_csv.read_csv(
        stream,
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

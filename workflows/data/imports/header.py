"""The header row of a CSV upload: where it ends, its names and delimiter, and which of our
columns each one is.

Pure module: standard library only."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

import pyarrow as pa

from workflows.data.imports.errors import CsvImportError

UNCLOSED_QUOTE = (
    'A quoted value starts on this line and is never closed. Check for a stray " character.'
)


HEADER_SCAN_CHARS = 1_000_000


SNIFF_CHARS = 64 << 10


# A ``types`` value asking for timestamp[ns, UTC] from ISO 8601 text, with or without a zone
# (the first values in the file decide which; no zone means UTC).
ISO_TIMESTAMP = "iso_timestamp"


_SEPARATORS = re.compile(r"[\s\-_]+")


_CONTENT = {",": re.compile(r"[^\s,]"), ";": re.compile(r"[^\s;]")}


DELIMITERS = tuple(_CONTENT)


_DELIMITER_NAMES = {",": "comma", ";": "semicolon"}


_ZONE = re.compile(r"(?:Z|[+-]\d\d(?::?\d\d)?)\s*$")


def normalise_header(name: str) -> str:
    """``"Started At"``, ``"started-at"``, ``" STARTED_AT "`` -> ``"started_at"``.

    Also drops a byte-order mark and Salesforce's ``__c`` custom-field suffix.
    """
    name = name.strip().lstrip("\ufeff").strip().lower().removesuffix("__c")
    return _SEPARATORS.sub("_", name).strip("_")


def _check_encodable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        line = text.count("\n", 0, error.start) + 1
        raise CsvImportError.single(
            "The file contains characters that are not text.", line=line
        ) from None


def _header_span(text: str) -> tuple[int, int]:
    """Where the header record ends and the next record starts (quote-aware)."""
    quoted = False
    limit = min(len(text), HEADER_SCAN_CHARS)
    for index in range(limit):
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            after = index + 2 if text.startswith("\r\n", index) else index + 1
            return index, after
    if quoted:
        raise CsvImportError.single(
            "The header row has a quoted name that is never closed.", line=1
        )
    if limit < len(text):
        raise CsvImportError.single("The header row is too long to be a CSV header.", line=1)
    return len(text), len(text)


def header_span(text: str) -> tuple[int, int]:
    """Where the header record ends and the next record starts (quote-aware).

    Raises:
        CsvImportError: a quoted header name never closed, or a header over 1M characters.
    """
    return _header_span(text)


def parse_header(header: str, delimiter: str = ",") -> tuple[str, ...]:
    """The names in a header record, as written.

    Raises:
        CsvImportError: badly placed quotes.
    """
    try:
        fields = next(csv.reader(io.StringIO(header), strict=True, delimiter=delimiter), [])
    except csv.Error:
        raise CsvImportError.single("The header row has badly placed quotes.", line=1) from None
    return tuple(fields)


def _match_columns(
    headers: tuple[str, ...], wanted: Mapping[str, tuple[str, ...]], required: tuple[str, ...]
) -> dict[str, int]:
    """Our column name -> its 0-based position in the header."""
    normalised = [normalise_header(h) for h in headers]
    positions: dict[str, int] = {}
    for ours, names in wanted.items():
        accepted = {normalise_header(n) for n in names}
        found = [i for i, h in enumerate(normalised) if h in accepted]
        if len(found) > 1:
            written = ", ".join(f'"{headers[i]}" (column {i + 1})' for i in found)
            raise CsvImportError.single(
                f"The column {_label(ours, names)} appears more than once: {written}. "
                "Keep one of them.",
                line=1,
            )
        if found:
            positions[ours] = found[0]
    missing = [_label(name, wanted[name]) for name in required if name not in positions]
    if missing:
        listed = ", ".join(f'"{h}"' for h in headers if h.strip()) or "none"
        plural = "columns" if len(missing) > 1 else "column"
        raise CsvImportError.single(
            f"Missing {plural}: {', '.join(missing)}. Columns found: {listed}.", line=1
        )
    return positions


def _label(ours: str, names: tuple[str, ...]) -> str:
    """``started_at``, or ``"Create Date" (created_date)`` for a mapped header."""
    if len(names) == 1 and normalise_header(names[0]) != ours:
        return f'"{names[0]}" ({ours})'
    return ours


def _resolve(
    types: Mapping[str, pa.DataType | str],
    text: str,
    positions: Mapping[str, int],
    delimiter: str,
) -> dict[str, pa.DataType]:
    """Concrete pyarrow types; ISO_TIMESTAMP becomes zoned or naive by the file's first
    non-empty values (sniffed from the first 64 KB)."""
    if ISO_TIMESTAMP not in types.values():
        return dict(types)
    sample = text[:SNIFF_CHARS]
    complete = sample if len(text) <= SNIFF_CHARS else sample[: sample.rfind("\n") + 1]
    try:
        records = list(csv.reader(io.StringIO(complete), delimiter=delimiter))
    except csv.Error:
        records = []
    resolved: dict[str, pa.DataType] = {}
    for name, kind in types.items():
        if kind != ISO_TIMESTAMP:
            resolved[name] = kind
            continue
        position = positions.get(name, -1)
        values = [r[position] for r in records[1:] if 0 <= position < len(r) and r[position]]
        zoned = not values or bool(_ZONE.search(values[0]))
        resolved[name] = pa.timestamp("ns", tz="UTC") if zoned else pa.timestamp("ns")
    return resolved

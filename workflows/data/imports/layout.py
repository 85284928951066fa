"""How an uploaded file is laid out: its locale, which column holds which field, and the key
of a file that has no id column.

Pure module: pyarrow, numpy and the standard library.

- **Locale.** "US/UK" files are comma-delimited with a decimal point (``1,234.56``); "Europe"
  files are what Excel writes where the decimal mark is a comma: semicolon-delimited, with
  ``1.234,56``. ``sniff_locale`` suggests one from the header line. Dates written
  ``04.03.2026`` are read day first in either locale; date-times stay ISO 8601.
- **Column mapping.** ``mapping`` maps our field (for example ``created_date``) to the header
  as the file writes it (``"Erstellt am"``); headers match ignoring case, spaces, hyphens and
  underscores. None means the file names its columns as our fields.
- **Key columns.** A file without an id column (an opportunity report without "Opportunity
  ID", a run log without run_id, events without event_id) gets a stable key from columns
  the user picks: ``"k-"`` and the first 20 hex digits of the SHA-256 of their values as
  written (trimmed, in the alphabetical order of the columns' names, joined by a unit
  separator). The same values always give the same key, whatever the order of the columns,
  so uploading the same report again updates its rows instead of adding new ones; a row
  whose values in those columns change (a deal renamed in the CRM) becomes a new row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from workflows.data.imports.dates import DATE_FORMATS, date_order
from workflows.data.imports.errors import CsvImportError, Problems, RowProblem
from workflows.data.imports.header import header_span, normalise_header, parse_header
from workflows.data.imports.records import records_with_ends, without_salesforce_footer
from workflows.data.imports.table import Rows, read_rows
from workflows.data.imports.upload import CsvBytes

KEY_PREFIX = "k-"
KEY_HEX_DIGITS = 20
_UNIT_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Locale:
    """How numbers and columns are written: ``delimiter`` between values, and whether the
    decimal mark is a comma (then a point groups thousands)."""

    code: str
    label: str
    delimiter: str
    decimal_comma: bool


US = Locale("us", "US/UK: comma delimiter, 1,234.56", ",", False)
EUROPE = Locale("europe", "Europe: semicolon delimiter, 1.234,56", ";", True)
LOCALES = {locale.code: locale for locale in (US, EUROPE)}
LOCALE_CHOICES = tuple((locale.code, locale.label) for locale in LOCALES.values())


def locale_of(code: str | None) -> Locale:
    """The locale with this code; US for None or "".

    Raises:
        ValueError: an unknown code (a caller's bug, not the file's).
    """
    if not code:
        return US
    try:
        return LOCALES[code]
    except KeyError:
        raise ValueError(f"locale must be one of {tuple(LOCALES)}, got {code!r}") from None


def sniff_locale(text: str) -> Locale:
    """EUROPE when the header line has more semicolons than commas outside quotes, else US."""
    text = text.removeprefix("\ufeff")
    counts = {",": 0, ";": 0}
    quoted = False
    for char in text[:65_536]:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in counts:
            counts[char] += 1
        elif char in "\r\n":
            break
    return EUROPE if counts[";"] > counts[","] else US


@dataclass(frozen=True)
class ImportSettings:
    """What the user chose on the mapping screen, as stored with the import.

    ``mapping``: our field -> header as written (None: headers named as our fields);
    ``key_columns``: the headers whose values make the id when the id field is not mapped;
    ``locale``: a LOCALES code; ``date_format``: one of DATE_FORMATS or None (detect).
    """

    mapping: Mapping[str, str] | None = None
    key_columns: tuple[str, ...] = ()
    locale: str = US.code
    date_format: str | None = None
    name: str = field(default="", compare=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "mapping": dict(self.mapping) if self.mapping is not None else None,
            "key_columns": list(self.key_columns),
            "locale": self.locale,
            "date_format": self.date_format or "",
            "name": self.name,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> ImportSettings:
        """Settings from ``as_json``'s output, leniently: unknown or malformed values fall
        back to the defaults (an import queued before the mapping screen stored only a
        ``preset`` and a ``date_format``; ``legacy_preset`` reads the former)."""
        data = data or {}
        raw_mapping = data.get("mapping")
        mapping = None
        if isinstance(raw_mapping, Mapping):
            mapping = {str(k): str(v) for k, v in raw_mapping.items() if v}
        keys = data.get("key_columns") or []
        key_columns = tuple(str(k) for k in keys if k) if isinstance(keys, list) else ()
        locale = data.get("locale") if data.get("locale") in LOCALES else US.code
        try:
            order = date_order(data.get("date_format") or None)
        except (TypeError, ValueError):
            order = None
        return cls(
            mapping=mapping,
            key_columns=key_columns,
            locale=str(locale),
            date_format=order if order in DATE_FORMATS else None,
            name=str(data.get("name") or ""),
        )

    @staticmethod
    def legacy_preset(data: Mapping[str, Any] | None) -> str:
        """The CRM preset an import queued before the mapping screen named, or ""."""
        return str((data or {}).get("preset") or "")


def read_mapped(
    text: str | CsvBytes,
    *,
    columns: Sequence[str],
    mapping: Mapping[str, str] | None,
    required: Sequence[str],
    problems: Problems,
    key: str | None = None,
    key_columns: Sequence[str] = (),
    locale: Locale = US,
    types: Mapping[str, Any] | None = None,
) -> Rows:
    """``table.read_rows`` through a column mapping, a locale and key columns.

    ``columns`` are our fields; ``mapping`` maps some of them to headers (None: each field
    is the header of the same name). When ``key`` is not mapped and ``key_columns`` are
    given, the ``key`` column is made from them (see the module docstring) and the fast
    reader's ``types`` are not used, so a key never depends on how a value was typed.

    Raises:
        ValueError: ``mapping`` names a field that is not in ``columns`` (a caller's bug).
        CsvImportError: a required field not mapped (nor made from key columns), one header
            chosen for two fields, or any error of ``read_rows``.
    """
    if mapping is None:
        wanted: dict[str, tuple[str, ...]] = {name: (name,) for name in columns}
    else:
        unknown = sorted(set(mapping) - set(columns))
        if unknown:
            raise ValueError(f"Unknown fields in mapping: {', '.join(unknown)}")
        wanted = {name: (mapping[name],) for name in columns if mapping.get(name)}
        unmapped = [r for r in required if r not in wanted and not (r == key and key_columns)]
        if unmapped:
            raise CsvImportError.single(
                f"Choose the column that holds: {', '.join(unmapped)}.", line=1
            )
        _check_one_field_per_column(wanted)
    if not key or not key_columns or (mapping is not None and mapping.get(key)):
        return read_rows(
            text,
            wanted,
            required=tuple(required),
            problems=problems,
            types=types,
            delimiter=locale.delimiter,
        )
    wanted.pop(key, None)
    by_header = {normalise_header(names[0]): name for name, names in wanted.items()}
    parts: list[str] = []
    # In the alphabetical order of the columns' names, so the key does not depend on the
    # order the file (or the user) puts them in.
    for number, header in enumerate(sorted(dict.fromkeys(key_columns), key=normalise_header), 1):
        ours = by_header.get(normalise_header(header))
        if ours is None:
            ours = f"{key} part {number}"
            wanted[ours] = (header,)
            by_header[normalise_header(header)] = ours
        parts.append(ours)
    rows = read_rows(
        text,
        wanted,
        required=tuple(r for r in required if r != key) + tuple(parts),
        problems=problems,
        delimiter=locale.delimiter,
    )
    built = dict(rows.columns)
    built[key] = stable_keys([rows.columns[part] for part in parts])
    for part in parts:
        if part not in columns:
            built.pop(part)
    return Rows(built, rows.lines, rows.headers, rows.typed)


def _check_one_field_per_column(wanted: Mapping[str, tuple[str, ...]]) -> None:
    seen: dict[str, str] = {}
    for name, (header,) in wanted.items():
        other = seen.setdefault(normalise_header(header), name)
        if other != name:
            raise CsvImportError.single(
                f'The column "{header}" is chosen for both {other} and {name}: choose it '
                "for one of them.",
                line=1,
            )


def stable_keys(parts: Sequence[pa.ChunkedArray]) -> pa.ChunkedArray:
    """One key per row from the values of ``parts`` (see the module docstring); null where
    every part is empty."""
    values = [part.to_pylist() for part in parts]
    keys: list[str | None] = []
    for row in zip(*values, strict=True):
        cells = [(cell or "").strip() for cell in row]
        if not any(cells):
            keys.append(None)
            continue
        digest = hashlib.sha256(_UNIT_SEPARATOR.join(cells).encode("utf-8")).hexdigest()
        keys.append(KEY_PREFIX + digest[:KEY_HEX_DIGITS])
    return pa.chunked_array([pa.array(keys, pa.string())])


@dataclass(frozen=True)
class Head:
    """The start of a file as the mapping screen shows it: the header as written and the
    first rows (``rows``: (line, values) with blank lines and a Salesforce footer left out),
    ``sample``, the text up to the end of the last of them (to parse as a preview), and
    ``header_text`` and ``texts`` (each row's record as written) to parse a row alone."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    sample: str
    header_text: str = ""
    texts: tuple[str, ...] = ()
    problems: tuple[RowProblem, ...] = ()  # a record that cannot be read (an open quote)

    def row_alone(self, index: int) -> str:
        """The header and row ``index`` alone, blank lines before it keeping its line."""
        line = self.rows[index][0]
        return self.header_text + "\n" * (line - 2) + self.texts[index]


def read_head(text: str, *, locale: Locale, rows: int = 5) -> Head:
    """The header and the first ``rows`` rows of ``text``.

    Raises:
        CsvImportError: an empty file, or a header that cannot be read.
    """
    text = text.removeprefix("\ufeff")
    if not text or text.isspace():
        raise CsvImportError.single("The file is empty.")
    header_end, data_start = header_span(text)
    headers = parse_header(text[:header_end], locale.delimiter)
    found: list[tuple[int, list[str]]] = []
    spans: dict[int, tuple[int, int]] = {}
    start = data_start
    problems = Problems()
    # Read a few records past the wanted rows (to the end of a short file) so that a
    # Salesforce footer there is recognised and left out.
    for line, record, end in records_with_ends(text, data_start, problems, locale.delimiter):
        found.append((line, record))
        spans[line] = (start, end)
        start = end
        if sum(1 for _, values in found if any(values)) > rows + 4:
            break
    kept = [(line, r) for line, r in without_salesforce_footer(found) if any(r)][:rows]
    end = spans[kept[-1][0]][1] if kept else data_start
    return Head(
        headers=tuple(headers),
        rows=tuple((line, tuple(record)) for line, record in kept),
        sample=text[:end],
        header_text=text[:data_start],
        texts=tuple(text[slice(*spans[line])] for line, _ in kept),
        problems=tuple(_listed(problems)),
    )


def _listed(problems: Problems) -> list[RowProblem]:
    try:
        problems.raise_if_any()
    except CsvImportError as error:
        return error.problems
    return []


def is_identity(mapping: Mapping[str, str]) -> bool:
    """True when ``mapping`` maps each field to a header spelled like the field itself."""
    return all(normalise_header(header) == name for name, header in mapping.items())

"""Turn an uploaded file's bytes into text, refusing what is not a CSV.

Pure module: standard library only. SECURITY.md "CSV uploads": the size is capped before
anything is parsed, compressed archives are refused rather than opened (no zip or gzip bomb
can inflate), and the text never reaches pandas as a path or URL.
"""

from __future__ import annotations

import codecs

from workflows.data.imports.errors import CsvImportError

DEFAULT_MAX_BYTES = 50_000_000
SNIFF_BYTES = 8192

BINARY_MESSAGE = (
    "This looks like a compressed or binary file, not a CSV. If it is a spreadsheet, "
    "save it as CSV (comma-separated values) and upload that."
)
UTF16_WITHOUT_BOM_MESSAGE = (
    "This looks like UTF-16 text without a byte-order mark, which cannot be read safely. "
    "Save it as CSV UTF-8 and upload that."
)
EMPTY_MESSAGE = "The file is empty."

# Magic numbers of formats people upload by mistake: archives (zip also covers .xlsx and
# .docx), compressed streams, old Excel, PDF and images.
_MAGIC = (
    b"PK\x03\x04",  # zip, xlsx
    b"PK\x05\x06",  # empty zip
    b"PK\x07\x08",  # spanned zip
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"\x28\xb5\x2f\xfd",  # zstandard
    b"7z\xbc\xaf\x27\x1c",  # 7-zip
    b"Rar!\x1a\x07",  # rar
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: .xls
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # jpeg
    b"GIF8",
)


def read_upload(raw: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode an uploaded CSV file's bytes to text.

    Encodings: UTF-8 with or without a byte-order mark (BOM), UTF-16 when it starts with a
    UTF-16 BOM, otherwise Windows-1252 (the "Latin-1" Excel writes), then ISO-8859-1. The
    BOM is removed. Line endings are left as they are.

    Raises:
        CsvImportError: over ``max_bytes`` bytes; a compressed or binary file (a known magic
            number, or a NUL byte in the first 8 KB of a file that is not UTF-16); a file
            whose UTF-8 or UTF-16 BOM promises an encoding its bytes break; an empty or
            whitespace-only file ("The file is empty.").
    """
    size = len(raw)
    if size > max_bytes:
        raise CsvImportError.single(
            f"The file is {_format_size(size)}; the limit is {_format_size(max_bytes)}. "
            "Split it into smaller files or export a shorter date range."
        )
    head = bytes(raw[:SNIFF_BYTES])
    if head.startswith(_MAGIC):
        raise CsvImportError.single(BINARY_MESSAGE)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_strict(raw, "utf-16", "UTF-16")
        if "\x00" in text[:SNIFF_BYTES]:
            raise CsvImportError.single(BINARY_MESSAGE)
    elif b"\x00" in head:
        raise CsvImportError.single(
            UTF16_WITHOUT_BOM_MESSAGE if _looks_like_utf16(head) else BINARY_MESSAGE
        )
    elif head.startswith(codecs.BOM_UTF8):
        text = _decode_strict(raw[len(codecs.BOM_UTF8) :], "utf-8", "UTF-8")
    else:
        text = _decode_guess(raw)
    if not text or text.isspace():
        raise CsvImportError.single(EMPTY_MESSAGE)
    return text


def read_upload_head(raw: bytes, *, complete: bool, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """``read_upload`` of the first bytes of a file (what the mapping screen shows). When
    more follow (``complete`` False) the bytes are cut back to the last line break, so no
    character or line is cut in two.

    Raises:
        CsvImportError: as ``read_upload``.
    """
    if not complete:
        raw = _through_last_line_break(bytes(raw))
    return read_upload(raw, max_bytes=max_bytes)


def _through_last_line_break(raw: bytes) -> bytes:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        newline = b"\n\x00" if raw.startswith(codecs.BOM_UTF16_LE) else b"\x00\n"
        end = len(raw) - len(raw) % 2
        while (end := raw.rfind(newline, 0, end)) > 0:
            if end % 2 == 0:
                return raw[: end + 2]
        return raw[: len(raw) - len(raw) % 2]
    end = raw.rfind(b"\n")
    return raw[: end + 1] if end >= 0 else raw


def _looks_like_utf16(head: bytes) -> bool:
    """Every other byte of the first 64 NUL: ASCII text in UTF-16 without its BOM."""
    sample = head[:64]
    return len(sample) >= 8 and (not any(sample[0::2]) or not any(sample[1::2]))


def _decode_strict(raw: bytes, encoding: str, label: str) -> str:
    try:
        text = bytes(raw).decode(encoding)
    except UnicodeDecodeError as error:
        line = bytes(raw[: error.start]).count(b"\n") + 1
        raise CsvImportError.single(
            f"The file says it is {label} but is not valid {label} (near line {line}). "
            f"Save it again as CSV UTF-8 and upload that."
        ) from None
    return text.removeprefix("\ufeff")


def _decode_guess(raw: bytes) -> str:
    data = bytes(raw)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; ISO-8859-1 decodes every byte.
        return data.decode("latin-1")


def _format_size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB".replace(".0 MB", " MB")
    if size >= 1_000:
        return f"{size / 1_000:.1f} KB".replace(".0 KB", " KB")
    return f"{size} bytes"

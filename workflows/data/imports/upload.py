"""Turn an uploaded file's bytes into text, refusing what is not a CSV.

Pure module: pyarrow, numpy and the standard library. SECURITY.md "CSV uploads": the size is
capped before anything is parsed, compressed archives are refused rather than opened (no zip
or gzip bomb can inflate), and the text never reaches pandas as a path or URL.

``read_upload`` gives a ``str``; ``read_upload_utf8`` gives the same text as UTF-8 bytes
(``CsvBytes``) for the parsers that read bytes in place: a file that is UTF-8 already is
checked, not copied, and only a file in another encoding is transcoded.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from workflows.data.imports.errors import CsvImportError

DEFAULT_MAX_BYTES = 50_000_000
SNIFF_BYTES = 8192
# read_upload_utf8 scans a file in blocks this size, small enough to stay in cache for the
# second look at each block.
SCAN_BLOCK = 512 << 10

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


@dataclass(frozen=True, eq=False)
class CsvBytes:
    """An upload as checked UTF-8 bytes: ``data[start:]`` is the text ``read_upload`` gives,
    encoded as UTF-8 (``start`` skips the byte-order marks ``read_upload`` drops).

    Made by ``read_upload_utf8``, which checked that the bytes are valid UTF-8; the parsers
    rely on that and do not check again. ``first_quote`` is the offset in ``data`` of its
    first ``"`` byte, -1 when it has none, or None when nobody looked (the parsers then
    search for quotes themselves).
    """

    data: bytes
    start: int = 0
    first_quote: int | None = None

    def decode(self) -> str:
        """The text, as ``read_upload`` gives it (decodes the whole file: for small files and
        the parsers that read text)."""
        return self.data[self.start :].decode("utf-8")


def read_upload_utf8(raw: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> CsvBytes:
    """``read_upload``, as UTF-8 bytes: the same checks, errors and text, without decoding
    a file that is UTF-8 already.

    A UTF-8 file (with or without a BOM, the usual upload) is validated in place and its
    bytes are kept as they are (no copy), with the offset of its first quote, found in the
    same pass (``CsvBytes.first_quote``); a UTF-16 or Windows-1252 / ISO-8859-1 file is
    decoded as ``read_upload`` decodes it and encoded to UTF-8.

    Raises:
        CsvImportError: as ``read_upload``.
    """
    data = raw if isinstance(raw, bytes) else bytes(raw)
    head = _checked_head(data, max_bytes)
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if utf16 or b"\x00" in head:
        # UTF-16, or refused: read_upload decodes it, or raises its error.
        return CsvBytes(read_upload(data, max_bytes=max_bytes).encode("utf-8"))
    ascii_only, first_quote = _ascii_and_first_quote(data)
    if not ascii_only and not _is_utf8(data):
        # Not UTF-8: read_upload decodes it (Windows-1252 or ISO-8859-1) or raises its error.
        return CsvBytes(read_upload(data, max_bytes=max_bytes).encode("utf-8"))
    start = 0
    if data.startswith(codecs.BOM_UTF8):
        # As _decode_strict: the BOM, and one more U+FEFF right after it.
        start = len(codecs.BOM_UTF8)
        if data.startswith(codecs.BOM_UTF8, start):
            start += len(codecs.BOM_UTF8)
    if is_blank(data, start):
        raise CsvImportError.single(EMPTY_MESSAGE)
    return CsvBytes(data, start, first_quote)


def is_blank(data: bytes, start: int = 0) -> bool:
    """True when ``data[start:]`` (valid UTF-8) is empty or only white space, as
    ``str.isspace`` sees the decoded text (a no-break space is white space too)."""
    return not has_content(data, start)


def has_content(data: bytes, start: int = 0, *, besides: str = "") -> bool:
    """True when ``data[start:]`` (valid UTF-8) has a character that is neither white space
    (as ``str.isspace`` or a str pattern's ``\\s`` sees it) nor one of ``besides`` (ASCII).
    Searches the bytes in place and stops at the first such character."""
    pattern = _not_space(besides)
    position = start
    while (found := pattern.search(data, position)) is not None:
        char, position = _char_at(data, found.start())
        # The pattern skips ASCII white space only; a non-ASCII character is checked here.
        if not char.isspace():
            return True
    return False


@functools.cache
def _not_space(besides: str) -> re.Pattern[bytes]:
    # The ASCII characters str.isspace() calls white space: a bytes pattern's \s leaves out
    # the four separators \x1c to \x1f.
    return re.compile(rb"[^ \t\n\r\x0b\x0c\x1c-\x1f" + re.escape(besides.encode("ascii")) + rb"]")


def _char_at(data: bytes, position: int) -> tuple[str, int]:
    """The character starting at byte ``position`` of valid UTF-8, and the offset after it."""
    lead = data[position]
    size = 1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    return data[position : position + size].decode("utf-8"), position + size


def _ascii_and_first_quote(data: bytes, block: int = SCAN_BLOCK) -> tuple[bool, int]:
    """``(data.isascii(), data.find(b'"'))`` in one pass over memory instead of two.

    Each ``block`` bytes are checked for a byte over 0x7F (numpy's vectorised max, twice as
    fast as ``bytes.isascii``) and then searched for a quote while they are still in cache.
    """
    view = np.frombuffer(data, np.uint8)
    ascii_only, quote = True, -1
    for begin in range(0, len(data), block):
        if ascii_only and int(view[begin : begin + block].max()) > 0x7F:
            ascii_only = False
        if quote < 0:
            quote = data.find(b'"', begin, begin + block)
        if not ascii_only and quote >= 0:
            break
    return ascii_only, quote


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8, as ``bytes.decode("utf-8")`` would find it, checked
    in place by pyarrow (a few milliseconds for 100 MB) instead of decoding to a str."""
    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _checked_head(raw: bytes, max_bytes: int) -> bytes:
    """The first SNIFF_BYTES bytes of a file within ``max_bytes`` and not a known binary.

    Raises:
        CsvImportError: over ``max_bytes``; a known magic number.
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
    return head


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
    head = _checked_head(raw, max_bytes)
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

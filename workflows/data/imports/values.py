"""Vectorised parsers for the text columns of an upload.

Pure module: pandas, pyarrow, numpy and the standard library. Each parser takes a pyarrow
text column (null where the cell was empty), or one the fast reader already typed, adds a
problem for every bad row to a ``Problems`` collector and returns typed values with a
placeholder (null, NaT, NaN or -1) in bad rows; the caller raises once every column is
checked. No parser loops over rows in Python: a million rows cost a few array passes.

Where a fast pyarrow cast exists it is tried first; it accepts a subset of what the exact
parser accepts and gives the same values, so it changes speed, never results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workflows.data.imports.errors import Problems

NULL_CODE = -1
BAD_CODE = -2
_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, an odd multiplier for hashing

_SPACES = re.compile(r"[\s\-_]+")

_COUNT = r"^[+-]?\d+$"
_AMOUNT = r"(?i)^(?:usd|us\$|\$)?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:usd)?$"
_NEGATIVE_AMOUNT = r"(?i)^(?:usd|us\$|\$)?\s*(?:-|\()|^\(|^-"
_DECIMAL = r"^\d+(?:\.\d+)?$"

MAX_AMOUNT = 1e12  # USD; more is a typo, and beyond float precision for cents


def show(column: pa.ChunkedArray, row: int) -> str:
    """A cell's text for a message, quoted and cut to 40 characters."""
    value = column[row].as_py()
    if value is None:
        return "(empty)"
    text = str(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f'"{text}"'


def rows_where(mask: Any) -> np.ndarray:
    """0-based rows where a boolean pyarrow or numpy mask is true (null counts as false)."""
    if isinstance(mask, pa.ChunkedArray | pa.Array):
        mask = pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
    rows: np.ndarray = np.flatnonzero(mask)
    return rows


def to_numpy(column: pa.ChunkedArray | pa.Array, fill: Any) -> np.ndarray:
    """A pyarrow column as a numpy array, nulls replaced by ``fill``."""
    if column.null_count:
        column = pc.fill_null(column, fill)
    array: np.ndarray = column.to_numpy(zero_copy_only=False)
    return array


def trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Leading and trailing spaces removed; a value of only spaces becomes null."""
    column = pc.utf8_trim_whitespace(column)
    empty = pc.equal(pc.binary_length(column), 0)
    if pc.any(empty).as_py():
        column = pc.if_else(empty, pa.scalar(None, pa.string()), column)
    return column


def require(column: pa.ChunkedArray, name: str, problems: Problems) -> None:
    """A problem for each empty cell."""
    if column.null_count:
        problems.add_rows(rows_where(column.is_null()), name, "This value is empty.")


def parse_counts(
    column: pa.ChunkedArray, name: str, problems: Problems, *, maximum: int
) -> np.ndarray:
    """Whole numbers from 0 to ``maximum`` -> int64 (NULL_CODE, -1, in empty or bad rows).

    Empty cells are a problem ("This value is empty.").
    """
    require(column, name, problems)
    try:
        values = pc.cast(column, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = _parse_counts_exactly(column, name, problems)
    if not len(values):
        return np.zeros(0, np.int64)
    bounds = pc.min_max(values)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    result = to_numpy(values, NULL_CODE)
    if (low is not None and low < 0) or (high is not None and high > maximum):
        result = result.copy()
    if low is not None and low < 0:
        negative = np.flatnonzero(result < 0)
        negative = negative[to_numpy(pc.is_valid(values), False)[negative]]
        problems.add_rows(
            negative, name, lambda row: f"{show(column, row)} is negative: use 0 or more."
        )
        result[result < 0] = NULL_CODE
    if high is not None and high > maximum:
        problems.add_rows(
            np.flatnonzero(result > maximum),
            name,
            lambda row: f"{show(column, row)} is more than {maximum:,}.",
        )
        result[result > maximum] = NULL_CODE
    return result


def _parse_counts_exactly(
    column: pa.ChunkedArray, name: str, problems: Problems
) -> pa.ChunkedArray:
    text = trimmed(column)
    whole = pc.match_substring_regex(text, _COUNT)
    problems.add_rows(
        rows_where(pc.invert(whole)),
        name,
        lambda row: f"{show(column, row)} is not a whole number.",
    )
    digits = pc.replace_substring_regex(text, r"^\+", "")
    # More than 18 digits does not fit an int64; such a value is over any maximum anyway.
    digits = pc.if_else(pc.greater(pc.utf8_length(digits), 18), "999999999999999999", digits)
    digits = pc.if_else(whole, digits, pa.scalar(None, pa.string()))
    return pc.cast(digits, pa.int64())


def parse_choice(
    column: pa.ChunkedArray,
    name: str,
    problems: Problems,
    *,
    aliases: Mapping[str, str],
    choices: tuple[str, ...],
    required: bool = True,
) -> np.ndarray:
    """One of ``choices`` -> its index (int8); NULL_CODE (-1) for an empty cell, BAD_CODE
    (-2) for a value that is not a choice.

    Matching is case-insensitive and treats spaces, hyphens and underscores alike;
    ``aliases`` maps such a normalised spelling (words separated by one space) to a choice.
    Each choice's own spelling is always accepted.
    """
    lookup = {normalise_choice(choice): choice for choice in choices}
    lookup.update({normalise_choice(alias): choice for alias, choice in aliases.items()})

    def code_of(value: str) -> int:
        key = normalise_choice(value)
        return choices.index(lookup[key]) if key in lookup else BAD_CODE

    def codes_of(values: pa.Array) -> np.ndarray:
        """Codes for distinct values, plus NULL_CODE at the end for null rows."""
        return np.array([code_of(v) for v in values.to_pylist()] + [NULL_CODE], dtype=np.int8)

    if pa.types.is_dictionary(column.type):
        result = dictionary_map(column, code_of, null_code=NULL_CODE, dtype=np.int8)
    else:
        distinct = pc.unique(pc.drop_null(column))
        positions = to_numpy(pc.index_in(column, value_set=distinct), len(distinct))
        result = codes_of(distinct)[positions] if len(column) else np.zeros(0, np.int8)
    if required:
        require(column, name, problems)
    accepted = ", ".join(choices)
    problems.add_rows(
        np.flatnonzero(result == BAD_CODE),
        name,
        lambda row: f"{show(column, row)} is not one of: {accepted}.",
    )
    return result


def dictionary_map(
    column: pa.ChunkedArray,
    code_of: Callable[[Any], int],
    *,
    null_code: int,
    dtype: type[np.integer[Any]],
) -> np.ndarray:
    """A code per row of a dictionary-encoded column: ``code_of(value)`` where the row holds
    ``value``, ``null_code`` where it is null; a ``dtype`` array.

    ``code_of`` is called once per distinct value. Each chunk is mapped through its own
    dictionary into its slice of the result, its indices read in place: no unified
    dictionary, no concatenated, transposed or null-filled copy of the indices.
    """
    codes = np.empty(len(column), dtype=dtype)
    known: dict[Any, int] = {}
    start = 0
    for chunk in column.chunks:
        size = len(chunk)
        if not size:
            continue
        values = chunk.dictionary.to_pylist()
        for value in values:
            if value not in known:
                known[value] = code_of(value)
        # null_code last, so that a chunk of nulls only (an empty dictionary) has a table too.
        table = np.array([known[value] for value in values] + [null_code], dtype=dtype)
        out = codes[start : start + size]
        # A null row's index may hold anything: "clip" keeps it in the table (and lets take
        # write straight into ``out``); the null rows are overwritten next.
        table.take(_stored_values(chunk.indices), out=out, mode="clip")
        if chunk.null_count:
            np.putmask(out, _null_mask(chunk.indices), null_code)
        start += size
    return codes


def _stored_values(array: pa.Array) -> np.ndarray:
    """The values of an integer array as stored, in place (a null row's slot holds
    anything)."""
    dtype = np.dtype(array.type.to_pandas_dtype())
    return np.frombuffer(
        array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize
    )


def _null_mask(array: pa.Array) -> np.ndarray:
    """A bool per row of ``array``, True where it is null, read from its validity bitmap."""
    validity = array.buffers()[0]
    if validity is None:
        return np.zeros(len(array), dtype=bool)
    first, skip = divmod(array.offset, 8)
    bitmap = np.frombuffer(validity, dtype=np.uint8)[first : first + (skip + len(array) + 7) // 8]
    nulls: np.ndarray = np.unpackbits(~bitmap, bitorder="little")[skip : skip + len(array)]
    return nulls.view(bool)


def normalise_choice(value: str) -> str:
    """``" Meeting-Booked "`` -> ``"meeting booked"``."""
    return _SPACES.sub(" ", value.strip().lower()).strip()


def parse_amounts(
    column: pa.ChunkedArray,
    name: str,
    problems: Problems,
    *,
    required: bool = True,
    decimal_comma: bool = False,
) -> np.ndarray:
    """US dollar amounts -> float64 (NaN in empty or bad rows).

    Accepts ``12500``, ``12500.5``, ``12,500``, ``$12,500.00``, ``USD 1,200`` and
    ``1,200 USD``. Negative amounts (``-500``, ``(500)``) are a problem, as are other
    currencies, European separators (``12.500,00``) and amounts over MAX_AMOUNT. With
    ``decimal_comma`` (the European locale) the marks swap: ``12.500,00`` and ``12500,5``
    are accepted and ``12,500.00`` is not. Amounts are taken as US dollars either way:
    nothing is converted.
    """
    text = trimmed(column)
    if required:
        require(text, name, problems)
    if decimal_comma:
        text = swap_marks(text)
    valid = pc.match_substring_regex(text, _AMOUNT)
    negative = pc.match_substring_regex(text, _NEGATIVE_AMOUNT)
    problems.add_rows(
        rows_where(negative),
        name,
        lambda row: f"{show(column, row)} is negative: amounts must be 0 or more.",
    )
    problems.add_rows(
        rows_where(pc.and_(pc.invert(valid), pc.invert(negative))),
        name,
        lambda row: (
            f"{show(column, row)} is not an amount in US dollars, for example 12500, "
            + ("12.500,00 or 12500,5." if decimal_comma else "12,500.00 or $12,500.")
        ),
    )
    digits = pc.replace_substring_regex(text, r"[^0-9.]", "")
    digits = pc.if_else(valid, digits, pa.scalar(None, pa.string()))
    return _at_most(
        to_numpy(pc.cast(digits, pa.float64()), np.nan), MAX_AMOUNT, column, name, problems
    )


def swap_marks(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """``12.500,00`` -> ``12,500.00``: a European number in the US spelling."""
    text = pc.replace_substring(text, ".", "\x00")
    text = pc.replace_substring(text, ",", ".")
    return pc.replace_substring(text, "\x00", ",")


def _at_most(
    values: np.ndarray, maximum: float, column: pa.ChunkedArray, name: str, problems: Problems
) -> np.ndarray:
    """Values over ``maximum`` become NaN, each with a problem."""
    over = np.flatnonzero(values > maximum)
    if over.size:
        problems.add_rows(
            over, name, lambda row: f"{show(column, row)} is more than {maximum:,.0f}: check it."
        )
        values = values.copy()
        values[over] = np.nan
    return values


def parse_decimals(
    column: pa.ChunkedArray,
    name: str,
    problems: Problems,
    *,
    maximum: float,
    decimal_comma: bool = False,
) -> np.ndarray:
    """Plain decimal numbers from 0 to ``maximum`` (``7``, ``7.5``; ``7,5`` with
    ``decimal_comma``) -> float64 (NaN where empty or bad)."""
    text = trimmed(column)
    if decimal_comma:
        text = swap_marks(text)
    valid = pc.match_substring_regex(text, _DECIMAL)
    example = "7,5" if decimal_comma else "7.5"
    problems.add_rows(
        rows_where(pc.invert(valid)),
        name,
        lambda row: f"{show(column, row)} is not a number of 0 or more, for example {example}.",
    )
    text = pc.if_else(valid, text, pa.scalar(None, pa.string()))
    return _at_most(to_numpy(pc.cast(text, pa.float64()), np.nan), maximum, column, name, problems)


def duplicate_rows(keys: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose key appeared on an earlier row, and for each the row where it first did.

    Null keys are never duplicates. Returns two int64 arrays of equal length, by row.
    A quick hash pass proves most files free of repeats; only when it cannot does pandas
    look for the repeated keys exactly.
    """
    if keys.null_count == 0 and _surely_unique(keys):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    series = keys.to_pandas()
    codes, _ = pd.factorize(series)
    valid = codes >= 0
    first_seen = valid & ~series.duplicated(keep="first").to_numpy()
    # factorize numbers keys in order of first appearance, so the k-th first sighting is
    # the row where code k first appears.
    first_rows = np.flatnonzero(first_seen)
    later = np.flatnonzero(valid & ~first_seen)
    return later.astype(np.int64), first_rows[codes[later]].astype(np.int64)


def surely_unique_as_trimmed(keys: pa.ChunkedArray) -> bool:
    """True when the keys are ready as they are and distinct: none is null or empty, none
    starts or ends with ASCII white space (``pc.ascii_trim_whitespace`` would return them
    unchanged) and no two are alike. False means "maybe not": the caller trims the keys and
    looks for repeats exactly.

    Keys of one length (ids, UUIDs) are checked and hashed in the same pass over their bytes.
    """
    if keys.null_count or not len(keys) or not pa.types.is_string(keys.type):
        return False
    lengths = pc.min_max(pc.binary_length(keys))
    shortest, longest = lengths["min"].as_py(), lengths["max"].as_py()
    if not shortest:
        return False
    if shortest != longest or longest > 64:
        return all(_no_spaces_at_ends(chunk) for chunk in keys.chunks) and _surely_unique(keys)
    hashes = _fixed_width_hashes(keys, longest, ends=True)
    return hashes is not None and _distinct(hashes)


def _surely_unique(keys: pa.ChunkedArray) -> bool:
    """True when no key repeats; False means "maybe" (a repeat or a hash collision)."""
    if len(keys) < 2:
        return True
    lengths = pc.min_max(pc.binary_length(keys))
    shortest, longest = lengths["min"].as_py(), lengths["max"].as_py()
    if longest > 64:
        return _distinct_count(keys) == len(keys)
    if shortest != longest:
        if not pc.all(pc.string_is_ascii(keys)).as_py():
            return _distinct_count(keys) == len(keys)
        # Padding can only make two keys look alike, never hide a repeat: a false alarm
        # sends the file to the exact check.
        keys = pc.ascii_rpad(keys, width=longest, padding=" ")
    hashes = _fixed_width_hashes(keys, longest, ends=False)  # never None without ``ends``
    return hashes is not None and _distinct(hashes)


def _fixed_width_hashes(keys: pa.ChunkedArray, width: int, *, ends: bool) -> np.ndarray | None:
    """``_hash_fixed_width`` of every chunk into one uint64 array (a hash per key); None
    when, with ``ends``, a key may start or end with white space."""
    hashes = np.empty(len(keys), dtype=np.uint64)
    start = 0
    for chunk in keys.chunks:
        if not _hash_fixed_width(chunk, width, hashes[start : start + len(chunk)], ends=ends):
            return None
        start += len(chunk)
    return hashes


def _distinct(hashes: np.ndarray) -> bool:
    """Whether no two hashes are equal (sorts them in place)."""
    # numpy sorts 64-bit integers with SIMD, three times faster than pandas' hash table.
    hashes.sort()
    return not (hashes[1:] == hashes[:-1]).any()


def _distinct_count(keys: pa.ChunkedArray) -> int:
    count: int = pa.table({"key": keys}).group_by("key", use_threads=False).aggregate([]).num_rows
    return count


def _hash_fixed_width(chunk: pa.Array, width: int, out: np.ndarray, *, ends: bool = False) -> bool:
    """A 64-bit hash of each value of a string array whose values are all ``width`` bytes,
    read straight from the array's buffers eight bytes at a time, written to ``out`` (a
    uint64 array of ``len(chunk)``). With ``ends``, first checks that no value starts or
    ends with ASCII white space: False (and ``out`` not written) when one may; True
    otherwise."""
    count = len(chunk)
    if not count or not width:
        out[...] = width
        return True
    offsets = np.frombuffer(
        chunk.buffers()[1], dtype=np.int32, count=count + 1, offset=chunk.offset * 4
    )
    data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
    cells = data[offsets[0] : offsets[0] + width * count].reshape(count, width)
    # The bytes ascii_trim_whitespace removes are all at most 32 (see _no_spaces_at_ends).
    if ends and (int(cells[:, 0].min()) <= 32 or int(cells[:, -1].min()) <= 32):
        return False
    if width < 8:
        padded = np.zeros((count, 8), np.uint8)
        padded[:, :width] = cells
        cells, width = padded, 8
    # Whole 8-byte words, read in place (unaligned reads are fine on numpy's side), then the
    # last eight bytes as one more word when the width is not a multiple of eight.
    whole = width // 8
    words = [cells[:, : whole * 8].view(np.uint64)[:, index] for index in range(whole)]
    if width % 8:
        words.append(cells[:, width - 8 :].view(np.uint64)[:, 0])
    out[...] = width
    for word in words:
        out ^= word
        out *= _MIX
    return True


def _no_spaces_at_ends(chunk: pa.Array) -> bool:
    """True when no value of a string (not large_string) chunk starts or ends with ASCII
    white space; False means "maybe"."""
    count = len(chunk)
    buffers = chunk.buffers()
    if not count or buffers[2] is None or not buffers[2].size:
        return True  # no value has a byte
    offsets = np.frombuffer(buffers[1], dtype=np.int32, count=count + 1, offset=chunk.offset * 4)
    data = np.frombuffer(buffers[2], dtype=np.uint8)
    # The bytes ascii_trim_whitespace removes (tab, line feed, vertical tab, form feed,
    # carriage return, space) are all at most 32: a first or last byte over 32 is not one.
    # An empty or null value has no first or last byte: clipping reads a neighbour's byte
    # instead, which at worst makes a false alarm (the exact trim then runs).
    first = data.take(offsets[:-1], mode="clip")
    last = data.take(offsets[1:] - 1, mode="clip")
    return int(first.min()) > 32 and int(last.min()) > 32

"""The run-log import's fast paths give what the general paths give, on generated input: the
one-pass ASCII and quote scan of an upload, dictionary columns mapped chunk by chunk, run ids
checked for trimming and repeats in one pass, and the daily sums."""

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hypothesis_profiles import examples
from workflows.data.imports.errors import CsvImportError, Problems
from workflows.data.imports.runlog import (
    ARM_ALIASES,
    ARMS,
    _repeated_run_ids,
    _run_ids,
    _steps,
)
from workflows.data.imports.runlog_tables import _group_sums
from workflows.data.imports.table import _has_quote
from workflows.data.imports.upload import CsvBytes, _ascii_and_first_quote
from workflows.data.imports.values import (
    NULL_CODE,
    dictionary_map,
    duplicate_rows,
    parse_choice,
    surely_unique_as_trimmed,
)

BYTES = st.lists(st.sampled_from([b"a", b",", b'"', b"\n", b"\x80", b"\xc3\xa9", b"\x7f"])).map(
    b"".join
)


@settings(max_examples=examples(500), deadline=None)
@given(BYTES, st.integers(min_value=1, max_value=17))
def test_the_one_pass_scan_finds_what_isascii_and_find_do(data, block):
    assert _ascii_and_first_quote(data, block) == (data.isascii(), data.find(b'"'))


@settings(max_examples=examples(300), deadline=None)
@given(BYTES, st.data())
def test_a_quote_after_the_header_is_known_from_the_first_quote_or_searched(data, draw):
    start = draw.draw(st.integers(min_value=0, max_value=len(data)))
    noted = draw.draw(st.sampled_from([None, data.find(b'"')]))
    assert _has_quote(CsvBytes(data, 0, noted), start) == (data.find(b'"', start) >= 0)


def chunked(values, cuts, kind):
    """``values`` as a column in chunks cut at ``cuts``, each chunk its own array of ``kind``
    ("string", or "dictionary" encoded chunk by chunk, or "sliced": dictionary chunks that
    are slices of a longer array, so their offsets are not multiples of 8)."""
    bounds = [0, *sorted({c % (len(values) + 1) for c in cuts}), len(values)]
    chunks = []
    for begin, end in itertools.pairwise(bounds):
        piece = values[begin:end]
        if kind == "string":
            chunks.append(pa.array(piece, pa.string()))
        elif kind == "dictionary":
            chunks.append(pa.array(piece, pa.string()).dictionary_encode())
        else:
            padded = pa.array(["pad"] * 5 + piece + ["end"], pa.string()).dictionary_encode()
            chunks.append(padded.slice(5, len(piece)))
    if kind == "string":
        return pa.chunked_array(chunks, pa.string())
    return pa.chunked_array(chunks, pa.dictionary(pa.int32(), pa.string()))


WORDS = st.lists(
    st.one_of(st.none(), st.sampled_from(["orch", "Baseline", " base ", "orchestrated", "x", ""]))
)
CUTS = st.lists(st.integers(min_value=0, max_value=60), max_size=5)


@settings(max_examples=examples(300), deadline=None)
@given(WORDS, CUTS, st.sampled_from(["dictionary", "sliced"]))
def test_a_dictionary_column_maps_row_by_row_as_its_values(values, cuts, kind):
    column = chunked(values, cuts, kind)
    codes = dictionary_map(column, len, null_code=-7, dtype=np.int16)
    assert codes.dtype == np.int16
    assert codes.tolist() == [-7 if value is None else len(value) for value in values]


@settings(max_examples=examples(300), deadline=None)
@given(WORDS, CUTS, st.sampled_from(["dictionary", "sliced"]))
def test_a_choice_reads_the_same_from_dictionary_chunks_as_from_text(values, cuts, kind):
    def choice(column):
        problems = Problems()
        codes = parse_choice(column, "arm", problems, aliases=ARM_ALIASES, choices=ARMS)
        try:
            problems.raise_if_any()
        except CsvImportError as error:
            return codes.tolist(), error.problems, error.more
        return codes.tolist(), [], 0

    assert choice(chunked(values, cuts, kind)) == choice(chunked(values, cuts, "string"))


@settings(max_examples=examples(300), deadline=None)
@given(WORDS, CUTS, st.sampled_from(["string", "dictionary", "sliced"]))
def test_steps_are_what_one_unified_dictionary_gives(values, cuts, kind):
    column = chunked(values, cuts, kind)
    names, codes = _steps(column)

    # The general path: one dictionary for the whole column, null rows after its end.
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    unified = column.unify_dictionaries()
    dictionary = unified.chunk(0).dictionary.to_pylist() if unified.num_chunks else []
    written = [(value or "").strip() for value in dictionary]
    indices = pa.chunked_array([chunk.indices for chunk in unified.chunks], pa.int32())
    expected_names = sorted({*written, ""})
    remap = [expected_names.index(name) for name in [*written, ""]]
    expected = [remap[i] for i in pc.fill_null(indices, len(dictionary)).to_pylist()]
    assert (names, codes.tolist()) == (expected_names, expected)
    assert [names[code] for code in codes] == [(value or "").strip() for value in values]


KEY = st.text(alphabet="ab1- \t\x0b\x1c\u00a0é", max_size=6)


@st.composite
def run_id_keys(draw):
    """Keys of any length, or (half the time) all of one length in bytes, as ids and UUIDs
    are, which the one-pass check reads in place."""
    width = draw(st.sampled_from([None, 1, 2, 3, 5, 8, 9]))
    key = (
        KEY
        if width is None
        else st.text(alphabet="ab1- \t\x0b\x1c", min_size=width, max_size=width)
    )
    return draw(st.lists(st.one_of(st.none(), key), max_size=40))


@settings(max_examples=examples(500), deadline=None)
@given(run_id_keys(), CUTS)
def test_run_ids_ready_as_they_are_are_so(keys, cuts):
    column = chunked(keys, cuts, "string")
    run_ids = _run_ids(column)
    later, first = duplicate_rows(run_ids)

    if surely_unique_as_trimmed(column):
        assert run_ids.equals(column)
        assert column.null_count == 0 and later.size == 0
    found_ids, found_later, found_first = _repeated_run_ids(column)
    assert found_ids.equals(run_ids)
    assert (found_later.tolist(), found_first.tolist()) == (later.tolist(), first.tolist())


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\x0b", "\x0c", "\r"])
@pytest.mark.parametrize("other", ["r-9a", "r-9"])  # the same length, or not
def test_a_run_id_with_ascii_space_at_an_end_is_never_taken_as_it_is(space, other):
    for key in (space + "r-1", "r-1" + space):
        column = pa.chunked_array([pa.array([other, key])])
        assert not surely_unique_as_trimmed(column)
        assert _repeated_run_ids(column)[0].to_pylist() == [other, "r-1"]


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(st.text(alphabet="ab1-é", min_size=1, max_size=5), unique=True),
    CUTS,
    st.booleans(),
)
def test_distinct_keys_without_spaces_take_the_one_pass_check(keys, cuts, one_width):
    if one_width:
        keys = sorted({key.ljust(5, "-") for key in keys})
    assert surely_unique_as_trimmed(chunked(keys, cuts, "string")) == bool(keys)


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=40),
            st.integers(min_value=0, max_value=10_000),
            st.integers(min_value=0, max_value=6),
        ),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([1, 10**9]),
)
def test_group_sums_match_a_groupby(rows, spread):
    # spread 10**9 makes the keys too sparse for a bincount: the factorize branch.
    key = np.array([k * spread for k, _, _ in rows], dtype=np.int64)
    values = {
        "a": np.array([a for _, a, _ in rows], dtype=np.int64),
        "b": np.array([b for _, _, b in rows], dtype=np.int64),
    }
    groups, sums = _group_sums(key, values)

    frame = pd.DataFrame({"key": key, **values})
    expected = frame.groupby("key").agg(runs=("a", "size"), a=("a", "sum"), b=("b", "sum"))
    assert groups.tolist() == expected.index.tolist()
    for name in ("runs", "a", "b"):
        assert sums[name].dtype == np.int64
        assert sums[name].tolist() == expected[name].tolist()


def test_null_rows_of_a_dictionary_column_get_the_null_code():
    column = pa.chunked_array([pa.array([None, "a", None, "b"] * 5).dictionary_encode()])
    codes = dictionary_map(column, lambda value: 1, null_code=NULL_CODE, dtype=np.int8)
    assert codes.tolist() == [NULL_CODE, 1, NULL_CODE, 1] * 5
    assert pc.is_null(column).to_pylist() == (codes == NULL_CODE).tolist()

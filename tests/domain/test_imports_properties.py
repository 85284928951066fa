"""CSV imports under random input: only ever a CsvImportError; the fast and exact readers agree."""

import contextlib
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.domain.imports_helpers import (
    AS_OF,
    HEADER,
    hubspot_mapping,
)
from tests.hypothesis_profiles import examples
from workflows.data.imports import (
    CsvImportError,
    parse_events,
    parse_opportunities,
    parse_run_log,
    parse_spend,
    read_upload,
)
from workflows.data.imports.errors import Problems
from workflows.data.imports.timestamps import parse_timestamps
from workflows.data.imports.values import duplicate_rows

# --- properties -----------------------------------------------------------------------------


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_random_bytes_only_ever_raise_csv_import_error(raw):
    with contextlib.suppress(CsvImportError):
        parse_run_log(read_upload(raw), as_of=AS_OF)


CSV_ISH = st.lists(
    st.sampled_from([*'ab1-:TZ ,"\n\r\t.é\x00', "2026-03-02T09:14:03Z", "ok"]), max_size=80
).map("".join)
CELLS = st.sampled_from(
    [
        "",
        " ",
        "r-1",
        "r-2",
        "2026-03-02T09:14:03Z",
        "2026-03-02 09:14",
        "2026-02-30",
        "2027-01-01",
        "succeeded",
        "OK",
        "failed",
        "running",
        "orch",
        "baseline",
        "control",
        "0",
        "6",
        "-1",
        "9",
        '"',
        '""',
        '"a,b"',
        "1e3",
        "\t",
        "=1+1",
    ]
)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.sampled_from([HEADER, HEADER.upper(), HEADER.replace("_", " "), "a,b", ""]),
    body=CSV_ISH,
    rows=st.lists(st.lists(CELLS, min_size=7, max_size=10), max_size=6),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_random_csv_ish_text_only_ever_raises_csv_import_error(header, body, rows, ending):
    text = ending.join([header, *(",".join(r) for r in rows)]) + ending + body
    for attempt in (
        lambda: parse_run_log(text, as_of=AS_OF),
        lambda: parse_run_log(read_upload(text.encode("utf-8", "replace")), as_of=AS_OF),
    ):
        try:
            result = attempt()
        except CsvImportError:
            continue
        assert result.row_count == len(result.runs) == result.daily["runs"].sum()


OTHER_PARSERS = {
    "events": (
        "event_id,occurred_at,kind,arm,run_id",
        lambda text: parse_events(text, as_of=AS_OF),
    ),
    "opportunities": (
        "Record ID,Create Date,Amount,AI Touch,AI Touch Date",
        lambda text: parse_opportunities(text, mapping=hubspot_mapping(), as_of=AS_OF),
    ),
    "opportunities, day first": (
        "Record ID,Create Date,Amount,AI Touch,AI Touch Date",
        lambda text: parse_opportunities(
            text, mapping=hubspot_mapping(), date_format="DD/MM/YYYY", as_of=AS_OF
        ),
    ),
    "spend": (
        "month,category,amount_usd,hours,rate_usd",
        lambda text: parse_spend(text, as_of=AS_OF),
    ),
}
OTHER_CELLS = st.sampled_from(
    [
        "",
        " ",
        "1",
        "00123",
        "2026-03-04",
        "03/04/2026",
        "13/04/2026",
        "4/13/2026",
        "0/0/2026",
        "2026-03-04 14:22",
        "2026-03",
        "2026-13",
        "0000-00",
        "$12,500.00",
        "(500)",
        "-1",
        "1" + "0" * 400,
        "9" * 30,
        "2.5",
        "USD 1,200",
        "AI-generated",
        "yes",
        "none",
        "won",
        "opp",
        "meeting",
        "orch",
        "baseline",
        "subscription",
        "maintenance",
        "model usage",
        '"a,b"',
        "=1+1",
        "\t",
        '"',
    ]
)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parser=st.sampled_from(sorted(OTHER_PARSERS)),
    rows=st.lists(st.lists(OTHER_CELLS, min_size=4, max_size=6), max_size=6),
    tail=CSV_ISH,
)
def test_random_events_opportunities_and_spend_only_ever_raise_csv_import_error(parser, rows, tail):
    header, parse = OTHER_PARSERS[parser]
    text = "\n".join([header, *(",".join(r) for r in rows)]) + "\n" + tail
    with contextlib.suppress(CsvImportError):
        frame = parse(text)
        assert not frame.empty


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(alphabet="ab-1é", max_size=18)), max_size=40),
    st.integers(min_value=1, max_value=5),
)
def test_repeated_keys_are_found_exactly_whatever_their_lengths(keys, chunks):
    size = -(-len(keys) // chunks) if keys else 1
    column = pa.chunked_array(
        [pa.array(keys[i : i + size], pa.string()) for i in range(0, len(keys), size)],
        pa.string(),
    )
    seen: dict[str, int] = {}
    expected_later, expected_first = [], []
    for position, key in enumerate(keys):
        if key is None:
            continue
        if key in seen:
            expected_later.append(position)
            expected_first.append(seen[key])
        else:
            seen[key] = position

    later, first = duplicate_rows(column)

    assert later.tolist() == expected_later
    assert first.tolist() == expected_first


TIMESTAMP_PIECES = st.lists(
    st.sampled_from(
        [
            "2026",
            "-",
            "03",
            "02",
            "29",
            "T",
            " ",
            "09",
            ":",
            "14",
            "5",
            ".",
            "123",
            "Z",
            "+",
            "01",
            "00",
            "0130",
            "24",
            "60",
            "1999",
        ]
    ),
    max_size=14,
).map("".join)


@settings(max_examples=examples(500), deadline=None)
@given(TIMESTAMP_PIECES)
def test_the_fast_timestamp_cast_and_the_exact_parser_agree(value):
    column = pa.chunked_array([pa.array([value])])
    exact = Problems()
    from workflows.data.imports import timestamps

    parsed = timestamps._parse_timestamps_exactly(column, "t", exact)
    fast = timestamps._cast_timestamps(column)
    if fast is not None:
        assert not exact, value
        assert pc.equal(fast, parsed)[0].as_py(), value


def test_timestamps_convert_every_accepted_form():
    values = pa.chunked_array(
        [
            pa.array(
                [
                    "2026-03-02",
                    "2026-03-02T09",
                    "2026-03-02T09:14",
                    "2026-03-02 09:14:05.5",
                    "2026-03-02T09:14:05+01",
                    "2026-03-02T09:14:05-0230",
                    "2026-03-02T09:14:05Z",
                ]
            )
        ]
    )
    problems = Problems()

    parsed = parse_timestamps(values, "t", problems, as_of=AS_OF).to_pylist()

    assert not problems
    expected = [
        datetime(2026, 3, 2, tzinfo=UTC),
        datetime(2026, 3, 2, 9, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 14, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 14, 5, 500_000, tzinfo=UTC),
        datetime(2026, 3, 2, 8, 14, 5, tzinfo=UTC),
        datetime(2026, 3, 2, 11, 44, 5, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 14, 5, tzinfo=UTC),
    ]
    assert [pd.Timestamp(v).to_pydatetime() for v in parsed] == expected


def test_the_imports_package_does_not_import_django():
    code = (
        "import sys, workflows.data.imports; "
        "assert not [m for m in sys.modules if m.startswith('django')]"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2], timeout=60
    )

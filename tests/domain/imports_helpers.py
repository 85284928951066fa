"""Helpers shared by the test_imports.py split."""

from datetime import date
from pathlib import Path

import pytest

from workflows.data.imports import (
    PRESETS,
    RUN_LOG_COLUMNS,
    CsvImportError,
    RowProblem,
)

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
AS_OF = date(2026, 4, 1)
HEADER = ",".join(RUN_LOG_COLUMNS)
GOOD_ROW = "r-1,2026-03-02T09:14:03Z,2026-03-02T09:14:12Z,succeeded,orchestrated,6,6,3,"
FIELDS = dict(zip(RUN_LOG_COLUMNS, GOOD_ROW.split(","), strict=True))


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def run_log(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def row(**changes: str) -> str:
    return ",".join({**FIELDS, **changes}.values())


def problems_of(call) -> list[RowProblem]:
    with pytest.raises(CsvImportError) as caught:
        call()
    return caught.value.problems


def hubspot_mapping() -> dict[str, str]:
    return dict(PRESETS["hubspot"])


def opportunities(*rows: str, header: str = "Record ID,Create Date,Amount,AI Touch") -> str:
    return "\n".join([header, *rows]) + "\n"

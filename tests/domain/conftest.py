import pytest

from benchmark.definition import Definition, parse_definition, read_definition_file

VERSION = "2026.1"


@pytest.fixture(scope="session")
def raw_definition() -> dict:
    return read_definition_file(VERSION)[0]


@pytest.fixture(scope="session")
def definition(raw_definition) -> Definition:
    return parse_definition(raw_definition)

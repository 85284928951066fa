"""What every exchange format shares: the import error, the import result and its report,
reading uploaded bytes as JSON, and a checked reader of JSON fields.

Pure module: standard library only, no clock. Limits come from ``workflows.maps.shapes`` so an
import accepts exactly what the step form accepts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from workflows.maps.shapes import (
    CONTRACT_FIELD_CHARS,
    CONTRACT_FIELDS,
    DecimalLimit,
    MapInput,
    WholeLimit,
)

MAX_STEPS = 200
MAX_BYTES = 1_000_000
MAX_PROBLEMS_IN_MESSAGE = 10


class MapImportError(ValueError):
    """An import that cannot be read. ``problems`` lists every problem found, in order; the
    message is the single problem, or a count followed by the first few."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(_summarize(self.problems))


def _summarize(problems: list[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    shown = "; ".join(problems[:MAX_PROBLEMS_IN_MESSAGE])
    more = len(problems) - MAX_PROBLEMS_IN_MESSAGE
    return f"{len(problems)} problems: {shown}" + (f"; and {more} more" if more > 0 else "")


@dataclass(frozen=True)
class ImportReport:
    """What an import did, for the user to check.

    ``imported`` holds phrases ("5 steps", "the trigger 'Form (webhook)'"); ``approximated``
    sentences on what the map shows less exactly than the file says (flattened branches,
    folded sub-nodes, clamped retries); ``dropped`` sentences on what the file has and the
    map does not keep (disabled nodes, unreachable nodes, unknown fields).
    """

    imported: tuple[str, ...]
    approximated: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """ "Imported 5 steps, the trigger 'Form (webhook)' and 2 sticky notes as notes."."""
        items = list(self.imported) or ["nothing"]
        listed = items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
        return f"Imported {listed}."


@dataclass(frozen=True)
class MapImport:
    """An import read and checked, ready to store.

    ``carries`` names the map-level values the file gives (of ``mapping.MAP_SETTINGS``); the
    stored map keeps its own value for every other one, so an import never blanks a value
    the file does not carry. Steps are always replaced.
    """

    map: MapInput
    carries: frozenset[str]
    report: ImportReport


def count(number: int, noun: str) -> str:
    """ "1 step", "2 steps"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


# --- bytes -> JSON ----------------------------------------------------------------------------


def parse_json_bytes(raw: bytes, *, max_bytes: int = MAX_BYTES) -> object:
    """Decode an uploaded file as UTF-8 JSON (a leading byte-order mark is allowed).

    Numbers with a fraction come back as Decimal, so "2.5" stays exact; NaN and Infinity are
    refused, as JSON has neither.

    Raises:
        MapImportError: when the file is larger than ``max_bytes``, is not UTF-8, is not
            JSON, or nests too deeply.
    """
    if len(raw) > max_bytes:
        raise MapImportError(
            [f"The file is too large: {len(raw):,} bytes; the limit is {max_bytes:,} bytes."]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MapImportError(
            [f"The file is not UTF-8 text (a bad byte at position {error.start})."]
        ) from None
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        if text.lstrip()[:1] == "<":
            raise MapImportError(
                [
                    "The file is not JSON: it looks like XML. For a BPMN file, choose the "
                    "BPMN import."
                ]
            ) from None
        raise MapImportError(
            [
                f"The file is not valid JSON: {error.msg} at line {error.lineno}, "
                f"column {error.colno}."
            ]
        ) from None
    except RecursionError:
        raise MapImportError(["The file is not usable JSON: it nests too deeply."]) from None
    except ValueError:  # an integer too long to convert, or NaN / Infinity
        raise MapImportError(
            ["The file is not usable JSON: a number is too long, or is NaN or Infinity."]
        ) from None


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


# --- checked fields -----------------------------------------------------------------------------


class Fields:
    """Reads typed fields from one JSON object, appending problems prefixed with ``where``
    ("step 3: "). A key that is absent or null is absent: the default comes back; so does
    a number given as blank text, as the step form takes a blank number."""

    def __init__(self, data: dict[str, Any], where: str, problems: list[str]) -> None:
        self.data, self.where, self.problems = data, where, problems

    def given(self, key: str) -> bool:
        """The key has a value: not absent, not null, not blank text."""
        value = self.data.get(key)
        return value is not None and not (isinstance(value, str) and not value.strip())

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.where}{message}")

    def text(self, key: str, limit: int, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None or (required and isinstance(value, str) and not value.strip()):
            if required:
                self.problem(f"{key} is missing")
            return ""
        if not isinstance(value, str):
            self.problem(f"{key} must be text, got {json_kind(value)}")
            return ""
        if len(value) > limit:
            self.problem(f"{key} is longer than {limit} characters ({len(value)})")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(f"{key} must be true or false, got {show(value)}")
            return False
        return value

    def number(self, key: str, limit: DecimalLimit, default: Decimal = Decimal(0)) -> Decimal:
        """A decimal within ``limit``, never rounded: too many decimal places is a problem."""
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return default  # blank, as a blank number in the step form
        number = to_decimal(value)
        if number is None:
            self.problem(f"{limit.label} must be a number, got {show(value)}")
            return default
        problem = limit.problem(number)
        if problem:
            self.problem(problem)
            return default
        return number

    def whole(self, key: str, limit: WholeLimit) -> int:
        """A whole number within ``limit``; "3", 3 and 3.0 are 3, as in Django's
        IntegerField; 3.5 is a problem."""
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return 0
        number = to_whole(value)
        if number is None:
            self.problem(f"{limit.label} must be a whole number, got {show(value)}")
            return 0
        problem = limit.problem(number)
        if problem:
            self.problem(problem)
            return 0
        return number

    def choice(self, key: str, choices: str, default: str) -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, str) and value.lower() in choices.split(", "):
            return value.lower()
        self.problem(f"{key} must be one of {choices}")
        return default

    def contract(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(f"{key} must be a list of field names, got {json_kind(value)}")
            return ()
        if len(value) > CONTRACT_FIELDS:
            self.problem(f"{key} has {len(value)} fields; the limit is {CONTRACT_FIELDS}")
            return ()
        for index, item in enumerate(value, 1):
            if not isinstance(item, str):
                self.problem(f"{key} item {index} must be text, got {json_kind(item)}")
            elif len(item) > CONTRACT_FIELD_CHARS:
                self.problem(f"{key} item {index} is longer than {CONTRACT_FIELD_CHARS} characters")
        return tuple(item for item in value if isinstance(item, str))


def to_decimal(value: object) -> Decimal | None:
    """A finite Decimal from a JSON number or a decimal string; None for anything else.
    Strings are stripped first, as Django's DecimalField does."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str) and len(value) <= 100:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def to_whole(value: object) -> int | None:
    """A whole number from a JSON number or text, read as Django's IntegerField reads form
    input: "3", " 3 " and "3.00" are 3; "3.5", "1e1" and true are not whole numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() else None
    if isinstance(value, str) and len(value) <= 100:
        try:
            return int(_TRAILING_ZEROS.sub("", value))
        except ValueError:
            return None
    return None


_TRAILING_ZEROS = re.compile(r"\.0*\s*$")  # Django's IntegerField.re_decimal


def json_kind(value: object) -> str:
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (type(None), "null"),
        (bool, "true/false"),
        ((int, float, Decimal), "a number"),
        (str, "text"),
        (list, "a list"),
        (dict, "an object"),
    ]
    return next((name for kind, name in kinds if isinstance(value, kind)), "an unknown value")


def show(value: object) -> str:
    if isinstance(value, str | int | float | Decimal | type(None)):
        shown = json.dumps(value, default=str)
        return shown if len(shown) <= 40 else shown[:37] + "..."
    return json_kind(value)

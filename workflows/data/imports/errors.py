"""Import problems: what was wrong, on which line, in which column.

Pure module: standard library and numpy only. Every parser in this package collects every
problem it finds (not just the first) and raises one ``CsvImportError`` at the end, so nothing
is ever half-imported. Line numbers are as a spreadsheet shows them: the header row is line 1,
the first data row line 2, and a quoted value spanning several physical lines still counts as
one line (one record).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

MAX_LISTED_PROBLEMS = 200


@dataclass(frozen=True)
class RowProblem:
    """One problem in an uploaded file.

    ``line`` is the 1-based line (record) number as a spreadsheet shows it, header = 1, or None
    for a problem with the whole file (empty, binary, too big); ``column`` is our column name
    (for example "started_at") or None; ``message`` is a full sentence for the user.
    """

    line: int | None
    column: str | None
    message: str

    def describe(self) -> str:
        """``"Line 5, started_at: ..."``, ``"Line 5: ..."`` or just the message."""
        where = []
        if self.line is not None:
            where.append(f"Line {self.line}")
        if self.column is not None:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CsvImportError(ValueError):
    """An upload that cannot be imported; nothing of it was imported.

    ``problems`` lists at most MAX_LISTED_PROBLEMS (200) problems, ordered by line;
    ``more`` counts the problems not listed (the text ends with "and N more"); ``str(error)``
    is a headline followed by one line per listed problem.
    """

    def __init__(self, problems: list[RowProblem], *, more: int = 0):
        self.problems = list(problems)
        self.more = more
        super().__init__(_render(self.problems, more))

    @classmethod
    def single(
        cls, message: str, *, line: int | None = None, column: str | None = None
    ) -> CsvImportError:
        """The error for one problem with the file as a whole (or one line of it)."""
        return cls([RowProblem(line, column, message)])


def _render(problems: list[RowProblem], more: int) -> str:
    total = len(problems) + more
    if total == 1:
        return problems[0].describe()
    lines = [f"The file has {total:,} problems; nothing was imported."]
    lines += [problem.describe() for problem in problems]
    if more:
        lines.append(f"and {more:,} more")
    return "\n".join(lines)


Message = str | Callable[[int], str]


class Problems:
    """Collects problems by row, cheaply, until ``raise_if_any``.

    Rows are 0-based positions in the parsed table; ``lines`` maps a row to its line number.
    A check adds a numpy array of bad rows and a message, or a function of the row that
    builds the message (called only for the problems that end up listed), so a file where a
    million rows are bad costs one array, not a million strings.
    """

    def __init__(self, lines: np.ndarray | None = None):
        self.lines = lines
        self._checks: list[tuple[np.ndarray, str | None, Message]] = []
        self._fixed: list[RowProblem] = []

    def add(self, line: int | None, column: str | None, message: str) -> None:
        """One problem at a known line (or for the whole file)."""
        self._fixed.append(RowProblem(line, column, message))

    def add_rows(self, rows: np.ndarray, column: str | None, message: Message) -> None:
        """One problem for each row in ``rows`` (0-based positions in the parsed table)."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size:
            self._checks.append((rows, column, message))

    def __bool__(self) -> bool:
        return bool(self._fixed or self._checks)

    def line_of(self, row: int) -> int:
        """The spreadsheet line number of a 0-based table row."""
        return int(self.lines[row]) if self.lines is not None else row + 2

    def raise_if_any(self) -> None:
        """Raise CsvImportError listing the first 200 problems by line, if there are any."""
        if not self:
            return
        keys: list[np.ndarray] = []
        for number, (rows, _column, _message) in enumerate(self._checks):
            lines = self.lines[rows] if self.lines is not None else rows + 2
            keys.append(np.stack([lines, np.full(rows.size, number), np.arange(rows.size)]))
        total = len(self._fixed) + sum(key.shape[1] for key in keys)
        listed = list(self._fixed)
        if keys:
            merged = np.concatenate(keys, axis=1)
            order = np.lexsort((merged[2], merged[1], merged[0]))[:MAX_LISTED_PROBLEMS]
            for line, number, position in merged[:, order].T:
                rows, column, message = self._checks[number]
                row = int(rows[position])
                text = message(row) if callable(message) else message
                listed.append(RowProblem(int(line), column, text))
        listed.sort(key=lambda p: -1 if p.line is None else p.line)
        shown = listed[:MAX_LISTED_PROBLEMS]
        raise CsvImportError(shown, more=total - len(shown))

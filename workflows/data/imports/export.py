"""CSV exports that a spreadsheet cannot run as formulas (SECURITY.md "CSV uploads").

Pure module: pandas and the standard library.
"""

from __future__ import annotations

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = r"^([=+\-@\t\r])"


def neutralise_cell(value: str) -> str:
    """Prefix ``'`` to a value that starts with ``= + - @``, a tab or a carriage return, so a
    spreadsheet shows it as text instead of evaluating it (``=HYPERLINK(...)`` ->
    ``'=HYPERLINK(...)``). Other values are returned unchanged."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def to_csv_safe(df: pd.DataFrame) -> str:
    """The frame as CSV text (comma-separated, "\\n" line endings, no index) with every text
    cell and header passed through ``neutralise_cell``. Numbers, dates and booleans are
    written as they are: a negative number is a number, not a formula."""
    columns = [_safe_column(df.iloc[:, position]) for position in range(df.shape[1])]
    out = pd.concat(columns, axis=1, ignore_index=True) if columns else pd.DataFrame()
    out.columns = [neutralise_cell(str(name)) for name in df.columns]
    text: str = out.to_csv(index=False, lineterminator="\n")
    return text


def _safe_column(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object)
    if column.dtype == object:
        return column.map(lambda v: neutralise_cell(v) if isinstance(v, str) else v)
    if pd.api.types.is_string_dtype(column.dtype):
        return column.str.replace(_FORMULA_START, r"'\1", regex=True)
    return column

"""CSV imports for the workflow reviews: run logs, downstream events, opportunities, AI spend.

Pure package: pandas, pyarrow, numpy and the standard library; no Django, no clock (pass
``as_of``, today's date, where future dates matter). PRODUCT.md section 3 says what each
file holds; SECURITY.md "CSV uploads" says how hostile files are treated. The flow is::

    text = read_upload(uploaded_bytes)            # size cap, binary check, encoding
    result = parse_run_log(text, as_of=today)     # or parse_events / parse_opportunities /
                                                  # parse_spend: typed pandas frames

A run log, which can run to a million rows, is read from the upload's bytes in place:
``parse_run_log(read_upload_utf8(uploaded_bytes), as_of=today)`` (same checks, same result,
no str in between; only a file that is not UTF-8 is transcoded).

Every parser checks every row and raises one ``CsvImportError`` listing the problems (line
numbers as a spreadsheet shows them, header = line 1), so nothing is ever half-imported.
Exports go through ``to_csv_safe`` so no cell starts a spreadsheet formula.
"""

from workflows.data.imports.dates import AMBIGUOUS_DATES, DATE_FORMAT_CHOICES, DATE_FORMATS
from workflows.data.imports.errors import MAX_LISTED_PROBLEMS, CsvImportError, RowProblem
from workflows.data.imports.events import EVENT_KINDS, parse_events
from workflows.data.imports.export import neutralise_cell, to_csv_safe
from workflows.data.imports.layout import (
    EUROPE,
    LOCALE_CHOICES,
    LOCALES,
    US,
    ImportSettings,
    Locale,
    locale_of,
    read_head,
    sniff_locale,
)
from workflows.data.imports.opportunities import (
    AI_FLAGS,
    OPPORTUNITY_COLUMNS,
    OPPORTUNITY_FIELDS,
    PRESET_KEY_COLUMNS,
    PRESETS,
    STAGES,
    parse_opportunities,
    stage_of,
    suggest_mapping,
)
from workflows.data.imports.runlog import RUN_LOG_COLUMNS, RunLogImport, parse_run_log
from workflows.data.imports.spend import SPEND_CATEGORIES, parse_spend
from workflows.data.imports.upload import (
    CsvBytes,
    read_upload,
    read_upload_head,
    read_upload_utf8,
)

__all__ = [
    "AI_FLAGS",
    "AMBIGUOUS_DATES",
    "DATE_FORMATS",
    "DATE_FORMAT_CHOICES",
    "EUROPE",
    "EVENT_KINDS",
    "LOCALES",
    "LOCALE_CHOICES",
    "MAX_LISTED_PROBLEMS",
    "OPPORTUNITY_COLUMNS",
    "OPPORTUNITY_FIELDS",
    "PRESETS",
    "PRESET_KEY_COLUMNS",
    "RUN_LOG_COLUMNS",
    "SPEND_CATEGORIES",
    "STAGES",
    "US",
    "CsvBytes",
    "CsvImportError",
    "ImportSettings",
    "Locale",
    "RowProblem",
    "RunLogImport",
    "locale_of",
    "neutralise_cell",
    "parse_events",
    "parse_opportunities",
    "parse_run_log",
    "parse_spend",
    "read_head",
    "read_upload",
    "read_upload_head",
    "read_upload_utf8",
    "sniff_locale",
    "stage_of",
    "suggest_mapping",
    "to_csv_safe",
]

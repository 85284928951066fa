"""Line breaks and control characters in user text: refused where a field is one line,
folded where an output cannot hold them.

Pure module: standard library only.

A one-line field (a name, a title, a tool) refuses line breaks with a field error
(``validate_one_line``). Outputs that hold one line (an email subject, an iCalendar
property, a Mermaid label, a chart label) pass text through ``one_line``, since rows saved
before the refusal existed may still hold a line break.

Line breaks are those of ``str.splitlines`` (CR, LF, VT, FF, the C1 NEL, the file, group and
record separators and the Unicode line and paragraph separators).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# Every character str.splitlines breaks on, and the other C0/C1 controls but the tab.
_LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
ONE_LINE_MESSAGE = "Keep this to one line: remove the line break."


def has_line_break(text: str) -> bool:
    """True when ``text`` holds any character ``str.splitlines`` breaks on."""
    return bool(_LINE_BREAKS.search(text))


def one_line(text: str) -> str:
    """``text`` on one line: each run of line breaks, tabs and control characters becomes one
    space, and the ends are trimmed."""
    folded = _CONTROLS.sub(" ", _LINE_BREAKS.sub(" ", text.replace("\t", " ")))
    return re.sub(r" {2,}", " ", folded).strip()


def validate_one_line(value: object) -> None:
    """Form validator for one-line fields.

    Raises:
        ValidationError: code ``line_break`` when ``value`` holds a line break.
    """
    if isinstance(value, str) and has_line_break(value):
        raise ValidationError(ONE_LINE_MESSAGE, code="line_break")

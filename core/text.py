"""Line breaks and control characters in user text: refused where a field is one line,
folded where an output cannot hold them.

Pure module: standard library only.

A one-line field (a name, a title, a tool) refuses line breaks with a field error
(``core.forms.validate_one_line``). Outputs that hold one line (an email subject, an iCalendar
property, a Mermaid label, a chart label) pass text through ``one_line``, since rows saved
before the refusal existed may still hold a line break.

Line breaks are those of ``str.splitlines`` (CR, LF, VT, FF, the C1 NEL, the file, group and
record separators and the Unicode line and paragraph separators).
"""

from __future__ import annotations

import re

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


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def printable(text: str) -> str:
    """``text`` with every control character but tab, LF and CR turned into a space, for
    formats that cannot hold them (XML 1.0, so SVG; HTML given to WeasyPrint; PDF text).
    Line and paragraph separators become a newline."""
    return _UNPRINTABLE.sub(
        " ", text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    )

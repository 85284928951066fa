"""What a browser would send: the forms of a page and their default submissions.

Used by the form round-trip sweep (``tests/test_form_round_trip.py``). A form's default
submission is what pressing Enter in it sends: every successful control as rendered, plus
the form's *default button*, the first submit button in tree order (HTML Living Standard,
4.10.21.2 "Implicit submission"; 4.10.21.4 "Constructing the entry list"). An element with
``hx-post`` inside a form sends the form's values too, with ``HX-Request`` and
``HX-Trigger-Name`` headers (htmx docs, "Parameters").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

SUBMIT_INPUT_TYPES = {"submit", "image"}
NOT_SENT_INPUT_TYPES = {"button", "reset", "file", "submit", "image"}


@dataclass(frozen=True)
class Submission:
    """One POST a browser would make from a rendered page."""

    page: str
    action: str
    data: tuple[tuple[str, str], ...]
    headers: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    describe: str = ""
    diverted: bool = False  # the default button's formaction sends Enter somewhere else

    @property
    def key(self) -> tuple[str, tuple[str, ...], str]:
        """Forms that post the same fields to the same place are the same case."""
        return (
            self.action,
            tuple(sorted({k for k, _ in self.data})),
            self.headers.get("HX-Trigger-Name", ""),
        )


def _is_submit_button(element: Tag) -> bool:
    if element.name == "button":
        return element.get("type", "submit").lower() == "submit"
    return element.name == "input" and element.get("type", "").lower() in SUBMIT_INPUT_TYPES


def _controls(form: Tag, soup: BeautifulSoup) -> list[Tag]:
    own = form.find_all(["input", "select", "textarea", "button"])
    form_id = form.get("id")
    if form_id:
        own += [e for e in soup.find_all(attrs={"form": form_id}) if e not in own]
    return own


def _textarea_value(element: Tag) -> str:
    # The HTML parser drops one newline right after <textarea>; BeautifulSoup keeps it.
    text = element.get_text()
    return text[1:] if text.startswith("\n") else text


def form_entries(form: Tag, soup: BeautifulSoup) -> list[tuple[str, str]]:
    """The entry list of ``form`` without any submitter, as a browser builds it."""
    entries: list[tuple[str, str]] = []
    for element in _controls(form, soup):
        name = element.get("name")
        if not name or element.has_attr("disabled") or _inside_disabled_fieldset(element):
            continue
        if element.name == "input":
            kind = element.get("type", "text").lower()
            if kind in NOT_SENT_INPUT_TYPES:
                continue
            if kind in {"checkbox", "radio"}:
                if element.has_attr("checked"):
                    entries.append((name, element.get("value", "on")))
                continue
            entries.append((name, element.get("value", "")))
        elif element.name == "textarea":
            entries.append((name, _textarea_value(element)))
        elif element.name == "select":
            options = element.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")]
            if not chosen and options and not element.has_attr("multiple"):
                chosen = [options[0]]
            for option in chosen:
                value = option.get("value")
                entries.append((name, option.get_text() if value is None else value))
    return entries


def _inside_disabled_fieldset(element: Tag) -> bool:
    parent = element.find_parent("fieldset")
    while parent is not None:
        if parent.has_attr("disabled"):
            return True
        parent = parent.find_parent("fieldset")
    return False


def submissions(page: str, html: str) -> list[Submission]:
    """Every POST form's default submission, and every htmx autosave control's request."""
    soup = BeautifulSoup(html, "html.parser")
    found: list[Submission] = []
    for form in soup.find_all("form"):
        htmx_action = form.get("hx-post")
        if form.get("method", "get").lower() != "post" and not htmx_action:
            continue
        entries = form_entries(form, soup)
        action = urljoin(page, form.get("action") or page)
        buttons = [e for e in _controls(form, soup) if _is_submit_button(e)]
        default = buttons[0] if buttons else None
        data = list(entries)
        label = "Enter"
        diverted = False
        if default is not None:
            if default.has_attr("disabled"):
                default = None  # a disabled default button blocks implicit submission
            else:
                diverted = bool(default.get("formaction"))
                action = urljoin(page, default.get("formaction") or action)
                if default.get("name"):
                    data.append((default["name"], default.get("value", "")))
                label = f"Enter (default button {default.get_text(strip=True) or default.get('value', '')!r})"
        if default is not None or len(buttons) == 0:
            found.append(
                Submission(page, _path(action), tuple(data), {}, f"{label} in a form", diverted)
            )
        # htmx controls that post on change (the intake's autosave fields).
        for element in _controls(form, soup):
            target = element.get("hx-post")
            if not target or _is_submit_button(element) or not element.get("name"):
                continue
            if element.has_attr("disabled"):
                continue
            headers = {"HX-Request": "true", "HX-Trigger-Name": element["name"]}
            if element.get("id"):
                headers["HX-Trigger"] = element["id"]
            found.append(
                Submission(
                    page,
                    _path(urljoin(page, target)),
                    tuple(entries),
                    headers,
                    f"autosave of {element['name']!r}",
                )
            )
    return found


def links(page: str, html: str) -> list[str]:
    """The paths of same-site links on the page, with their query strings."""
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for anchor in soup.find_all("a", href=True):
        target = urljoin(page, anchor["href"])
        parts = urlsplit(target)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")

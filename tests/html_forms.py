"""Read a form in a page as a browser would submit it, and what its selects show."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self.options: dict[str, list[tuple[str, str, bool]]] = {}
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._label: list[str] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("action") == self.action:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self.options[name] = []
        elif tag == "option" and self._select:
            self._option = (a.get("value", ""), "selected" in a)
            self._label = []
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_data(self, data):
        if self._option is not None:
            self._label.append(data)
        if self._textarea:
            self.values[self._textarea][0] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "option" and self._select and self._option is not None:
            value, selected = self._option
            self.options[self._select].append((value, "".join(self._label).strip(), selected))
            self._option = None
        elif tag == "select" and self._select:
            options = self.options[self._select]
            chosen = [v for v, _, s in options if s] or [v for v, _, _ in options[:1]]
            self.values[self._select] = chosen[:1]
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def read_form(page: str, action: str) -> _Form:
    form = _Form(action)
    form.feed(page)
    assert form.values or form.options, f"no form posting to {action} in the page"
    return form


def form_values(page: str, action: str) -> dict[str, str | list[str]]:
    """The values a browser submits for the form posting to ``action`` (no button)."""
    values = read_form(page, action).values
    return {k: v if len(v) != 1 else v[0] for k, v in values.items()}


def selected_labels(page: str, action: str) -> dict[str, str]:
    """For each select of the form, the label of the option it shows."""
    form = read_form(page, action)
    shown = {}
    for name, options in form.options.items():
        chosen = [label for _, label, selected in options if selected] or [options[0][1]]
        shown[name] = chosen[0]
    return shown


def option_value(page: str, action: str, select: str, label_start: str) -> str:
    """The value of the option of ``select`` whose label starts with ``label_start``."""
    options = read_form(page, action).options[select]
    return next(value for value, label, _ in options if label.startswith(label_start))

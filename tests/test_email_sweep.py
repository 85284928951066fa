"""Every email the app sends goes through ``core.mail``, with a plain-text and an HTML part.

The sweep reads the code base's syntax trees: a call that sends mail any other way
(``send_mail``, ``send_mass_mail``, ``mail_admins``, building an ``EmailMessage``) outside
``core/mail.py`` fails it, and so does a ``mail_send`` whose template is not a literal name
or whose template pair is missing. The SMTP test (``tests/core/test_mail_smtp.py``) sends
each of them through a real server and reads what arrives.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "core", "benchmark", "audits", "workflows", "reports", "demo")
EMAILS = ROOT / "templates" / "email"
MAIL_MODULE = ROOT / "core" / "mail.py"
# Django's ways to send that bypass the template pair.
FORBIDDEN_CALLS = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
}
OUR_SENDS = {"mail_send", "mail_message"}


def sources() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def _called_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def mail_calls(paths: list[Path] | None = None) -> list[tuple[Path, int, str, ast.Call]]:
    """Every call to a sending function in ``paths`` (default: the app's code):
    (file, line, name, call)."""
    found = []
    for path in sources() if paths is None else paths:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _called_name(node)
                if name in FORBIDDEN_CALLS | OUR_SENDS:
                    found.append((path, node.lineno, name, node))
    return found


def _template_of(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "template" and isinstance(keyword.value, ast.Constant):
            value = keyword.value.value
            return value if isinstance(value, str) else None
    return None


def test_no_email_is_sent_around_core_mail():
    stray = [
        f"{path.relative_to(ROOT)}:{line} calls {name}()"
        for path, line, name, _ in mail_calls()
        if name in FORBIDDEN_CALLS and path != MAIL_MODULE
    ]
    assert not stray, "send through core.mail.mail_send instead:\n" + "\n".join(stray)


def test_every_send_names_a_template_pair_that_exists():
    sends = [
        (path, line, call)
        for path, line, name, call in mail_calls()
        if name in OUR_SENDS and path != MAIL_MODULE
    ]
    assert len(sends) >= 5  # invitation, result link, reminder, reply, password reset
    problems = []
    for path, line, call in sends:
        where = f"{path.relative_to(ROOT)}:{line}"
        template = _template_of(call)
        if template is None:
            problems.append(f"{where}: template must be a literal name the sweep can check")
            continue
        for suffix in (".txt", ".html"):
            if not (EMAILS / f"{template}{suffix}").is_file():
                problems.append(f"{where}: templates/email/{template}{suffix} is missing")
        html = EMAILS / f"{template}.html"
        if html.is_file() and '{% extends "email/base.html" %}' not in html.read_text():
            problems.append(f"templates/email/{template}.html does not extend email/base.html")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted({p.stem for p in EMAILS.glob("*.*") if p.stem != "base"}))
def test_every_email_template_has_both_parts(name):
    assert (EMAILS / f"{name}.txt").is_file() and (EMAILS / f"{name}.html").is_file()


def test_the_sweep_sees_a_stray_send(tmp_path):
    """The sweep itself can fail: a module that sends around core.mail is caught."""
    stray = tmp_path / "stray.py"
    stray.write_text(
        "from django.core import mail\n"
        "def f():\n"
        "    mail.send_mail('s', 'b', None, [])\n"
        "    mail.EmailMessage('s', 'b').send()\n"
    )
    assert [name for _, _, name, _ in mail_calls([stray])] == ["send_mail", "EmailMessage"]

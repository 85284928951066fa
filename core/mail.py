"""The one way the app sends email: a plain-text part and an HTML part from one template pair.

Every email renders ``templates/email/<name>.txt`` (the plain-text body) and
``templates/email/<name>.html`` (the HTML alternative, which extends ``email/base.html``)
with the same context, so the two parts never say different things. The subject is folded
to one line, since a line break in a header would be a header injection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from core.text import one_line


def mail_message(
    *,
    to: Sequence[str],
    subject: str,
    template: str,
    context: Mapping[str, Any],
    reply_to: Sequence[str] = (),
) -> EmailMultiAlternatives:
    """Build (without sending) the two-part email ``template`` for ``to``.

    Args:
        to: recipient addresses.
        subject: the subject line; line breaks are folded to spaces.
        template: the name under ``templates/email/`` without extension, e.g. ``"invitation"``.
        context: the template context, shared by both parts.
        reply_to: addresses a reply goes to, if not the sender.

    Raises:
        django.template.TemplateDoesNotExist: either part of the template pair is missing.
    """
    text = render_to_string(f"email/{template}.txt", dict(context)).strip() + "\n"
    html = render_to_string(f"email/{template}.html", {**context, "subject": one_line(subject)})
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to) or None,
    )
    message.attach_alternative(html, "text/html")
    return message


def mail_send(
    *,
    to: Sequence[str],
    subject: str,
    template: str,
    context: Mapping[str, Any],
    reply_to: Sequence[str] = (),
) -> int:
    """Send the two-part email ``template`` to ``to`` now; returns the number sent (0 or 1).

    Call it from ``transaction.on_commit`` (or a task) so that no email leaves for a row that
    was rolled back. Raises what the email backend raises (``smtplib.SMTPException``,
    ``OSError``) so that a caller that must retry can.
    """
    return mail_message(
        to=to, subject=subject, template=template, context=context, reply_to=reply_to
    ).send()

"""Forms for sign-in, password reset, invitations and accepting them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from .mail import mail_send
from .models import Membership
from .text import ONE_LINE_MESSAGE, has_line_break


def validate_one_line(value: object) -> None:
    """Form validator for one-line fields (``core.text`` says which characters break).

    Raises:
        ValidationError: code ``line_break`` when ``value`` holds a line break.
    """
    if isinstance(value, str) and has_line_break(value):
        raise ValidationError(ONE_LINE_MESSAGE, code="line_break")


class OneLineFieldsMixin:
    """Refuse line breaks in every one-line text field of the form.

    A text field is one line unless its widget is a ``Textarea``; a line break typed or
    pasted into it would break the one-line outputs it reaches (an email subject, a
    calendar title, a chart label). Every form of the project takes this mixin, and
    ``tests/test_text_rules.py`` checks that each one refuses a line break.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.Textarea | forms.PasswordInput)
                and not getattr(field, "accepts_line_breaks", False)
            ):
                field.validators.append(validate_one_line)


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address (stored as the username, lower-cased)."""

    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Check the password; "
        "the email is not case-sensitive.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class InvitationForm(OneLineFieldsMixin, forms.Form):
    """Invite someone by email with a role; consultants are assigned by staff, not invited."""

    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(
        choices=[
            (Membership.Role.MEMBER, Membership.Role.MEMBER.label),
            (Membership.Role.CLIENT_ADMIN, Membership.Role.CLIENT_ADMIN.label),
        ]
    )


class InvitationSignupForm(OneLineFieldsMixin, forms.Form):
    """Create an account while accepting an invitation."""

    full_name = forms.CharField(max_length=200, label="Your name")
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not only numbers, not a common password.",
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, User(username=self.email, email=self.email))
        return password


class Form(OneLineFieldsMixin, forms.Form):
    """The project's Form: one-line text fields refuse line breaks."""


class ModelForm(OneLineFieldsMixin, forms.ModelForm):
    """The project's ModelForm: one-line text fields refuse line breaks."""


class TwoPartPasswordResetForm(OneLineFieldsMixin, PasswordResetForm):
    """Django's form, sending through ``core.mail`` like every other email: the plain-text
    and HTML pair ``templates/email/password_reset.*`` with the context Django builds (uid,
    token, email, user, plus ``site_url``)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = render_to_string(subject_template_name, context)
        mail_send(to=[to_email], subject=subject, template="password_reset", context=context)

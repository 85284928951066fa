"""Password reset: links from ``SITE_URL``, a per-address limit, and locks cleared once the
owner has proved they hold the mailbox."""

from __future__ import annotations

from urllib.parse import urlsplit

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpResponse, HttpResponseRedirect

from .forms import TwoPartPasswordResetForm
from .links import absolute_url
from .throttle import rate_limit


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, with the emailed link built from ``SITE_URL`` instead of the request's
    Host header (a foreign Host would otherwise put its own name in the link)."""

    form_class = TwoPartPasswordResetForm
    email_template_name = "email/password_reset.txt"  # and .html: TwoPartPasswordResetForm
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            extra_email_context={"site_url": absolute_url("")},
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password set through the emailed link also lifts every sign-in
    lock on the account (django-axes), so its owner can always get back in, however many
    failures someone else caused. Locks of addresses stay: they are not the account's."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        for name in {user.get_username().strip().lower(), user.email.strip().lower()} - {""}:
            axes_reset(username=name)
        return response


# Each request may send an email: a short limit per client address. Not per account or
# email: that would let anyone use up the owner's resets, their way back in.
password_reset = rate_limit(group="password-reset", rate_setting="RATELIMIT_PASSWORD_RESET")(
    PasswordResetView.as_view()
)
password_reset_confirm = PasswordResetConfirmView.as_view()

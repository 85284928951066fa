"""Password reset: links from ``SITE_URL``, a per-address limit, and locks cleared once the
owner has proved they hold the mailbox."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse, HttpResponseRedirect

from .links import absolute_url


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, with the emailed link built from ``SITE_URL`` instead of the request's
    Host header (a foreign Host would otherwise put its own name in the link)."""

    email_template_name = "registration/password_reset_email.txt"
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


password_reset = PasswordResetView.as_view()

"""A firm's branded link settings, the leads its link brings, and the audits they request."""

from __future__ import annotations

from django.db import models

from core.json import StrictJSONEncoder
from core.models import Organization, TimeStampedModel

DEFAULT_CONSENT_TEXT = (
    "I agree that {firm} may email me about my result and a Revenue Audit. "
    "I can withdraw this consent at any time."
)


class FirmProfile(TimeStampedModel):
    """How a consulting firm's benchmark link (``/b/<firm-slug>/``) looks and where it may
    be embedded.

    ``logo`` holds the image bytes (PNG or JPEG, checked by ``firms.branding.check_logo``;
    at most 200 KB, so a row is the simplest store) served by the link's own view with
    ``logo_content_type``. ``embed_origins`` lists the origins allowed to frame the embed
    path, each verbatim in ``frame-ancestors``. ``consent_text`` is what a respondent
    agrees to when giving an email; ``{firm}`` stands for the firm's name.
    """

    firm = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="firm_profile",
        limit_choices_to={"kind": "firm"},
    )
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    logo_content_type = models.CharField(max_length=16, blank=True)
    accent_color = models.CharField(max_length=7, blank=True, help_text="#rrggbb")
    embed_origins = models.JSONField(encoder=StrictJSONEncoder, default=list, blank=True)
    consent_text = models.TextField(max_length=1000, default=DEFAULT_CONSENT_TEXT)

    def __str__(self) -> str:
        return f"Benchmark link of {self.firm}"

    def consent_for(self, firm_name: str) -> str:
        """The consent text as shown, with the firm's name in place of ``{firm}``."""
        return self.consent_text.replace("{firm}", firm_name)


class Lead(TimeStampedModel):
    """A completed self-score taken through a firm's link: the firm's lead.

    ``nonce`` is the signed token's nonce of the run that made it (unique: a replayed final
    POST makes no second response). ``email`` is set only with consent, and then
    ``consent_text`` is the exact text the respondent saw and ``consented_at`` when.
    ``widest_gap`` (a dimension id) is copied from the result for listing and filtering.
    """

    class Source(models.TextChoices):
        LINK = "link", "Benchmark link"
        EMBED = "embed", "Embedded on the firm's site"

    firm = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="leads")
    response = models.OneToOneField(
        "benchmark.Response", on_delete=models.CASCADE, related_name="lead"
    )
    nonce = models.CharField(max_length=32, unique=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    widest_gap = models.CharField(max_length=32)
    email = models.EmailField(blank=True)
    consent_text = models.TextField(blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["firm", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email="") | ~models.Q(consent_text=""),
                name="lead_email_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"Lead of {self.firm} ({self.created_at:%Y-%m-%d})"


class AuditRequest(TimeStampedModel):
    """A "Request a Revenue Audit" sent from a result page: who asked, what they agreed to,
    and the client organization and draft audit it made in ``firm``'s pipeline.

    A second request from the same email to the same firm while its audit is still a draft
    (nobody has used the emailed link to submit) makes no new audit: the invitation is sent
    again and ``invitations_sent`` counts it.
    """

    firm = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(
        "benchmark.Response", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    email = models.EmailField()
    company = models.CharField(max_length=200)
    consent_text = models.TextField()
    invitations_sent = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["firm", "email"])]

    def __str__(self) -> str:
        return f"Audit request of {self.email} to {self.firm}"

"""Abstract models shared by the apps."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds ``created_at`` and ``updated_at`` (UTC datetimes) to a model."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Organization(TimeStampedModel):
    """A client company, or a consulting firm. Every org-owned object points here.

    A firm (``kind=FIRM``) holds its consultants as members and owns its clients through
    their ``firm``; the firm named by ``settings.DEFAULT_FIRM_SLUG`` owns the plain public
    self-score and every client that came without a firm's link.
    """

    class Kind(models.TextChoices):
        CLIENT = "client", "Client"
        FIRM = "firm", "Consulting firm"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    is_demo = models.BooleanField(default=False)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CLIENT)
    firm = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
        limit_choices_to={"kind": "firm"},
        help_text="The consulting firm whose pipeline this client is in (clients only).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="firm") | models.Q(firm__isnull=True),
                name="organization_firm_has_no_firm",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_firm(self) -> bool:
        return self.kind == self.Kind.FIRM


class Membership(TimeStampedModel):
    """A user's role in an organization.

    A consultant holds a CONSULTANT membership in each client organization assigned to them;
    that is the whole of "assignment", so one scoping rule serves every role.
    """

    class Role(models.TextChoices):
        CONSULTANT = "consultant", "Consultant"
        CLIENT_ADMIN = "client_admin", "Client admin"
        MEMBER = "member", "Member"

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.get_role_display()})"

    @property
    def is_consultant(self) -> bool:
        return self.role == self.Role.CONSULTANT

    @property
    def can_manage(self) -> bool:
        """Consultants and client admins invite people and manage the organization."""
        return self.role in (self.Role.CONSULTANT, self.Role.CLIENT_ADMIN)


class Invitation(TimeStampedModel):
    """An emailed link that adds ``email`` to ``organization`` with ``role``.

    Only the SHA-256 of the token is stored; the token itself is in the email. A link works
    once (``accepted_at``) and until ``expires_at``.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organization}"

"""Stored definitions, self-score responses and the peer histograms."""

from __future__ import annotations

import uuid

from django.db import models

from core.json import StrictJSONEncoder
from core.models import Organization, TimeStampedModel
from core.scoping import OrgScopedQuerySet

from .stored import StoredResult, stored_result_read


class RevenueBand(models.TextChoices):
    """Annual revenue bands, USD."""

    UNDER_5M = "lt5m", "Under $5M"
    FROM_5M = "5-20m", "$5M to $20M"
    FROM_20M = "20-50m", "$20M to $50M"
    FROM_50M = "50-200m", "$50M to $200M"
    OVER_200M = "gt200m", "Over $200M"


class BusinessModel(models.TextChoices):
    B2B = "b2b", "B2B"
    B2C = "b2c", "B2C"
    BOTH = "both", "Both B2B and B2C"


class TeamSize(models.TextChoices):
    """People in the marketing team."""

    XS = "1-5", "1 to 5"
    S = "6-15", "6 to 15"
    M = "16-50", "16 to 50"
    L = "51+", "51 or more"


class Definition(models.Model):
    """A benchmark definition version as it was when first used.

    ``data`` is the JSON file's content and ``checksum`` its SHA-256; a stored version is
    never rewritten, so every response can be re-read with exactly the definition it was
    scored with.
    """

    version = models.CharField(max_length=32, unique=True)
    data = models.JSONField(
        encoder=StrictJSONEncoder,
    )
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"Benchmark definition {self.version}"


class Response(TimeStampedModel):
    """A completed self-score.

    ``public_id`` (UUID4, 122 random bits) is the unguessable key of the result URL.
    ``answers`` and ``result`` are stored as computed with ``definition`` and never
    recomputed. ``overall_score`` (0..100) and ``tier`` are copied out of ``result`` for
    listing and the admin, as is ``low_confidence`` (too many "I don't know" answers to
    count among peers).
    """

    class Tier(models.TextChoices):
        BEHIND = "behind", "Behind"
        CATCHING_UP = "catching_up", "Catching Up"
        ON_PACE = "on_pace", "On Pace"
        AHEAD = "ahead", "Ahead"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
        help_text="Set when a signed-in member took the self-score; anonymous ones have none.",
    )
    respondent = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    definition = models.ForeignKey(Definition, on_delete=models.PROTECT, related_name="responses")
    revenue_band = models.CharField(max_length=16, choices=RevenueBand.choices)
    business_model = models.CharField(max_length=8, choices=BusinessModel.choices)
    team_size = models.CharField(max_length=8, choices=TeamSize.choices)
    answers = models.JSONField(
        encoder=StrictJSONEncoder,
    )
    result = models.JSONField(
        encoder=StrictJSONEncoder,
    )
    overall_score = models.DecimalField(max_digits=4, decimal_places=1)
    tier = models.CharField(max_length=16, choices=Tier.choices)
    email = models.EmailField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Demo data: never counted as peers.")
    low_confidence = models.BooleanField(
        default=False,
        help_text='More "I don\'t know" answers than the definition allows: never a peer.',
    )
    completed_at = models.DateTimeField()
    is_headline = models.BooleanField(
        default=False,
        help_text="The organization's score: the dashboard and the board report show this one.",
    )
    headline_marked_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["organization", "completed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall_score__gte=0, overall_score__lte=100),
                name="response_overall_score_0_100",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_headline=True),
                name="response_one_headline_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} {self.overall_score} ({self.public_id})"

    @property
    def scored(self) -> StoredResult:
        """``result`` read back typed, whatever format it was stored in."""
        return stored_result_read(self.result)

    @property
    def segment(self) -> str:
        """The peer segment key: revenue band, business model and team size."""
        return segment_key(self.revenue_band, self.business_model, self.team_size)


def segment_key(revenue_band: str, business_model: str, team_size: str) -> str:
    """The PeerBucket segment for a profile, e.g. ``"5-20m|b2b|6-15"``."""
    return f"{revenue_band}|{business_model}|{team_size}"


class PeerBucket(models.Model):
    """One bar of a score histogram: ``count`` completed responses in ``pool`` and
    ``segment`` scored ``value`` (a 0..1000 key, see ``benchmark.peers``) on ``metric``
    (``"overall"`` or a dimension id).

    Kept current on every submit and rebuilt by ``manage.py rebuild_peer_buckets``, so the
    result page reads a few hundred rows whatever the number of stored responses.
    """

    class Pool(models.TextChoices):
        REAL = "real", "Real responses"
        DEMO = "demo", "Demo responses"

    ALL_SEGMENT = "all"

    pool = models.CharField(max_length=8, choices=Pool.choices)
    segment = models.CharField(max_length=64)
    metric = models.CharField(max_length=32)
    value = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "segment", "metric", "value"], name="peerbucket_unique_bar"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool}/{self.segment}/{self.metric}={self.value}: {self.count}"

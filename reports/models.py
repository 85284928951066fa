"""Board reports: who asked, when, on which data, and the file."""

from __future__ import annotations

import uuid

from django.db import models

from core.json import StrictJSONEncoder
from core.models import Organization, TimeStampedModel
from core.scoping import OrgScopedQuerySet


class BoardReport(TimeStampedModel):
    """One requested board report. ``request_key`` makes rendering idempotent: a task run
    twice for the same report writes one file. ``progress`` is 0..100."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="board_reports"
    )
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    request_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    error = models.CharField(max_length=500, blank=True)
    data_as_of = models.JSONField(
        encoder=StrictJSONEncoder, default=dict, blank=True, help_text="Dates of the data used."
    )
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rendered_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="The process rendering it (host:pid:start), to find a render that died.",
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Board report of {self.organization} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)


class ChartImage(models.Model):
    """A chart drawn for a report, kept under the SHA-256 of everything that decides its SVG
    (the figure, the size, the renderer's versions): a frozen review's charts are drawn
    once. Not organization data on its own: only a holder of the figure finds its key."""

    key = models.CharField(max_length=64, primary_key=True)
    svg = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Chart {self.key[:12]}"

"""Each organization's storage quota for the files the app keeps: uploaded originals
(workflows ``DataImport``) and board report PDFs (reports ``BoardReport``).

Each app registers the models whose ``file`` it keeps (``kept_files_register`` in its
``AppConfig.ready``), so ``core`` counts them without importing any app.

Sizes are read from the storage, not stored in a column: the files are few per
organization (one per upload or report), a stat each is cheap, and the figure can never
drift from what is on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect

from .models import Organization
from .scoping import OrgRequest

MB = 1_000_000


@dataclass(frozen=True)
class KeptFiles:
    """One kind of file organizations keep: a model with an organization-scoped manager
    (``for_organization``) and a ``file`` field, and what to call its files."""

    model: type[Model]
    label: str


_KEPT_FILES: list[KeptFiles] = []


def kept_files_register(*, model: type[Model], label: str) -> None:
    """Count ``model.file`` against the quota (idempotent; in registration order)."""
    if all(kept.model is not model for kept in _KEPT_FILES):
        _KEPT_FILES.append(KeptFiles(model=model, label=label))


@dataclass(frozen=True)
class FilesUse:
    """What one kind of kept file takes for an organization."""

    label: str
    total_bytes: int
    count: int


@dataclass(frozen=True)
class StorageUse:
    """What an organization's kept files take, by kind, against its quota (bytes)."""

    kinds: tuple[FilesUse, ...]
    quota_bytes: int

    @property
    def used_bytes(self) -> int:
        return sum(kind.total_bytes for kind in self.kinds)

    @property
    def free_bytes(self) -> int:
        return max(0, self.quota_bytes - self.used_bytes)

    @property
    def is_full(self) -> bool:
        return self.used_bytes >= self.quota_bytes

    def describe(self) -> str:
        """One sentence: used of quota, and what uses it."""
        uses = ", ".join(
            f"{kind.label} {human_size(kind.total_bytes)} ({kind.count})" for kind in self.kinds
        )
        return (
            f"Your organization's files use {human_size(self.used_bytes)} of its "
            f"{human_size(self.quota_bytes)}: {uses}."
        )


class StorageQuotaExceededError(Exception):
    """A new file would take the organization past its quota; ``str()`` says what uses
    the space and how to free some."""

    def __init__(self, use: StorageUse) -> None:
        self.use = use
        super().__init__(
            f"Not stored: {use.describe()} Delete superseded board reports on the Reports "
            "page to make room."
        )


def human_size(n: int) -> str:
    """Bytes for people: "1.95 GB", "12.5 MB", "300 KB"."""
    if n >= 1000 * MB:
        return f"{n / (1000 * MB):.2f} GB".replace(".00 GB", " GB")
    if n >= MB or n == 0:
        return f"{n / MB:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(n / 1000))} KB"


def _files_use(kept: KeptFiles, organization: Organization) -> FilesUse:
    """Total bytes and count of the organization's files of one kind; a file missing from
    the storage counts as nothing."""
    storage = kept.model._meta.get_field("file").storage  # type: ignore[union-attr]
    names = (
        kept.model.objects.for_organization(organization)  # type: ignore[attr-defined]
        .exclude(file="")
        .values_list("file", flat=True)
    )
    total = count = 0
    for name in names:
        try:
            total += storage.size(name)
        except OSError:
            continue
        count += 1
    return FilesUse(label=kept.label, total_bytes=total, count=count)


def organization_storage_used(*, organization: Organization) -> StorageUse:
    """The organization's kept files against ``ORGANIZATION_STORAGE_QUOTA_BYTES``."""
    return StorageUse(
        kinds=tuple(_files_use(kept, organization) for kept in _KEPT_FILES),
        quota_bytes=settings.ORGANIZATION_STORAGE_QUOTA_BYTES,
    )


def storage_quota_check(*, organization: Organization, adding_bytes: int) -> StorageUse:
    """The organization's use, if ``adding_bytes`` more still fit (a new report, whose
    size is not known yet, adds 0: it is refused once the quota is reached).

    Raises:
        StorageQuotaExceededError: the new file would not fit, or the quota is reached.
    """
    use = organization_storage_used(organization=organization)
    if use.is_full or use.used_bytes + adding_bytes > use.quota_bytes:
        raise StorageQuotaExceededError(use)
    return use


View = Callable[..., HttpResponse]


def refuse_over_quota(view: View) -> View:
    """For an organization view (inside ``org_view``): a POST whose files would take the
    organization past its quota is not passed to the view; the page it came from shows
    why, with what uses the space."""

    @wraps(view)
    def wrapped(request: OrgRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and request.FILES:
            adding = sum(
                upload.size or 0
                for upload in request.FILES.values()
                if isinstance(upload, UploadedFile)
            )
            try:
                storage_quota_check(organization=request.organization, adding_bytes=adding)
            except StorageQuotaExceededError as exc:
                messages.error(request, str(exc))
                return redirect(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped

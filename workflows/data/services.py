"""Writes for review data from the web: keep an upload, queue a failed one again.

The column mapping that confirms an upload is ``column_services``; the background import
itself is ``processing``.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile

from core.models import Organization
from core.tasks import enqueue_on_commit

from ..models import CandidateWorkflow, DataImport
from ..tasks import data_import_process_task
from .column_services import data_import_head_text, data_import_refuse
from .imports import CsvImportError


def data_import_create(
    *,
    workflow: CandidateWorkflow,
    organization: Organization,
    kind: str,
    upload: UploadedFile,
    user: User | None,
    now: datetime,
) -> DataImport:
    """Keep the uploaded file, waiting for its column mapping (nothing is queued until the
    user confirms it, ``column_services.data_import_confirm``). A file that is not a
    readable CSV at all (binary, empty, a broken encoding) is refused at once instead."""
    data_import = DataImport.objects.create(
        organization=organization,
        workflow=workflow,
        kind=kind,
        file=upload,
        original_name=(upload.name or "upload.csv")[:255],
        status=DataImport.Status.MAPPING,
        created_by=user,
    )
    try:
        data_import_head_text(data_import=data_import)
    except CsvImportError as error:
        data_import_refuse(data_import=data_import, error=error, now=now)
        data_import.refresh_from_db()
    return data_import


def data_import_retry(*, data_import: DataImport, now: datetime) -> bool:
    """Queue a retryable failed import again (its task after commit). False when there is
    nothing to retry: it is not failed, or the file itself was refused."""
    if not data_import.can_retry:
        return False
    requeued = bool(
        DataImport.objects.filter(pk=data_import.pk, status=DataImport.Status.FAILED)
        .exclude(failure=DataImport.Failure.INVALID)
        .update(
            status=DataImport.Status.QUEUED,
            failure="",
            progress=0,
            message="",
            problems=[],
            updated_at=now,
        )
    )
    if requeued:
        enqueue_on_commit(data_import_process_task, data_import.pk)
    return requeued

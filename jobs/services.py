"""Starting background jobs: imports (check, then commit) and large exports."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.exports import Exporter
from core.imports import Importer
from jobs.models import Job

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@transaction.atomic
def import_start(*, user: User, importer: type[Importer], upload: UploadedFile) -> Job:
    """Keep an uploaded file and queue its check; the job page shows the outcome."""
    from jobs.tasks import import_check

    if not user.has_perm(importer.permission):
        raise ValidationError(_("You do not have the right to run this import."))
    name = upload.name or "upload"
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 20 MB; split it into smaller files."))
    job = Job.objects.create(kind=Job.Kind.IMPORT, name=importer.name, user=user, source_name=name)
    job.source.save(name, upload, save=True)
    transaction.on_commit(lambda: import_check.delay(job.pk))
    return job


@transaction.atomic
def import_confirm(*, user: User, job: Job) -> Job:
    """Queue the writing of a checked, clean import (the user's "Import" button)."""
    from jobs.tasks import import_commit

    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.user_id != user.pk:
        raise ValidationError(_("This is not your import."))
    if job.status != Job.Status.CHECKED:
        raise ValidationError(_("This import is not waiting for confirmation."))
    if any(issue["level"] == "error" for issue in job.errors):
        raise ValidationError(
            _("Fix the problems in the file and upload it again; nothing was imported.")
        )
    transaction.on_commit(lambda: import_commit.delay(job.pk))
    return job


@transaction.atomic
def export_start(*, user: User, exporter: type[Exporter], params: dict[str, Any], fmt: str) -> Job:
    """Queue a large export; its job page shows the progress, then the download link."""
    from jobs.tasks import export_run

    if not user.has_perm(exporter.permission):
        raise ValidationError(_("You do not have the right to run this export."))
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(_("Choose CSV or XLSX."))
    job = Job.objects.create(
        kind=Job.Kind.EXPORT,
        name=exporter.name,
        user=user,
        params={"filters": params, "format": fmt},
        source_name=f"{exporter.title}.{fmt}",
    )
    transaction.on_commit(lambda: export_run.delay(job.pk))
    return job

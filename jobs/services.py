"""Starting background jobs: imports (check, then commit) and large exports."""

import datetime
import logging
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.exports import Exporter
from core.imports import Importer
from jobs.models import Job, OutboxMail

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

QUEUED_BROKER_DOWN = gettext_lazy(
    "The background service is unavailable right now. The job is queued and will start by "
    "itself as soon as the service is back; you can leave this page."
)
CONFIRM_BROKER_DOWN = gettext_lazy(
    "The background service is unavailable right now; nothing was imported. Try again in a few "
    "minutes."
)
JOB_STALLED = gettext_lazy(
    "The job stopped responding several times (the background service was restarted or ran out "
    "of memory); nothing more will be tried. Start it again, or tell the administrator."
)
IMPORT_INTERRUPTED = gettext_lazy(
    "The import was interrupted before it finished; nothing was written. Confirm it again."
)


# The job tasks are found by name in the Celery app, whose start-up imports every tasks module in
# any process (config/apps.py): jobs.tasks calls this module, so this one must not import it.
IMPORT_CHECK = "jobs.tasks.import_check"
IMPORT_COMMIT = "jobs.tasks.import_commit"
EXPORT_RUN = "jobs.tasks.export_run"


def job_task(name: str) -> Task:
    return current_app.tasks[name]


def broker_errors() -> tuple[type[BaseException], ...]:
    """What publishing a task raises when the broker cannot be reached."""
    from kombu.exceptions import OperationalError

    errors: list[type[BaseException]] = [OperationalError, OSError]
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is installed with celery[redis]
        pass
    else:
        errors.append(RedisError)
    return tuple(errors)


def send_task(task: Task, job_id: int) -> bool:
    """Publish one job task; False (logged, the job left as it is) when the broker is down.

    Publishing is not retried here: the user is waiting. The sweeper queues pending jobs again."""
    try:
        task.apply_async(args=[job_id], retry=False)
    except broker_errors() as error:
        logger.warning("could not queue job %s: %s", job_id, error)
        return False
    return True


def _queue_pending(job: Job) -> bool:
    """Queue a pending job's task; when the broker is down, the job says so and waits for the
    sweeper, which queues it again once the broker is back."""
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    task = job_task(EXPORT_RUN if job.kind == Job.Kind.EXPORT else IMPORT_CHECK)
    if send_task(task, job.pk):
        return True
    job.message = str(QUEUED_BROKER_DOWN)
    Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(message=job.message)
    return False


@transaction.atomic
def import_start(*, user: User, importer: type[Importer], upload: UploadedFile) -> Job:
    """Keep an uploaded file and queue its check; the job page shows the outcome."""
    if not user.has_perm(importer.permission):
        raise ValidationError(_("You do not have the right to run this import."))
    name = upload.name or "upload"
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 20 MB; split it into smaller files."))
    job = Job.objects.create(kind=Job.Kind.IMPORT, name=importer.name, user=user, source_name=name)
    job.source.save(name, upload, save=True)
    transaction.on_commit(lambda: _queue_pending(job))
    return job


@transaction.atomic
def import_confirm(*, user: User, job: Job) -> Job:
    """Queue the writing of a checked, clean import (the user's "Import" button)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.user_id != user.pk:
        raise ValidationError(_("This is not your import."))
    if job.status != Job.Status.CHECKED:
        raise ValidationError(_("This import is not waiting for confirmation."))
    if any(issue["level"] == "error" for issue in job.errors):
        raise ValidationError(
            _("Fix the problems in the file and upload it again; nothing was imported.")
        )

    def queue() -> None:
        if not send_task(job_task(IMPORT_COMMIT), job.pk):
            job.message = str(CONFIRM_BROKER_DOWN)
            Job.objects.filter(pk=job.pk, status=Job.Status.CHECKED).update(message=job.message)

    transaction.on_commit(queue)
    return job


@transaction.atomic
def export_start(*, user: User, exporter: type[Exporter], params: dict[str, Any], fmt: str) -> Job:
    """Queue a large export; its job page shows the progress, then the download link."""
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
    transaction.on_commit(lambda: _queue_pending(job))
    return job


def _stale(cutoff: datetime.datetime) -> Q:
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)


def sweep_jobs(*, now: datetime.datetime | None = None) -> str:
    """Keep every job moving (run by beat every minute).

    - pending jobs not started within JOB_STALE_SECONDS (their dispatch failed, or the broker
      lost them) are queued again;
    - checks and exports whose heartbeat is older than that (their worker died) start over, up
      to JOB_MAX_ATTEMPTS times, then fail with a message;
    - an interrupted commit wrote nothing (one transaction): the import waits to be confirmed
      again."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    stale = Job.objects.filter(_stale(cutoff))
    requeued = failed = 0
    for job in stale.filter(status__in=[Job.Status.CHECKING, Job.Status.RUNNING]):
        if job.kind == Job.Kind.IMPORT and job.status == Job.Status.RUNNING:
            Job.objects.filter(pk=job.pk, status=job.status).update(
                status=Job.Status.CHECKED, message=str(IMPORT_INTERRUPTED), heartbeat_at=now
            )
            failed += 1
        elif job.attempts >= settings.JOB_MAX_ATTEMPTS:
            Job.objects.filter(pk=job.pk, status=job.status).update(
                status=Job.Status.FAILED, message=str(JOB_STALLED), finished_at=now
            )
            failed += 1
        elif Job.objects.filter(pk=job.pk, status=job.status).update(
            status=Job.Status.PENDING, processed=0
        ):
            requeued += _queue_pending(job)
    for job in Job.objects.filter(_stale(cutoff), status=Job.Status.PENDING):
        requeued += _queue_pending(job)
    summary = f"{requeued} job(s) queued again, {failed} stalled job(s) ended."
    if requeued or failed:
        logger.warning("job sweeper: %s", summary)
    return summary


def cleanup_jobs(*, now: datetime.datetime | None = None) -> int:
    """Delete finished jobs older than JOB_RETENTION_DAYS with their files, and the e-mails of
    the outbox that left (or were given up) as long ago (daily)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.JOB_RETENTION_DAYS)
    deleted = 0
    for job in Job.objects.filter(updated_at__lt=cutoff).exclude(status__in=Job.ACTIVE):
        for field in (job.source, job.result):
            if field:
                field.delete(save=False)
        job.delete()
        deleted += 1
    OutboxMail.objects.filter(updated_at__lt=cutoff).exclude(
        status=OutboxMail.Status.PENDING
    ).delete()
    return deleted

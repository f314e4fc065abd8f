"""Tasks of the shared job machinery: checking and committing imports, writing large exports,
and the ticks that keep jobs moving (the sweeper, the mail outbox, the cleanup of old jobs).

Every job task is acknowledged late and safe to run again: it first claims its job by a
conditional update of the status, so a second delivery of the same job id does nothing. Every
failure ends the job with a readable message instead of leaving it active."""

import logging
import tempfile
import time
from collections.abc import Callable

from celery import shared_task
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.services import notify
from audit.context import IMPORT, history_actor
from audit.models import AuditEvent
from audit.services import audit_record, prune_audit_events
from core.exports import EXPORTERS, write_export
from core.imports import Issue, check_file, commit_file, get_importer, issues_workbook
from jobs import mail, services
from jobs.models import Job
from jobs.scheduling import recorded

logger = logging.getLogger(__name__)

IMPORT_UNREADABLE = _(
    "The file could not be read (%(error)s). Save it again as an .xlsx workbook or a UTF-8 .csv "
    "file and upload it again."
)
JOB_CRASHED = _(
    "The job stopped because of an unexpected error (%(error)s); nothing was changed. Try again, "
    "or tell the administrator if it happens again."
)
DATA_CHANGED = _("The data changed since the check; nothing was imported. See the problems below.")

# Late acknowledgement: a message is removed from the broker only once the task has finished, so
# a worker killed mid-job leaves it to be delivered again (the claim makes that harmless).
JOB_TASK = {"acks_late": True, "reject_on_worker_lost": True}


def _progress(job_id: int) -> Callable[[int], int]:
    return lambda processed: Job.objects.filter(pk=job_id).update(
        processed=processed, heartbeat_at=timezone.now()
    )


def _claim(job_id: int, expected: str, status: str) -> Job | None:
    """Move the job from `expected` to `status` unless another delivery did so first."""
    claimed = Job.objects.filter(pk=job_id, status=expected).update(
        status=status, heartbeat_at=timezone.now(), message="", attempts=F("attempts") + 1
    )
    return Job.objects.select_related("user").get(pk=job_id) if claimed else None


def _fail(job_id: int, message: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, message=message[:2000], finished_at=now, heartbeat_at=now
    )


def _describe(error: BaseException) -> str:
    return (str(error) or type(error).__name__)[:300]


def _store_issues(job: Job, issues: list[Issue]) -> None:
    job.errors = [issue.as_dict() for issue in issues]
    if job.result:
        job.result.delete(save=False)
    if issues:
        job.result.save(
            f"problems-{job.pk}.xlsx", ContentFile(issues_workbook(job.errors)), save=False
        )


@shared_task(**JOB_TASK)
def import_check(job_id: int) -> None:
    """Check an uploaded file row by row: the job then lists every problem, or waits to commit."""
    job = _claim(job_id, Job.Status.PENDING, Job.Status.CHECKING)
    if job is None:
        return
    started = time.monotonic()
    try:
        importer = get_importer(job.name)(job.user)
        with job.source.open("rb") as file:
            result = check_file(importer, file, job.source_name, _progress(job.pk))
        job.refresh_from_db()
        job.total = job.processed = result.total
        _store_issues(job, result.issues)
        job.status = Job.Status.CHECKED
        job.heartbeat_at = timezone.now()
        job.save()
    except Exception as error:
        logger.exception("import check of job %s failed", job_id)
        _fail(job_id, str(IMPORT_UNREADABLE % {"error": _describe(error)}))
        return
    _log_job(job, started)


@shared_task(**JOB_TASK)
def import_commit(job_id: int) -> None:
    """Write a checked, clean file in one transaction; calling it again does nothing."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != Job.Status.CHECKED or any(e["level"] == "error" for e in job.errors):
            return
        job.status = Job.Status.RUNNING
        job.processed = 0
        job.message = ""
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "processed", "message", "heartbeat_at", "updated_at"])
    started = time.monotonic()
    try:
        importer = get_importer(job.name)(job.user)
        # The rows written are authored by "import" and the job's user in the change history.
        with history_actor(job.user, via=IMPORT), job.source.open("rb") as file:
            result, written = commit_file(importer, file, job.source_name, _progress(job.pk))
    except Exception as error:
        logger.exception("import commit of job %s failed", job_id)
        _fail(job_id, str(JOB_CRASHED % {"error": _describe(error)}))
        return
    job.refresh_from_db()
    job.total = job.processed = result.total
    link = reverse("jobs:detail", args=[job.pk])
    if result.errors:
        # The data changed between the check and the commit (a product was deleted…).
        _store_issues(job, result.issues)
        job.status = Job.Status.CHECKED
        job.message = str(DATA_CHANGED)
        job.save()
        return
    job.written = written
    job.status = Job.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    _log_job(job, started)
    audit_record(
        action=AuditEvent.Action.IMPORT,
        actor=job.user,
        obj=job,
        label=job.source_name,
        details={"importer": job.name, "rows": written},
    )
    notify(
        user=job.user,
        text=format_lazy(
            _("Import of “{name}” finished: {count} rows written."),
            name=job.source_name,
            count=written,
        ),
        link=link,
    )


@shared_task(**JOB_TASK)
def export_run(job_id: int) -> None:
    """Write a queued export into the job's result file; calling it again does nothing."""
    job = _claim(job_id, Job.Status.PENDING, Job.Status.RUNNING)
    if job is None:
        return
    started = time.monotonic()
    fmt = job.params.get("format", "csv")
    try:
        exporter = EXPORTERS[job.name](job.user, job.params.get("filters", {}))
        Job.objects.filter(pk=job.pk).update(total=exporter.count())
        with tempfile.TemporaryFile() as spool:
            written = write_export(exporter, fmt, spool, _progress(job.pk))
            spool.seek(0)
            job.refresh_from_db()
            if job.result:
                job.result.delete(save=False)
            job.result.save(
                f"{job.name}-{timezone.localdate():%Y%m%d}-{job.pk}.{fmt}", File(spool), save=False
            )
    except Exception as error:
        logger.exception("export job %s failed", job_id)
        _fail(job_id, str(JOB_CRASHED % {"error": _describe(error)}))
        return
    job.written = job.processed = job.total = written
    job.status = Job.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    _log_job(job, started)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        actor=job.user,
        obj=job,
        label=job.source_name,
        details={"export": job.name, "rows": written, "format": fmt, "filters": job.params},
    )
    notify(
        user=job.user,
        text=format_lazy(
            _("Your export “{name}” is ready: {count} rows."), name=job.source_name, count=written
        ),
        link=reverse("jobs:detail", args=[job.pk]),
    )


def _log_job(job: Job, started: float) -> None:
    logger.info(
        "job %s %s %s %s rows=%s duration_ms=%d user=%s",
        job.pk,
        job.kind,
        job.name,
        job.status,
        job.total,
        (time.monotonic() - started) * 1000,
        job.user_id,
    )


@shared_task(name="jobs.tasks.sweep_jobs")
def sweep_jobs() -> str:
    """The beat tick that keeps jobs moving: queues again the jobs whose dispatch failed (the
    broker was down) and those whose worker went silent, and fails those that keep stalling."""
    return services.sweep_jobs()


@shared_task(name="jobs.tasks.deliver_mails")
def deliver_mails() -> str:
    """The outbox tick: send the e-mails whose next attempt is due."""
    outcome = mail.deliver_due()
    return f"{outcome.sent} sent, {outcome.retrying} to retry, {outcome.given_up} given up."


@shared_task(name="jobs.tasks.cleanup_jobs")
@recorded("cleanup-jobs")
def cleanup_jobs() -> str:
    deleted = services.cleanup_jobs()
    return str(_("%(count)d old job(s) deleted with their files.") % {"count": deleted})


@shared_task(name="jobs.tasks.prune_audit_log")
@recorded("prune-audit-log")
def prune_audit_log() -> str:
    deleted = prune_audit_events()
    return str(
        _("%(count)d audit log entries older than the retention period deleted.")
        % {"count": deleted}
    )

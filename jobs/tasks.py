"""Tasks of the shared job machinery: checking and committing imports, writing large exports."""

import tempfile
from collections.abc import Callable

from celery import shared_task
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.services import notify
from core.exports import EXPORTERS, write_export
from core.imports import Issue, check_file, commit_file, get_importer, issues_workbook
from jobs.models import Job


def _progress(job_id: int) -> Callable[[int], int]:
    return lambda processed: Job.objects.filter(pk=job_id).update(processed=processed)


def _store_issues(job: Job, issues: list[Issue]) -> None:
    job.errors = [issue.as_dict() for issue in issues]
    if job.result:
        job.result.delete(save=False)
    if issues:
        job.result.save(
            f"problems-{job.pk}.xlsx", ContentFile(issues_workbook(job.errors)), save=False
        )


@shared_task
def import_check(job_id: int) -> None:
    """Check an uploaded file row by row: the job then lists every problem, or waits to commit."""
    job = Job.objects.get(pk=job_id)
    if job.status != Job.Status.PENDING:
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CHECKING)
    importer = get_importer(job.name)(job.user)
    with job.source.open("rb") as file:
        result = check_file(importer, file, job.source_name, _progress(job.pk))
    job.refresh_from_db()
    job.total = job.processed = result.total
    _store_issues(job, result.issues)
    job.status = Job.Status.CHECKED
    job.save()


@shared_task
def import_commit(job_id: int) -> None:
    """Write a checked, clean file in one transaction; calling it again does nothing."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != Job.Status.CHECKED or any(e["level"] == "error" for e in job.errors):
            return
        job.status = Job.Status.RUNNING
        job.processed = 0
        job.save(update_fields=["status", "processed", "updated_at"])
    importer = get_importer(job.name)(job.user)
    try:
        with job.source.open("rb") as file:
            result, written = commit_file(importer, file, job.source_name, _progress(job.pk))
    except Exception as error:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    job.total = job.processed = result.total
    link = reverse("jobs:detail", args=[job.pk])
    if result.errors:
        # The data changed between the check and the commit (a product was deleted…).
        _store_issues(job, result.issues)
        job.status = Job.Status.CHECKED
        job.message = str(
            _("The data changed since the check; nothing was imported. See the problems below.")
        )
        job.save()
        return
    job.written = written
    job.status = Job.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    notify(
        user=job.user,
        text=format_lazy(
            _("Import of “{name}” finished: {count} rows written."),
            name=job.source_name,
            count=written,
        ),
        link=link,
    )


@shared_task
def export_run(job_id: int) -> None:
    """Write a queued export into the job's result file; calling it again does nothing."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != Job.Status.PENDING:
            return
        job.status = Job.Status.RUNNING
        job.save(update_fields=["status", "updated_at"])
    fmt = job.params.get("format", "csv")
    exporter = EXPORTERS[job.name](job.user, job.params.get("filters", {}))
    try:
        Job.objects.filter(pk=job.pk).update(total=exporter.count())
        with tempfile.TemporaryFile() as spool:
            written = write_export(exporter, fmt, spool, _progress(job.pk))
            spool.seek(0)
            job.refresh_from_db()
            job.result.save(
                f"{job.name}-{timezone.localdate():%Y%m%d}-{job.pk}.{fmt}", File(spool), save=False
            )
    except Exception as error:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    job.written = job.processed = job.total = written
    job.status = Job.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    notify(
        user=job.user,
        text=format_lazy(
            _("Your export “{name}” is ready: {count} rows."), name=job.source_name, count=written
        ),
        link=reverse("jobs:detail", args=[job.pk]),
    )

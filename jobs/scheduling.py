"""The fixed periodic jobs: what they are called, when they run, and a record of every run."""

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.context import JOB, history_actor
from jobs.models import JobRun

P = ParamSpec("P")
logger = logging.getLogger(__name__)

# Shown to the admin instead of Celery's errors, which name internal tasks.
JOB_UNKNOWN = _("This job is not available in this installation; tell the administrator.")
JOB_NOT_QUEUED = _(
    "The background service is unavailable right now, so the job was not started. Try again in "
    "a few minutes."
)
JOB_RUN_FAILED = _("The job failed. Its outcome appears below.")

LABELS: dict[str, tuple[Promise, Promise]] = {
    "detect-customer-loss": (
        _("Customer loss detection"),
        _("Opens a loss warning for every customer without an order for more than six months."),
    ),
    "birthday-reminders": (
        _("Birthday reminders"),
        _(
            "Tells customer managers about their contacts' birthdays today, "
            "by notification and e-mail."
        ),
    ),
    "task-reminders": (
        _("Task reminders"),
        _("Reminds the owners of tasks whose reminder time has come, once per task."),
    ),
    "task-digests": (
        _("Morning digest"),
        _(
            "E-mails each rep their day: today's and overdue tasks, plan items due, birthdays "
            "and loss warnings."
        ),
    ),
    "report-subscriptions": (
        _("Scheduled report e-mails"),
        _("Sends the report subscriptions that are due."),
    ),
    "prune-audit-log": (
        _("Audit log retention"),
        _("Deletes the audit log entries older than the retention period."),
    ),
    "prune-idempotency-keys": (
        _("API idempotency keys retention"),
        _("Deletes the API's idempotency keys older than their retention period."),
    ),
    "cleanup-jobs": (
        _("Cleanup of old jobs"),
        _("Deletes finished imports and exports, with their files, after the retention period."),
    ),
    "expire-quotes": (
        _("Quote expiry"),
        _("Marks the sent quotes whose validity has passed as expired."),
    ),
}


@dataclass
class ScheduledJob:
    name: str
    task: str
    label: str
    description: str
    schedule: str
    last_run: JobRun | None = None


def scheduled_jobs() -> list[ScheduledJob]:
    """The jobs of the beat schedule in settings, each with its latest run (the ticks that only
    keep the machinery moving, such as the job sweeper, are not listed)."""
    jobs = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        if name not in LABELS:
            continue
        label, description = LABELS[name]
        jobs.append(
            ScheduledJob(
                name=name,
                task=entry["task"],
                label=str(label),
                description=str(description),
                schedule=describe_schedule(entry["schedule"]),
                last_run=JobRun.objects.filter(name=name).first(),
            )
        )
    return jobs


def describe_schedule(schedule: Any) -> str:
    hours, minutes = sorted(schedule.hour), sorted(schedule.minute)
    if len(hours) == 1 and len(minutes) == 1:
        return str(_("Daily at %(time)s")) % {"time": f"{hours[0]:02d}:{minutes[0]:02d}"}
    if len(hours) == 24 and len(minutes) > 1:
        step = minutes[1] - minutes[0]
        if step == 1:
            return str(_("Every minute"))
        return str(_("Every %(minutes)d minutes")) % {"minutes": step}
    return str(schedule)


def recent_runs(name: str, limit: int = 10) -> QuerySet[JobRun]:
    return JobRun.objects.filter(name=name).select_related("triggered_by")[:limit]


def recorded(name: str) -> Callable[[Callable[P, str]], Callable[..., str]]:
    """Record each run of a periodic job (start, end, outcome, the summary it returns)."""

    def decorate(function: Callable[P, str]) -> Callable[..., str]:
        @functools.wraps(function)
        def wrapper(*args: Any, triggered_by: int | None = None, **kwargs: Any) -> str:
            run = JobRun.objects.create(name=name, triggered_by_id=triggered_by)
            try:
                # Changes a job makes are authored by "job" in the change history; the summary is
                # kept for the administrators, in the site's language.
                with history_actor(None, via=JOB), translation.override(settings.LANGUAGE_CODE):
                    summary = str(function(*args, **kwargs))
            except Exception as error:
                run.status = JobRun.Status.FAILED
                run.message = f"{type(error).__name__}: {error}"[:2000]
                run.finished_at = timezone.now()
                run.save(update_fields=["status", "message", "finished_at"])
                raise
            run.status = JobRun.Status.SUCCEEDED
            run.message = summary
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "message", "finished_at"])
            return summary

        return wrapper

    return decorate


def run_now(*, name: str, user: User) -> None:
    """Queue a fixed job outside its schedule (the admin's "run now")."""
    from jobs.services import broker_errors

    entry = settings.CELERY_BEAT_SCHEDULE[name]
    try:
        task = current_app.tasks[entry["task"]]
    except KeyError:
        logger.error("run now: task %s of %s is not registered", entry["task"], name)
        raise ValidationError(JOB_UNKNOWN) from None
    try:
        task.apply_async(kwargs={"triggered_by": user.pk}, retry=False)
    except broker_errors() as error:
        logger.warning("run now: could not queue %s: %s", name, error)
        raise ValidationError(JOB_NOT_QUEUED) from None
    except Exception as error:
        # Eager mode (no broker) runs the job here; its run records the outcome.
        logger.exception("run now: %s failed", name)
        raise ValidationError(JOB_RUN_FAILED) from error

"""Periodic jobs of the tasks module (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from jobs.scheduling import recorded
from tasks import services


@shared_task(
    name="tasks.tasks.send_task_reminders",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=3,
)
@recorded("task-reminders")
def send_task_reminders() -> str:
    sent = services.send_task_reminders()
    return f"{sent} task reminder(s) sent."


@shared_task(
    name="tasks.tasks.send_task_digests",
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=3,
)
@recorded("task-digests")
def send_task_digests() -> str:
    sent = services.send_task_digests()
    return f"{sent} task digest(s) sent."

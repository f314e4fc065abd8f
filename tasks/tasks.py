"""Periodic jobs of the tasks module (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils.translation import gettext as _

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
    return _("%(count)d task reminder(s) sent.") % {"count": sent}

"""Periodic jobs of the customers module (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from jobs.scheduling import recorded
from sales import services


@shared_task(name="sales.tasks.detect_customer_loss")
@recorded("detect-customer-loss")
def detect_customer_loss() -> str:
    opened = services.detect_customer_loss()
    return f"{opened} loss warning(s) opened."


@shared_task(
    name="sales.tasks.send_birthday_reminders",
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=3,
)
@recorded("birthday-reminders")
def send_birthday_reminders() -> str:
    sent = services.send_birthday_reminders()
    return f"{sent} birthday reminder(s) sent."

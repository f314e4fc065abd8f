"""Periodic jobs of the customers module (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from jobs.scheduling import recorded
from sales import services


@shared_task(name="sales.tasks.detect_customer_loss")
@recorded("detect-customer-loss")
def detect_customer_loss() -> str:
    opened = services.detect_customer_loss()
    return f"{opened} loss warning(s) opened."


@shared_task(name="sales.tasks.send_birthday_reminders")
@recorded("birthday-reminders")
def send_birthday_reminders() -> str:
    """E-mails the mail server refuses stay in the outbox (retried by the outbox tick): the run
    reports them, and the reminders and notifications are kept."""
    run = services.send_birthday_reminders()
    summary = f"{run.reminded} birthday reminder(s) sent."
    if run.mail_failed:
        summary += f" {run.mail_failed} e-mail(s) not delivered yet; retried by the outbox."
    return summary

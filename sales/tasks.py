"""Periodic jobs of the customers module (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils.translation import gettext as _

from jobs.scheduling import recorded
from sales import services


@shared_task(name="sales.tasks.detect_customer_loss")
@recorded("detect-customer-loss")
def detect_customer_loss() -> str:
    opened = services.detect_customer_loss()
    return _("%(count)d loss warning(s) opened.") % {"count": opened}


@shared_task(name="sales.tasks.send_birthday_reminders")
@recorded("birthday-reminders")
def send_birthday_reminders() -> str:
    """E-mails the mail server refuses stay in the outbox (retried by the outbox tick): the run
    reports them, and the reminders and notifications are kept."""
    run = services.send_birthday_reminders()
    summary = _("%(count)d birthday reminder(s) sent.") % {"count": run.reminded}
    if run.mail_failed:
        summary += " " + _("%(count)d e-mail(s) not delivered yet; retried by the outbox.") % {
            "count": run.mail_failed
        }
    return summary

"""Scheduled report e-mails: the dispatcher beat runs every few minutes, and one task per e-mail."""

import smtplib
from typing import Any

from celery import shared_task
from django.utils.translation import gettext as _

from jobs.scheduling import recorded
from reports import services
from reports.digest import send_morning_digests as queue_morning_digests

RETRY_SECONDS = 60  # then 120, 240: SMTP failures are retried with exponential backoff


@shared_task(name="reports.tasks.dispatch_report_subscriptions")
@recorded("report-subscriptions")
def dispatch_report_subscriptions() -> str:
    queued = services.dispatch_due()
    return _("%(count)d report e-mail(s) queued.") % {"count": queued}


@shared_task(
    name="reports.tasks.send_morning_digests",
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=3,
)
@recorded("task-digests")
def send_morning_digests() -> str:
    queued = queue_morning_digests()
    return _("%(count)d morning digest(s) queued.") % {"count": queued}


@shared_task(bind=True, name="reports.tasks.send_report_delivery", max_retries=3)
def send_report_delivery(self: Any, delivery_id: int) -> str:
    """E-mail one delivery. On a worker, an SMTP failure is retried later with backoff; run
    in-process (no broker), the retries follow at once. After the last one it is logged failed."""
    attempt = self.request.retries
    while True:
        try:
            return services.deliver(delivery_id, attempt=attempt + 1)
        except (smtplib.SMTPException, OSError) as error:
            if attempt >= self.max_retries:
                services.mark_failed(delivery_id, error)
                return "failed"
            if not self.request.is_eager:
                raise self.retry(exc=error, countdown=RETRY_SECONDS * 2**attempt) from error
            attempt += 1

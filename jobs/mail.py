"""The outbox of e-mails: queue a mail with the change it tells about, send it after the commit,
and retry it with a growing delay while the mail server is down (for OUTBOX_RETRY_HOURS), then
give up and tell the administrators."""

import datetime
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import mail_admins, send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.selectors import active_users_with_right
from accounts.services import notify
from jobs.models import OutboxMail

logger = logging.getLogger(__name__)

GIVEN_UP = _(
    "{count} e-mail(s) could not be delivered for {hours} hours and were dropped (first: "
    "“{subject}”). Check the mail server settings (EMAIL_URL)."
)
LEASE = datetime.timedelta(minutes=5)  # a mail being sent is not picked by another tick
TICK_SECONDS = 50  # the outbox tick runs every minute


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    given_up: int = 0


def queue_mail(*, subject: str, body: str, to: list[str], purpose: str = "") -> OutboxMail:
    """Keep a mail in the outbox (in the caller's transaction); `deliver` sends it."""
    return queue_mails([(subject, body, to)], purpose=purpose)[0]


def queue_mails(
    mails: Iterable[tuple[str, str, list[str]]], *, purpose: str = ""
) -> list[OutboxMail]:
    """`queue_mail` for many (subject, body, recipients) at once, one INSERT per thousand; the
    outbox tick sends them (the reminder tick queues thousands and sends none itself)."""
    now = timezone.now()
    return OutboxMail.objects.bulk_create(
        [
            OutboxMail(
                subject=subject[:255], body=body, to=to, purpose=purpose, next_attempt_at=now
            )
            for subject, body, to in mails
        ],
        batch_size=1000,
    )


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes after each failure, at most an hour apart."""
    return datetime.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def deliver(mail: OutboxMail, *, now: datetime.datetime | None = None) -> bool:
    """Send one pending mail now; on failure schedule its next attempt (or give it up)."""
    now = now or timezone.now()
    claimed = OutboxMail.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
        pk=mail.pk,
        status=OutboxMail.Status.PENDING,
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return False
    try:
        send_mail(mail.subject, mail.body, None, mail.to)
    except Exception as error:
        mail.attempts += 1
        mail.last_error = f"{type(error).__name__}: {error}"[:2000]
        if now - mail.created_at >= datetime.timedelta(hours=settings.OUTBOX_RETRY_HOURS):
            mail.status = OutboxMail.Status.FAILED
        else:
            mail.next_attempt_at = now + backoff(mail.attempts)
        logger.warning("mail %s to %s not sent (%s)", mail.pk, mail.to, mail.last_error)
        mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return False
    mail.status = OutboxMail.Status.SENT
    mail.sent_at = now
    mail.attempts += 1
    mail.save(update_fields=["status", "sent_at", "attempts"])
    return True


def deliver_after_commit(mail: OutboxMail) -> None:
    transaction.on_commit(lambda: deliver(mail))


def deliver_due(*, now: datetime.datetime | None = None) -> Delivery:
    """Send every mail whose next attempt is due (the outbox tick, every minute)."""
    now = now or timezone.now()
    outcome = Delivery()
    first = ""
    due = OutboxMail.objects.filter(status=OutboxMail.Status.PENDING, next_attempt_at__lte=now)
    # Batches until none is due or the tick's time is up (the reminder tick may queue 10,000):
    # each mail tried leaves the due set (sent, failed, or its next attempt or lease is later).
    deadline = time.monotonic() + TICK_SECONDS
    while time.monotonic() < deadline and (
        batch := list(due.order_by("next_attempt_at", "pk")[:500])
    ):
        for mail in batch:
            if deliver(mail, now=now):
                outcome.sent += 1
            elif mail.status == OutboxMail.Status.FAILED:
                outcome.given_up += 1
                first = first or mail.subject
            else:
                outcome.retrying += 1
    if outcome.given_up:
        tell_admins(
            format_lazy(
                GIVEN_UP, count=outcome.given_up, hours=settings.OUTBOX_RETRY_HOURS, subject=first
            )
        )
    return outcome


def tell_admins(text: object) -> None:
    """In-app notification to whoever manages the scheduled jobs, and ADMINS by e-mail."""
    link = reverse("jobs:scheduled")
    for admin in active_users_with_right("crm.manage_scheduled_jobs"):
        notify(user=admin, text=text, link=link)  # type: ignore[arg-type]
    try:
        mail_admins("CRM: e-mail delivery", str(text))
    except Exception as error:  # the mail server is what failed; the notification remains
        logger.warning("could not e-mail the administrators: %s", error)

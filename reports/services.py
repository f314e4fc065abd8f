"""Scheduled report e-mails: every write of the reports module.

The owner's changes to a subscription, the dispatcher that queues the due runs and the delivery
of each e-mail all live here: they are the writes of the app's two models, and the dispatcher
and "send now" share the same rules (`next_run`, `_stop_reason`) and delivery rows.
"""

import calendar
import datetime
from typing import Any

from celery import current_app
from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import language_of
from audit.models import AuditEvent
from audit.services import audit_record
from reports.models import ReportDelivery, ReportSubscription
from reports.registry import REPORTS, build_report
from reports.rendering.files import report_file

SCHEDULE_RIGHT = "reports.schedule_report"
OTHERS_RIGHT = "reports.schedule_report_for_others"
UNSUBSCRIBE_SALT = "reports.unsubscribe"
ONLY_ONESELF = gettext_lazy(
    "You may subscribe only yourself; sending reports to others needs the supervisor's right."
)
OWNER_MAY_NOT_SEND_TO_OTHERS = gettext_lazy("The owner may no longer send this report to others.")
UNSUBSCRIBE_INVALID = gettext_lazy("This unsubscribe link is not valid.")
ONLY_OWNER_CHANGES = gettext_lazy("Only its owner changes a subscription.")
REPORT_NOT_READABLE = gettext_lazy("You may not read this report.")
SCHEDULE_NOT_ALLOWED = gettext_lazy("You may not schedule report e-mails.")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv",
}


def next_run(subscription: ReportSubscription, after: datetime.datetime) -> datetime.datetime:
    """The first scheduled moment strictly after `after`, in the project's time zone."""
    local = timezone.localtime(after)
    day = local.date()
    for _attempt in range(400):
        if _matches(subscription, day):
            moment = timezone.make_aware(datetime.datetime.combine(day, subscription.send_time))
            if moment > after:
                return moment
        day += datetime.timedelta(days=1)
    raise ValueError("no run within 400 days")  # unreachable for valid schedules


def _matches(subscription: ReportSubscription, day: datetime.date) -> bool:
    if subscription.frequency == ReportSubscription.Frequency.WEEKLY:
        return day.weekday() == (subscription.weekday or 0)
    if subscription.frequency == ReportSubscription.Frequency.MONTHLY:
        wanted = subscription.day_of_month or 1
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == min(wanted, last)  # the 31st is the last day of shorter months
    return True


def _stop_reason(subscription: ReportSubscription) -> str:
    """Why a subscription may not run any more (its owner lost a right), or ""."""
    owner = subscription.owner
    spec = REPORTS.get(subscription.report)
    if spec is None:
        return _("The report no longer exists.")
    if not owner.is_active:
        return _("The owner's account is disabled.")
    if not owner.has_perm(SCHEDULE_RIGHT) or not owner.has_perm(spec.permission):
        return _("The owner no longer has the right to schedule this report.")
    return ""


@transaction.atomic
def subscription_save(
    *, actor: User, subscription: ReportSubscription, recipients: Any, **fields: Any
) -> ReportSubscription:
    """Create (unsaved `subscription`, owned by `actor`) or change a subscription."""
    if subscription.pk is None:
        subscription.owner = actor
    elif subscription.owner_id != actor.pk:
        raise ValidationError(ONLY_OWNER_CHANGES)
    for name, value in fields.items():
        setattr(subscription, name, value)
    spec = REPORTS.get(subscription.report)
    if spec is None or not actor.has_perm(spec.permission):
        raise ValidationError({"report": REPORT_NOT_READABLE})
    if not actor.has_perm(SCHEDULE_RIGHT):
        raise ValidationError(SCHEDULE_NOT_ALLOWED)
    recipients = list(recipients)
    if not actor.has_perm(OTHERS_RIGHT) and any(user.pk != actor.pk for user in recipients):
        raise ValidationError({"recipients": ONLY_ONESELF})
    if (
        subscription.frequency == ReportSubscription.Frequency.WEEKLY
        and subscription.weekday is None
    ):
        raise ValidationError({"weekday": _("Choose the day of the week.")})
    if (
        subscription.frequency == ReportSubscription.Frequency.MONTHLY
        and not subscription.day_of_month
    ):
        raise ValidationError({"day_of_month": _("Choose the day of the month.")})
    subscription.stopped_reason = ""
    subscription.next_run_at = (
        next_run(subscription, timezone.now()) if subscription.is_active else None
    )
    subscription.save()
    subscription.recipients.set(recipients)
    audit_record(
        action=AuditEvent.Action.SUBSCRIPTION,
        actor=actor,
        obj=subscription,
        details={"report": subscription.report, "recipients": [str(r) for r in recipients]},
    )
    return subscription


@transaction.atomic
def subscription_set_active(
    *, actor: User, subscription: ReportSubscription, is_active: bool
) -> ReportSubscription:
    subscription = ReportSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.owner_id != actor.pk:
        raise ValidationError(_("Only its owner pauses or resumes a subscription."))
    if is_active and (reason := _stop_reason(subscription)):
        raise ValidationError(reason)
    subscription.is_active = is_active
    subscription.stopped_reason = ""
    subscription.next_run_at = next_run(subscription, timezone.now()) if is_active else None
    subscription.save(update_fields=["is_active", "stopped_reason", "next_run_at", "updated_at"])
    audit_record(
        action=AuditEvent.Action.SUBSCRIPTION,
        actor=actor,
        obj=subscription,
        details={"is_active": is_active},
    )
    return subscription


@transaction.atomic
def subscription_delete(*, actor: User, subscription: ReportSubscription) -> None:
    if subscription.owner_id != actor.pk:
        raise ValidationError(_("Only its owner deletes a subscription."))
    audit_record(
        action=AuditEvent.Action.SUBSCRIPTION,
        actor=actor,
        obj=subscription,
        details={"deleted": True},
    )
    subscription.delete()


# Found by name in the Celery app (config/apps.py imports every tasks module in any process):
# reports.tasks calls this module, so this one does not import it.
SEND_DELIVERY = "reports.tasks.send_report_delivery"


def _queue(deliveries: list[ReportDelivery]) -> None:
    send = current_app.tasks[SEND_DELIVERY]
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: [send.delay(pk) for pk in ids])


def _deliveries(
    subscription: ReportSubscription, run_at: datetime.datetime
) -> list[ReportDelivery]:
    created = []
    for recipient in subscription.recipients.all():
        delivery, was_new = ReportDelivery.objects.get_or_create(
            subscription=subscription, recipient=recipient, run_at=run_at
        )
        if was_new:
            created.append(delivery)
    return created


def _stop(subscription: ReportSubscription, reason: str, now: datetime.datetime) -> None:
    subscription.is_active = False
    subscription.stopped_reason = reason[:300]
    subscription.next_run_at = None
    subscription.save(update_fields=["is_active", "stopped_reason", "next_run_at", "updated_at"])
    ReportDelivery.objects.create(
        subscription=subscription,
        run_at=now,
        status=ReportDelivery.Status.FAILED,
        error=reason,
        finished_at=now,
    )


@transaction.atomic
def subscription_send_now(*, actor: User, subscription: ReportSubscription) -> int:
    """Send the report to every recipient now, outside its schedule."""
    if subscription.owner_id != actor.pk:
        raise ValidationError(_("Only its owner sends a subscription."))
    if reason := _stop_reason(subscription):
        raise ValidationError(reason)
    deliveries = _deliveries(subscription, timezone.now())
    _queue(deliveries)
    return len(deliveries)


@transaction.atomic
def dispatch_due(*, now: datetime.datetime | None = None) -> int:
    """Queue the deliveries of every subscription due at `now` and move it to its next run.

    Due subscriptions are locked (`skip_locked`: two dispatchers never take the same one), and
    one delivery row per (subscription, recipient, scheduled time) makes a repeated run a no-op.
    """
    now = now or timezone.now()
    due = (
        ReportSubscription.objects.select_for_update(skip_locked=True)
        .filter(is_active=True, next_run_at__lte=now)
        .select_related("owner")
        .order_by("next_run_at", "pk")
    )
    queued: list[ReportDelivery] = []
    for subscription in due:
        run_at = subscription.next_run_at
        assert run_at is not None  # noqa: S101 - filtered above
        if reason := _stop_reason(subscription):
            _stop(subscription, reason, now)
            continue
        queued += _deliveries(subscription, run_at)
        subscription.next_run_at = next_run(subscription, now)
        subscription.save(update_fields=["next_run_at", "updated_at"])
    _queue(queued)
    return len(queued)


def deliver(delivery_id: int, *, attempt: int) -> str:
    """Build the report as the recipient may see it and e-mail it; returns the final status.
    An SMTP failure propagates (the task retries it) and leaves the delivery pending."""
    delivery = (
        ReportDelivery.objects.select_related("subscription__owner", "recipient")
        .filter(pk=delivery_id, status=ReportDelivery.Status.PENDING)
        .first()
    )
    if delivery is None or delivery.recipient is None:
        return "done"
    subscription, recipient = delivery.subscription, delivery.recipient
    ReportDelivery.objects.filter(pk=delivery.pk).update(attempts=attempt)

    def finish(status: str, error: str = "") -> str:
        ReportDelivery.objects.filter(pk=delivery.pk).update(
            status=status, error=error, finished_at=timezone.now()
        )
        return status

    if reason := _stop_reason(subscription):
        return finish(ReportDelivery.Status.SKIPPED, reason)
    if not recipient.is_active or not recipient.email:
        return finish(
            ReportDelivery.Status.SKIPPED, _("The recipient has no active e-mail address.")
        )
    if recipient.pk != subscription.owner_id and not subscription.owner.has_perm(OTHERS_RIGHT):
        return finish(ReportDelivery.Status.SKIPPED, str(OWNER_MAY_NOT_SEND_TO_OTHERS))
    with translation.override(language_of(recipient)):
        try:
            report = build_report(subscription.report, user=recipient, params=subscription.params)
        except PermissionDenied:
            return finish(
                ReportDelivery.Status.SKIPPED, _("The recipient may not read this report.")
            )
        if report.is_empty and subscription.skip_if_empty:
            return finish(ReportDelivery.Status.SKIPPED, _("The report is empty."))
        attachment = report_file(report, subscription.format)
        message = EmailMessage(
            subject=_("%(report)s — %(name)s")
            % {"report": report.title, "name": subscription.name},
            body=_("Attached is the report “%(report)s” (%(filters)s), generated %(when)s.")
            % {
                "report": report.title,
                "filters": report.filter_text(),
                "when": timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M"),
            }
            + "\n\n"
            + _("To stop receiving this report, open %(link)s")
            % {"link": unsubscribe_url(subscription, recipient)},
            to=[recipient.email],
        )
        message.attach(
            f"{report.slug}-{timezone.localdate():%Y%m%d}.{subscription.format}",
            attachment,
            CONTENT_TYPES[subscription.format],
        )
    message.send()
    return finish(ReportDelivery.Status.SENT)


def mark_failed(delivery_id: int, error: BaseException) -> None:
    ReportDelivery.objects.filter(pk=delivery_id, status=ReportDelivery.Status.PENDING).update(
        status=ReportDelivery.Status.FAILED,
        error=f"{type(error).__name__}: {error}"[:2000],
        finished_at=timezone.now(),
    )


# Unsubscribing from a link in the e-mail -----------------------------------------------------


def unsubscribe_token(subscription: ReportSubscription, recipient: User) -> str:
    """A signed token naming one recipient of one subscription (no login needed to use it)."""
    return signing.dumps([subscription.pk, recipient.pk], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(subscription: ReportSubscription, recipient: User) -> str:
    path = reverse("reports:unsubscribe", args=[unsubscribe_token(subscription, recipient)])
    return f"{settings.SITE_URL}{path}"


def unsubscribe_target(token: str) -> tuple[ReportSubscription, User]:
    """The subscription and the recipient a token names; refused when forged or stale."""
    try:
        subscription_id, recipient_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        subscription = ReportSubscription.objects.get(pk=int(subscription_id))
        recipient = User.objects.get(pk=int(recipient_id))
    except (signing.BadSignature, ValueError, TypeError, ObjectDoesNotExist) as error:
        raise ValidationError(UNSUBSCRIBE_INVALID) from error
    return subscription, recipient


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> tuple[ReportSubscription, User]:
    """Take the recipient a token names off its subscription (the link in each report e-mail);
    using it again changes nothing."""
    subscription, recipient = unsubscribe_target(token)
    subscription.recipients.remove(recipient)
    return subscription, recipient

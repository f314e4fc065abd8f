"""Scheduled report e-mails: schedule, recipients' visibility, idempotency, retries, lost rights."""

import datetime
import io
import smtplib

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Right, RoleRight
from reports import services
from reports.models import ReportDelivery, ReportSubscription
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db

MONDAY_9 = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)  # Monday 09:00 in Shanghai


class FailingBackend:
    """The outside world's SMTP server, refusing every message (and counting the attempts)."""

    attempts: list[int] = []

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        self.attempts.append(len(messages))
        raise smtplib.SMTPDataError(451, b"try again later")


def _subscription(owner, *recipients, **fields) -> ReportSubscription:
    defaults = {
        "name": "客户构成周报",
        "report": "composition",
        "format": "xlsx",
        "frequency": "weekly",
        "weekday": 0,
        "send_time": datetime.time(8, 0),
        "skip_if_empty": False,
    }
    return services.subscription_save(
        actor=owner,
        subscription=ReportSubscription(),
        recipients=recipients,
        **{**defaults, **fields},
    )


def _with_email(*users):
    for user in users:
        user.email = f"{user.username}@example.com"
        user.save()


def test_next_run_for_each_frequency(supervisor) -> None:
    weekly = ReportSubscription(frequency="weekly", weekday=0, send_time=datetime.time(8, 0))
    daily = ReportSubscription(frequency="daily", send_time=datetime.time(8, 0))
    monthly = ReportSubscription(
        frequency="monthly", day_of_month=31, send_time=datetime.time(8, 0)
    )
    assert services.next_run(weekly, MONDAY_9).date() == datetime.date(2026, 11, 30)
    assert services.next_run(daily, MONDAY_9).date() == datetime.date(2026, 11, 24)
    assert services.next_run(monthly, MONDAY_9).date() == datetime.date(
        2026, 11, 30
    )  # the last day
    assert timezone.localtime(services.next_run(daily, MONDAY_9)).time() == datetime.time(8, 0)


def test_each_recipient_gets_the_report_with_their_own_visibility(
    supervisor, manager, other_manager, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _with_email(manager, other_manager)
    CustomerFactory.create_batch(2, manager=manager)
    CustomerFactory.create_batch(3, manager=other_manager)
    subscription = _subscription(supervisor, manager, other_manager)
    ReportSubscription.objects.filter(pk=subscription.pk).update(next_run_at=MONDAY_9)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.dispatch_due(now=MONDAY_9) == 2

    totals = {}
    for message in mailoutbox:
        _name, content, _type = message.attachments[0]
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        totals[message.to[0]] = next(
            row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Total"
        )[1]
    assert totals == {"manager1@example.com": 2, "manager2@example.com": 3}
    assert set(ReportDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_dispatching_twice_sends_once(
    supervisor, manager, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _with_email(manager)
    subscription = _subscription(supervisor, manager)
    ReportSubscription.objects.filter(pk=subscription.pk).update(next_run_at=MONDAY_9)
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_due(now=MONDAY_9)
        services.dispatch_due(now=MONDAY_9 + datetime.timedelta(minutes=5))
    assert len(mailoutbox) == 1
    subscription.refresh_from_db()
    assert subscription.next_run_at.date() == datetime.date(2026, 11, 30)


def test_the_dispatcher_task_records_its_run(admin_user) -> None:
    from jobs.models import JobRun
    from reports.tasks import dispatch_report_subscriptions

    assert dispatch_report_subscriptions.delay().get() == "0 report e-mail(s) queued."
    assert JobRun.objects.get(name="report-subscriptions").status == "succeeded"


def test_smtp_failures_are_retried_then_logged_as_failed(
    supervisor, manager, settings, django_capture_on_commit_callbacks
) -> None:
    _with_email(manager)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    subscription = _subscription(supervisor, manager)
    FailingBackend.attempts = []

    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_send_now(actor=supervisor, subscription=subscription)

    delivery = ReportDelivery.objects.get()
    assert len(FailingBackend.attempts) == 4  # the first attempt and three retries
    assert delivery.status == "failed"
    assert delivery.attempts == 4
    assert "SMTPDataError" in delivery.error


def test_skip_if_empty(supervisor, manager, mailoutbox, django_capture_on_commit_callbacks) -> None:
    _with_email(manager)
    subscription = _subscription(supervisor, manager, report="loss", skip_if_empty=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_send_now(actor=supervisor, subscription=subscription)
    assert mailoutbox == []
    assert ReportDelivery.objects.get().status == "skipped"


def test_a_subscription_whose_owner_lost_the_right_stops(
    supervisor, manager, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _with_email(manager)
    subscription = _subscription(supervisor, manager)
    ReportSubscription.objects.filter(pk=subscription.pk).update(next_run_at=MONDAY_9)
    RoleRight.objects.filter(role=supervisor.role, right__code="reports.schedule_report").delete()
    assert Right.objects.filter(code="reports.schedule_report").exists()
    supervisor.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.dispatch_due(now=MONDAY_9) == 0

    subscription.refresh_from_db()
    assert not subscription.is_active
    assert "right" in subscription.stopped_reason
    assert ReportDelivery.objects.get().status == "failed"
    assert mailoutbox == []


def test_pages_create_pause_and_send(
    client, supervisor, manager, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _with_email(manager)
    client.force_login(supervisor)
    form = client.get(
        reverse("reports:subscription-create"), {"report": "contribution", "filters": "year=2025"}
    )
    assert 'value="year=2025"' in form.content.decode()
    client.post(
        reverse("reports:subscription-create"),
        {
            "name": "年度贡献",
            "report": "contribution",
            "filters": "year=2025&page=3",
            "format": "pdf",
            "recipients": [manager.pk],
            "frequency": "monthly",
            "day_of_month": "1",
            "send_time": "07:30",
            "is_active": "on",
        },
    )
    subscription = ReportSubscription.objects.get()
    assert subscription.params == {"year": "2025"}
    assert subscription.next_run_at is not None

    client.post(reverse("reports:subscription-toggle", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert (subscription.is_active, subscription.next_run_at) == (False, None)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:subscription-send", args=[subscription.pk]))
    assert mailoutbox[0].attachments[0][2] == "application/pdf"
    log = client.get(reverse("reports:subscription-log", args=[subscription.pk])).content.decode()
    assert "Sent" in log


def test_weekly_without_a_weekday_is_refused(client, supervisor, manager) -> None:
    client.force_login(supervisor)
    response = client.post(
        reverse("reports:subscription-create"),
        {
            "name": "x",
            "report": "loss",
            "format": "csv",
            "recipients": [manager.pk],
            "frequency": "weekly",
            "send_time": "08:00",
        },
    )
    assert response.status_code == 200
    assert not ReportSubscription.objects.exists()


def test_a_customer_manager_subscribes_themselves(client, manager) -> None:
    client.force_login(manager)
    assert client.get(reverse("reports:subscription-create")).status_code == 200
    assert manager.has_perm("reports.schedule_report")


def test_the_migration_grants_the_right_to_an_existing_manager_role(manager) -> None:
    from importlib import import_module

    from django.apps import apps

    RoleRight.objects.filter(role=manager.role, right__code="reports.schedule_report").delete()
    grant = import_module("accounts.migrations.0003_manager_report_emails").grant
    grant(apps, None)
    grant(apps, None)  # twice: nothing more
    assert (
        RoleRight.objects.filter(role=manager.role, right__code="reports.schedule_report").count()
        == 1
    )

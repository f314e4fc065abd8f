"""The refusals of the subscription services, and the deliveries that are skipped and why."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reports import services
from reports.models import ReportDelivery, ReportSubscription

pytestmark = pytest.mark.django_db


def _subscription(owner, *recipients, **fields) -> ReportSubscription:
    defaults = {
        "name": "客户构成周报",
        "report": "composition",
        "format": "csv",
        "frequency": "weekly",
        "weekday": 0,
        "send_time": datetime.time(8, 0),
        "skip_if_empty": False,
    }
    return services.subscription_save(
        actor=owner,
        subscription=ReportSubscription(),
        recipients=recipients or (owner,),
        **{**defaults, **fields},
    )


def test_only_the_owner_pauses_deletes_or_sends_a_subscription(supervisor, executive) -> None:
    subscription = _subscription(supervisor)
    with pytest.raises(ValidationError):
        services.subscription_set_active(
            actor=executive, subscription=subscription, is_active=False
        )
    with pytest.raises(ValidationError):
        services.subscription_delete(actor=executive, subscription=subscription)
    with pytest.raises(ValidationError):
        services.subscription_send_now(actor=executive, subscription=subscription)
    assert ReportSubscription.objects.filter(pk=subscription.pk, is_active=True).exists()
    services.subscription_delete(actor=supervisor, subscription=subscription)
    assert not ReportSubscription.objects.filter(pk=subscription.pk).exists()


def test_a_monthly_subscription_needs_its_day(supervisor) -> None:
    with pytest.raises(ValidationError) as refused:
        _subscription(supervisor, frequency="monthly", weekday=None, day_of_month=None)
    assert "day_of_month" in refused.value.message_dict


def test_a_subscription_whose_owner_left_can_be_neither_resumed_nor_sent(supervisor) -> None:
    subscription = _subscription(supervisor)
    services.subscription_set_active(actor=supervisor, subscription=subscription, is_active=False)
    supervisor.is_active = False
    supervisor.save()
    with pytest.raises(ValidationError):
        services.subscription_set_active(
            actor=supervisor, subscription=subscription, is_active=True
        )
    with pytest.raises(ValidationError):
        services.subscription_send_now(actor=supervisor, subscription=subscription)


def test_a_subscription_to_a_report_that_is_gone_stops(supervisor) -> None:
    subscription = _subscription(supervisor)
    ReportSubscription.objects.filter(pk=subscription.pk).update(report="retired")
    subscription.refresh_from_db()
    with pytest.raises(ValidationError):
        services.subscription_send_now(actor=supervisor, subscription=subscription)


def _delivery(subscription, recipient) -> ReportDelivery:
    return ReportDelivery.objects.create(
        subscription=subscription, recipient=recipient, run_at=timezone.now()
    )


def test_deliveries_to_a_recipient_without_mail_or_without_the_right_are_skipped(
    supervisor, manager, executive, admin_user
) -> None:
    supervisor.email = "s@example.com"
    supervisor.save()
    admin_user.email = "a@example.com"
    admin_user.save()
    manager.email = ""
    manager.save()
    subscription = _subscription(supervisor, supervisor, manager, admin_user)
    no_mail = _delivery(subscription, manager)  # manager has no e-mail address
    no_right = _delivery(subscription, admin_user)  # the admin may not read reports
    assert services.deliver(no_mail.pk, attempt=1) == ReportDelivery.Status.SKIPPED
    assert services.deliver(no_right.pk, attempt=1) == ReportDelivery.Status.SKIPPED
    assert services.deliver(no_right.pk, attempt=2) == "done"  # not pending any more
    assert set(
        ReportDelivery.objects.filter(pk__in=[no_mail.pk, no_right.pk]).values_list(
            "status", flat=True
        )
    ) == {ReportDelivery.Status.SKIPPED}

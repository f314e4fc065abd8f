"""Who a report e-mail may go to, and the unsubscribe link in every one."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import services
from reports.models import ReportDelivery, ReportSubscription
from tests.reports.test_subscriptions import MONDAY_9, _subscription, _with_email

pytestmark = pytest.mark.django_db


def test_without_the_supervisor_right_one_subscribes_only_oneself(executive, manager) -> None:
    _with_email(executive, manager)
    with pytest.raises(ValidationError) as error:
        _subscription(executive, manager)
    assert str(services.ONLY_ONESELF) in error.value.messages
    assert not ReportSubscription.objects.exists()
    mine = _subscription(executive, executive)
    assert list(mine.recipients.all()) == [executive]


def test_the_supervisor_subscribes_others(supervisor, manager) -> None:
    _with_email(manager)
    subscription = _subscription(supervisor, manager)
    assert list(subscription.recipients.all()) == [manager]


def test_the_form_offers_only_oneself_without_the_right(client, executive, manager) -> None:
    _with_email(executive, manager)
    client.force_login(executive)
    response = client.get(reverse("reports:subscription-create"))
    offered = list(response.context["form"].fields["recipients"].queryset)
    assert offered == [executive]
    response = client.post(
        reverse("reports:subscription-create"),
        {
            "name": "x",
            "report": "composition",
            "format": "csv",
            "recipients": [manager.pk],
            "frequency": "daily",
            "send_time": "08:00",
        },
    )
    assert response.status_code == 200
    assert not ReportSubscription.objects.exists()


def test_the_form_offers_everyone_to_the_supervisor(client, supervisor, manager) -> None:
    _with_email(supervisor, manager)
    client.force_login(supervisor)
    response = client.get(reverse("reports:subscription-create"))
    assert set(response.context["form"].fields["recipients"].queryset) == {supervisor, manager}


def test_others_stop_getting_it_when_the_owner_loses_the_right(
    supervisor, manager, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    from accounts.models import RoleRight

    _with_email(supervisor, manager)
    subscription = _subscription(supervisor, supervisor, manager)
    RoleRight.objects.filter(role=supervisor.role, right__code=services.OTHERS_RIGHT).delete()
    ReportSubscription.objects.filter(pk=subscription.pk).update(next_run_at=MONDAY_9)
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_due(now=MONDAY_9)
    assert [message.to for message in mailoutbox] == [[supervisor.email]]
    skipped = ReportDelivery.objects.get(recipient=manager)
    assert skipped.error == str(services.OWNER_MAY_NOT_SEND_TO_OTHERS)


def _link_in(message) -> str:
    return re.search(r"https?://\S+/unsubscribe/\S+/", message.body).group(0)


def test_every_report_email_carries_an_unsubscribe_link_that_works_without_login(
    client, supervisor, manager, mailoutbox, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SITE_URL = "https://crm.example.com"
    _with_email(manager)
    subscription = _subscription(supervisor, manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_send_now(actor=supervisor, subscription=subscription)
    link = _link_in(mailoutbox[0])
    assert link.startswith("https://crm.example.com/")
    path = link.removeprefix("https://crm.example.com")

    page = client.get(path)
    assert page.status_code == 200
    assert manager.email in page.content.decode()
    assert list(subscription.recipients.all()) == [manager]  # a GET changes nothing

    assert client.post(path).status_code == 200
    assert list(subscription.recipients.all()) == []
    assert client.post(path).status_code == 200  # again: nothing more to do


def test_a_forged_or_tampered_token_is_refused(client, supervisor, manager) -> None:
    _with_email(manager)
    subscription = _subscription(supervisor, manager)
    token = services.unsubscribe_token(subscription, manager)
    for bad in ("nonsense", token[:-2] + "xx"):
        response = client.post(reverse("reports:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert str(services.UNSUBSCRIBE_INVALID) in response.content.decode()
    assert list(subscription.recipients.all()) == [manager]


def test_a_token_of_a_deleted_subscription_is_refused(client, supervisor, manager) -> None:
    _with_email(manager)
    subscription = _subscription(supervisor, manager)
    token = services.unsubscribe_token(subscription, manager)
    subscription.delete()
    assert client.get(reverse("reports:unsubscribe", args=[token])).status_code == 400

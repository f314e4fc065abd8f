"""Everything addressed to a user is written in their language: the profile's, else the site
default (Simplified Chinese) — never the language of whoever or whatever caused it."""

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import Notification
from accounts.services import language_of, notify
from marketing import services as marketing_services
from reports import services as report_services
from reports.models import ReportSubscription
from sales.services import send_birthday_reminders
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import ContactFactory, CustomerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.site_language]


def test_the_language_of_a_user_is_their_profile_else_the_site_default(manager) -> None:
    assert language_of(manager) == "zh-hans"
    manager.language = "en"
    assert language_of(manager) == "en"


def test_a_notification_follows_the_recipient_not_the_current_language(manager) -> None:
    with translation.override("en"):  # e.g. raised by an English-speaking supervisor's request
        notify(user=manager, text=translation.gettext_lazy("Home"))
    assert Notification.objects.get(user=manager).text == "首页"


def test_an_assigned_opportunity_is_announced_in_chinese_to_an_english_actor(
    supervisor, manager
) -> None:
    supervisor.language = "en"
    supervisor.save()
    chance = SalesChanceFactory(creator=supervisor, title="大单")
    with translation.override("en"):
        marketing_services.chance_assign(actor=supervisor, chance=chance, assignee=manager)
    assert Notification.objects.get(user=manager).text == "有一个销售机会指派给了您：大单"


def test_birthday_reminders_go_out_in_the_site_language(manager, mailoutbox) -> None:
    manager.email = "xiaoming@example.com"
    manager.save()
    ContactFactory(
        customer=CustomerFactory(manager=manager, name="海尔"),
        name="王经理",
        birthday=datetime.date(1980, 5, 4),
    )
    send_birthday_reminders(today=datetime.date(2026, 5, 4))
    assert mailoutbox[0].body == "今天是 王经理（海尔）的生日。"
    assert Notification.objects.get(user=manager).text == "今天是 王经理（海尔）的生日。"


def test_report_e_mails_and_their_attachment_are_in_the_recipient_language(
    supervisor, manager, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    manager.email = "xiaoming@example.com"
    manager.save()
    CustomerFactory(manager=manager)
    subscription = report_services.subscription_save(
        actor=supervisor,
        subscription=ReportSubscription(),
        recipients=[manager],
        name="客户构成周报",
        report="composition",
        format="xlsx",
        frequency="daily",
        weekday=None,
        send_time=datetime.time(8, 0),
        skip_if_empty=False,
    )
    now = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)
    ReportSubscription.objects.filter(pk=subscription.pk).update(next_run_at=now)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert report_services.dispatch_due(now=now) == 1
    message = mailoutbox[0]
    assert message.subject.startswith("客户构成分析")
    assert message.body.startswith("附件为报表")
    sheet = load_workbook(io.BytesIO(message.attachments[0][1])).worksheets[0]
    assert any(row and row[0] == "合计" for row in sheet.iter_rows(values_only=True))

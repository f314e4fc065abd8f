"""Birthday reminders: once per contact per year, 29 February, the manager's language, retries."""

import datetime
import smtplib

import pytest

from accounts.models import Notification
from jobs.models import JobRun
from sales.birthdays import birthdays_in
from sales.models import BirthdayReminder, Contact, Customer
from sales.selectors import upcoming_birthdays
from sales.services import send_birthday_reminders
from tests.factories.sales import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 4)


class FailingBackend:
    """The outside world's SMTP server, down."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        raise smtplib.SMTPServerDisconnected("connection lost")


def test_the_manager_is_reminded_once_even_when_the_job_runs_twice(manager, mailoutbox) -> None:
    manager.email = "xiaoming@example.com"
    manager.save()
    contact = ContactFactory(
        customer=CustomerFactory(manager=manager), name="王经理", birthday=datetime.date(1980, 5, 4)
    )
    ContactFactory(customer=CustomerFactory(manager=manager), birthday=datetime.date(1980, 5, 5))

    assert send_birthday_reminders(today=DAY) == 1
    assert send_birthday_reminders(today=DAY) == 0

    assert BirthdayReminder.objects.get().contact == contact
    assert Notification.objects.filter(user=manager, text__contains="王经理").count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["xiaoming@example.com"]
    # Next year, the contact is reminded again.
    assert send_birthday_reminders(today=DAY.replace(year=2027)) == 1


def test_29_february_is_reminded_on_28_february_in_other_years(manager) -> None:
    ContactFactory(customer=CustomerFactory(manager=manager), birthday=datetime.date(1984, 2, 29))
    assert send_birthday_reminders(today=datetime.date(2028, 2, 28)) == 0  # 2028 has 29 February
    assert send_birthday_reminders(today=datetime.date(2028, 2, 29)) == 1
    assert send_birthday_reminders(today=datetime.date(2026, 2, 28)) == 1


def test_the_e_mail_is_in_the_managers_language(manager, mailoutbox) -> None:
    manager.email = "m@example.com"
    manager.language = "zh-hans"
    manager.save()
    ContactFactory(
        customer=CustomerFactory(manager=manager), name="李娜", birthday=DAY.replace(year=1990)
    )
    send_birthday_reminders(today=DAY)
    assert "生日" in mailoutbox[0].subject


def test_deleted_customers_and_disabled_managers_get_no_reminder(manager, other_manager) -> None:
    other_manager.is_active = False
    other_manager.save()
    ContactFactory(
        customer=CustomerFactory(manager=manager, status=Customer.Status.DELETED), birthday=DAY
    )
    ContactFactory(customer=CustomerFactory(manager=other_manager), birthday=DAY)
    assert send_birthday_reminders(today=DAY) == 0


def test_a_failed_e_mail_leaves_the_reminder_for_the_retry(manager, settings, mailoutbox) -> None:
    manager.email = "m@example.com"
    manager.save()
    ContactFactory(customer=CustomerFactory(manager=manager), birthday=DAY)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}

    with pytest.raises(smtplib.SMTPException):
        send_birthday_reminders(today=DAY)
    assert not BirthdayReminder.objects.exists()
    assert not Notification.objects.exists()

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert send_birthday_reminders(today=DAY) == 1


def test_the_task_records_its_run(manager) -> None:
    from sales.tasks import send_birthday_reminders as task

    assert task.delay().get().endswith("birthday reminder(s) sent.")
    assert JobRun.objects.get(name="birthday-reminders").status == "succeeded"


def test_the_dashboard_and_the_reminder_celebrate_29_february_on_the_same_day(manager) -> None:
    leap_day = ContactFactory(
        customer=CustomerFactory(manager=manager), birthday=datetime.date(1984, 2, 29)
    )
    for today, celebrated in (
        (datetime.date(2026, 2, 28), True),  # 2026 has no 29 February
        (datetime.date(2028, 2, 28), False),  # 2028 has one
        (datetime.date(2028, 2, 29), True),
    ):
        assert (leap_day in upcoming_birthdays(manager, today, days=1)) == celebrated
        assert Contact.objects.filter(birthdays_in(today), pk=leap_day.pk).exists() == celebrated

"""Birthday reminders: once per contact per year, 29 February, the manager's language, retries."""

import datetime
import smtplib

import pytest
from django.utils import timezone

from accounts.models import Notification
from jobs.mail import backoff, deliver_due, queue_mail
from jobs.models import JobRun, OutboxMail
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

    assert send_birthday_reminders(today=DAY).reminded == 1
    assert send_birthday_reminders(today=DAY).reminded == 0

    assert BirthdayReminder.objects.get().contact == contact
    assert Notification.objects.filter(user=manager, text__contains="王经理").count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["xiaoming@example.com"]
    # Next year, the contact is reminded again.
    assert send_birthday_reminders(today=DAY.replace(year=2027)).reminded == 1


def test_29_february_is_reminded_on_28_february_in_other_years(manager) -> None:
    ContactFactory(customer=CustomerFactory(manager=manager), birthday=datetime.date(1984, 2, 29))
    assert (
        send_birthday_reminders(today=datetime.date(2028, 2, 28)).reminded == 0
    )  # 2028 has 29 February
    assert send_birthday_reminders(today=datetime.date(2028, 2, 29)).reminded == 1
    assert send_birthday_reminders(today=datetime.date(2026, 2, 28)).reminded == 1


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
    assert send_birthday_reminders(today=DAY).reminded == 0


def test_smtp_down_keeps_the_reminder_and_retries_the_e_mail_later(
    manager, admin_user, settings, mailoutbox
) -> None:
    manager.email = "m@example.com"
    manager.save()
    ContactFactory(customer=CustomerFactory(manager=manager), name="王经理", birthday=DAY)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}

    run = send_birthday_reminders(today=DAY)

    assert (run.reminded, run.mail_failed) == (1, 1)
    assert BirthdayReminder.objects.get().contact.name == "王经理"
    assert Notification.objects.filter(user=manager, text__contains="王经理").exists()
    assert Notification.objects.filter(user=admin_user, text__contains="could not be sent")
    mail = OutboxMail.objects.get()
    assert (mail.status, mail.attempts, mail.to) == ("pending", 1, ["m@example.com"])
    assert "SMTPServerDisconnected" in mail.last_error
    # The next day's run does not remind again: the reminder was kept.
    assert send_birthday_reminders(today=DAY).reminded == 0

    # The mail server is back: the outbox tick sends it once its retry is due.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert deliver_due().sent == 0  # not due yet (backoff)
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert deliver_due(now=later).sent == 1
    mail.refresh_from_db()
    assert mail.status == "sent"
    assert [message.to for message in mailoutbox] == [["m@example.com"]]
    assert "王经理" in mailoutbox[0].subject
    assert deliver_due(now=later + datetime.timedelta(hours=1)).sent == 0  # sent once


def test_the_outbox_retries_for_a_day_with_backoff_then_gives_up_and_tells_admins(
    admin_user, settings
) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    mail = queue_mail(subject="Birthday reminder", body="…", to=["m@example.com"])
    start = mail.created_at
    attempts = 0
    moment = start
    while moment < start + datetime.timedelta(hours=24):
        outcome = deliver_due(now=moment)
        attempts += outcome.retrying
        mail.refresh_from_db()
        assert mail.status == "pending"
        moment = mail.next_attempt_at
    assert 20 <= attempts <= 40  # growing delays, at most an hour apart
    assert backoff(1) < backoff(3) < backoff(10) == datetime.timedelta(hours=1)

    outcome = deliver_due(now=start + datetime.timedelta(hours=settings.OUTBOX_RETRY_HOURS))
    assert outcome.given_up == 1
    mail.refresh_from_db()
    assert mail.status == "failed"
    assert Notification.objects.filter(user=admin_user, text__contains="Birthday reminder")


def test_the_task_records_its_run(manager) -> None:
    from sales.tasks import send_birthday_reminders as task

    assert task.delay().get() == "0 birthday reminder(s) sent."
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


def test_the_birthdays_day_of_the_year_is_stored_by_every_write() -> None:
    customer = CustomerFactory()
    bulk = Contact.objects.bulk_create(
        [
            Contact(customer=customer, name="甲", birthday=datetime.date(1980, 12, 31)),
            Contact(customer=customer, name="乙", birthday=datetime.date(1992, 2, 29)),
            Contact(customer=customer, name="丙"),
        ]
    )
    stored = dict(Contact.objects.values_list("name", "birthday_day"))
    assert stored == {"甲": 1231, "乙": 229, "丙": None}
    Contact.objects.filter(pk=bulk[0].pk).update(birthday=datetime.date(1980, 1, 2))
    contact = ContactFactory(customer=customer, birthday=datetime.date(2000, 7, 9))
    contact.birthday = datetime.date(2000, 10, 1)
    contact.save()
    assert dict(Contact.objects.values_list("name", "birthday_day"))["甲"] == 102
    assert Contact.objects.get(pk=contact.pk).birthday_day == 1001

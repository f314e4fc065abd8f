import datetime
import threading

import pytest
from django.utils import timezone, translation

from accounts.models import Notification
from jobs import mail
from jobs.models import JobRun, OutboxMail
from tasks import services
from tasks.models import Task
from tasks.tasks import send_task_reminders
from tests.factories.tasks import TaskFactory


def _due_task(owner, **kwargs) -> Task:
    """A task whose reminder time has just passed."""
    due = timezone.now() + datetime.timedelta(minutes=10)
    return TaskFactory(
        owner=owner,
        due_at=due,
        remind_before=datetime.timedelta(minutes=15),
        remind_at=due - datetime.timedelta(minutes=15),
        **kwargs,
    )


@pytest.mark.django_db
def test_a_due_reminder_is_sent_once_even_when_the_tick_runs_twice(manager, mailoutbox) -> None:
    manager.email = "xiaoming@example.com"
    manager.save()
    task = _due_task(manager, title="电话回访")
    assert services.send_task_reminders() == 1
    assert services.send_task_reminders() == 0
    assert mailoutbox == []  # queued in the outbox, which the outbox tick sends
    assert mail.deliver_due().sent == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["xiaoming@example.com"]
    assert Notification.objects.filter(user=manager).count() == 1
    task.refresh_from_db()
    assert task.reminded_at is not None


@pytest.mark.django_db
def test_the_reminder_is_in_the_recipients_language(manager, other_manager, mailoutbox) -> None:
    manager.language, manager.email = "zh-hans", "a@example.com"
    manager.save()
    other_manager.language, other_manager.email = "en", "b@example.com"
    other_manager.save()
    _due_task(manager, title="回访")
    _due_task(other_manager, title="Call back")
    with translation.override("en"):
        services.send_task_reminders()
    mail.deliver_due()
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects["a@example.com"].startswith("任务提醒")
    assert subjects["b@example.com"].startswith("Task reminder")


@pytest.mark.django_db
def test_a_reminder_not_yet_due_done_or_cancelled_is_not_sent(manager, mailoutbox) -> None:
    due = timezone.now() + datetime.timedelta(hours=5)
    TaskFactory(
        owner=manager,
        due_at=due,
        remind_before=datetime.timedelta(hours=1),
        remind_at=due - datetime.timedelta(hours=1),
    )
    _due_task(manager, status=Task.Status.CANCELLED)
    _due_task(manager, status=Task.Status.DONE, completed_at=timezone.now())
    assert services.send_task_reminders() == 0
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_moving_the_due_date_sends_the_reminder_again(manager) -> None:
    task = _due_task(manager)
    services.send_task_reminders()
    later = timezone.now() + datetime.timedelta(minutes=5)
    services.task_update(actor=manager, task=task, data={"due_at": later})
    assert services.send_task_reminders() == 1
    assert Notification.objects.filter(user=manager).count() == 2


@pytest.mark.django_db
def test_a_failed_email_is_retried_by_the_outbox_and_the_reminder_not_sent_again(
    manager, monkeypatch, mailoutbox
) -> None:
    manager.email = "xiaoming@example.com"
    manager.save()
    task = _due_task(manager)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("SMTP down")

    monkeypatch.setattr(mail, "send_mail", broken)
    assert services.send_task_reminders() == 1
    assert mail.deliver_due().retrying == 1
    task.refresh_from_db()
    assert task.reminded_at is not None
    assert Notification.objects.filter(user=manager).count() == 1
    assert services.send_task_reminders() == 0  # the tick does not send it again
    monkeypatch.undo()
    assert mail.deliver_due(now=timezone.now() + datetime.timedelta(minutes=2)).sent == 1
    assert [message.to for message in mailoutbox] == [["xiaoming@example.com"]]
    assert OutboxMail.objects.get().status == OutboxMail.Status.SENT


@pytest.mark.django_db
def test_the_tick_claims_every_due_reminder_in_batches_with_fixed_queries(
    manager, other_manager, django_assert_max_num_queries, monkeypatch
) -> None:
    manager.email, other_manager.email = "a@example.com", ""
    manager.save()
    other_manager.save()
    monkeypatch.setattr(services, "REMINDER_BATCH", 4)
    for index in range(10):
        _due_task(manager if index % 2 else other_manager, title=f"任务{index}")
    # Per batch of 4: select, claim (one per row without row locks), notifications, mails.
    with django_assert_max_num_queries(4 * (3 + 4) + 1):
        assert services.send_task_reminders() == 10
    assert Notification.objects.filter(user=manager).count() == 5
    assert Notification.objects.filter(user=other_manager).count() == 5
    assert OutboxMail.objects.filter(purpose="task-reminder").count() == 5  # no address, no mail
    assert not Task.objects.filter(reminded_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_beat_job_is_recorded(manager) -> None:
    _due_task(manager)
    assert send_task_reminders.delay().get() == "1 task reminder(s) sent."
    run = JobRun.objects.get(name="task-reminders")
    assert run.status == JobRun.Status.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_concurrent_ticks_send_each_reminder_once(manager, monkeypatch) -> None:
    from django.db import close_old_connections, connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    monkeypatch.setattr(services, "REMINDER_BATCH", 5)  # the ticks interleave their batches
    tasks = [_due_task(manager) for _index in range(30)]
    barrier = threading.Barrier(3)
    counts: list[int] = []
    errors: list[Exception] = []

    def tick() -> None:
        try:
            barrier.wait()
            counts.append(services.send_task_reminders())
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=tick) for _index in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(counts) == len(tasks)
    assert Notification.objects.filter(user=manager).count() == len(tasks)
    assert OutboxMail.objects.filter(purpose="task-reminder").count() == len(tasks)


@pytest.mark.django_db
def test_one_outbox_tick_sends_more_than_a_batch_of_queued_reminders(mailoutbox) -> None:
    mail.queue_mails(
        [(f"提醒{index}", "text", [f"rep{index}@example.com"]) for index in range(1203)],
        purpose="task-reminder",
    )
    assert mail.deliver_due().sent == 1203
    assert len(mailoutbox) == 1203
    assert not OutboxMail.objects.filter(status=OutboxMail.Status.PENDING).exists()

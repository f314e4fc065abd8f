"""The morning digest: each rep's day (tasks, plan items, birthdays, loss warnings) by e-mail."""

import datetime

import pytest
from django.utils import timezone

from jobs import mail
from jobs.models import OutboxMail
from marketing.models import SalesChance
from reports.digest import send_morning_digests
from reports.tasks import send_morning_digests as send_morning_digests_task
from tasks import services as task_services
from tests.factories.marketing import PlanItemFactory, SalesChanceFactory
from tests.factories.sales import ContactFactory, CustomerFactory, CustomerLossFactory
from tests.factories.tasks import TaskFactory


def _with_email(*users) -> None:
    for index, user in enumerate(users):
        user.email = f"rep{index}@example.com"
        user.save()


@pytest.mark.django_db
def test_the_digest_tells_a_rep_their_whole_day_once(manager, other_manager, mailoutbox) -> None:
    _with_email(manager, other_manager)
    now = timezone.now()
    today = timezone.localdate()
    TaskFactory(owner=manager, title="逾期任务", due_at=now - datetime.timedelta(days=2))
    TaskFactory(owner=manager, title="下周任务", due_at=now + datetime.timedelta(days=8))
    chance = SalesChanceFactory(status=SalesChance.Status.ASSIGNED, assignee=manager)
    PlanItemFactory(chance=chance, date=today, todo="上门演示")
    PlanItemFactory(chance=chance, date=today + datetime.timedelta(days=3), todo="以后再说")
    customer = CustomerFactory(manager=manager, name="瑞丰贸易")
    ContactFactory(customer=customer, name="王芳", birthday=today.replace(year=1990))
    CustomerLossFactory(customer=CustomerFactory(manager=manager, name="流失预警公司"))
    # The other rep's records stay out of this rep's digest.
    TaskFactory(owner=other_manager, title="别人的任务", due_at=now - datetime.timedelta(hours=1))

    assert send_morning_digests() == 2
    assert send_morning_digests() == 0  # claimed for the day
    queued = {m.to[0]: m for m in OutboxMail.objects.filter(purpose="digest")}
    assert set(queued) == {"rep0@example.com", "rep1@example.com"}
    body = queued["rep0@example.com"].body
    for expected in ("! ", "逾期任务", "上门演示", "王芳", "瑞丰贸易", "流失预警公司"):
        assert expected in body
    for absent in ("下周任务", "以后再说", "别人的任务"):
        assert absent not in body
    assert "别人的任务" in queued["rep1@example.com"].body

    mail.deliver_due()  # the outbox sends them
    assert sorted(message.to[0] for message in mailoutbox) == [
        "rep0@example.com",
        "rep1@example.com",
    ]


@pytest.mark.django_db
def test_the_digest_is_written_in_the_recipients_language(manager) -> None:
    _with_email(manager)
    manager.language = "zh-hans"
    manager.save()
    TaskFactory(owner=manager, due_at=timezone.now() - datetime.timedelta(hours=1))
    assert send_morning_digests() == 1
    queued = OutboxMail.objects.get(purpose="digest")
    assert "今天" in queued.subject or "今日" in queued.subject
    assert "任务" in queued.body


@pytest.mark.django_db
def test_no_digest_without_news_or_when_switched_off(manager, other_manager) -> None:
    _with_email(manager, other_manager)
    TaskFactory(owner=manager, due_at=timezone.now() - datetime.timedelta(hours=1))
    task_services.task_settings_update(user=manager, digest_enabled=False)
    # other_manager has nothing due today.
    TaskFactory(owner=other_manager, due_at=timezone.now() + datetime.timedelta(days=3))
    assert send_morning_digests() == 0
    assert not OutboxMail.objects.exists()


@pytest.mark.django_db
def test_the_job_runs_through_celery_and_records_its_run(manager) -> None:
    _with_email(manager)
    TaskFactory(owner=manager, due_at=timezone.now() - datetime.timedelta(hours=1))
    assert send_morning_digests_task.delay().get() == "1 morning digest(s) queued."
    assert send_morning_digests_task.delay().get() == "0 morning digest(s) queued."

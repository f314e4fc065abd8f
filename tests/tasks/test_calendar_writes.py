"""The calendar's drag to reschedule and the interaction with its next step."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sales.models import Activity
from tasks import services
from tasks.models import Task
from tasks.services import TASK_CANNOT_ASSIGN, TASK_CANNOT_EDIT
from tasks.views import MOVE_BAD_START
from tests.factories.sales import CustomerFactory
from tests.factories.tasks import TaskFactory

pytestmark = pytest.mark.django_db


def _move(client, task, **data):
    return client.post(reverse("tasks:move", args=[task.pk]), data)


def test_dragging_a_task_reschedules_it_and_rearms_its_reminder(client, manager) -> None:
    due = timezone.now() + datetime.timedelta(days=2)
    task = services.task_create(
        actor=manager, title="回访", due_at=due, remind_before=datetime.timedelta(hours=1)
    )
    client.force_login(manager)
    response = _move(client, task, start="2030-05-06T09:30:00+08:00", all_day="0")
    assert response.status_code == 200
    task.refresh_from_db()
    local = timezone.localtime(task.due_at)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2030, 5, 6), 9, 30)
    assert task.remind_at == task.due_at - datetime.timedelta(hours=1)
    assert task.reminded_at is None
    assert json.loads(response.content)["id"] == task.pk
    # Dropped on a day cell: an all-day task at the start of that day.
    assert _move(client, task, start="2030-05-08", all_day="1").status_code == 200
    task.refresh_from_db()
    assert task.all_day
    assert timezone.localtime(task.due_at).hour == 0


def test_a_bad_start_is_a_400_and_a_refused_move_a_409(client, manager) -> None:
    task = TaskFactory(owner=manager)
    client.force_login(manager)
    bad = _move(client, task, start="next tuesday")
    assert bad.status_code == 400
    assert json.loads(bad.content)["error"] == str(MOVE_BAD_START)
    task.status, task.completed_at = Task.Status.DONE, timezone.now()
    task.save()
    refused = _move(client, task, start="2030-01-01T10:00:00+08:00")
    assert refused.status_code == 409
    assert json.loads(refused.content)["error"] == str(TASK_CANNOT_EDIT)


def test_an_interaction_with_a_next_step_files_a_task_for_the_customer(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(manager)
    url = reverse("tasks:activity-create", args=[customer.number])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "visit",
            "occurred_at": "2026-11-20T10:00",
            "place": "客户公司",
            "title": "年度拜访",
            "next_title": "发送报价单",
            "next_kind": "call",
            "next_date": "2026-11-25",
            "next_time": "09:00",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(customer=customer)
    assert (activity.kind, activity.author) == ("visit", manager)
    task = Task.objects.get(customer=customer)
    assert (task.title, task.owner, task.kind, task.all_day) == (
        "发送报价单",
        manager,
        "call",
        False,
    )
    assert timezone.localtime(task.due_at).hour == 9


def test_the_next_step_is_optional_but_needs_a_date(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(manager)
    url = reverse("tasks:activity-create", args=[customer.number])
    base = {"kind": "call", "occurred_at": "2026-11-20T10:00", "place": "电话", "title": "回访"}
    missing = client.post(url, {**base, "next_title": "再打一次"})
    assert "next_date" in missing.context["form"].errors
    assert not Activity.objects.exists()
    assert client.post(url, base).status_code == 302
    assert Activity.objects.count() == 1
    assert not Task.objects.exists()


def test_interaction_and_next_step_are_written_together_or_not_at_all(
    manager, other_manager
) -> None:
    customer = CustomerFactory(manager=manager)
    with pytest.raises(ValidationError) as refused:
        services.activity_log_with_next_step(
            actor=manager,
            customer=customer,
            activity={"kind": "call", "occurred_at": timezone.now(), "place": "电话", "title": "x"},
            next_step={
                "title": "交给同事",
                "due_at": timezone.now(),
                "owner": other_manager,  # a rep files tasks for themselves only
            },
        )
    assert refused.value.messages == [str(TASK_CANNOT_ASSIGN)]
    assert not Activity.objects.exists()
    assert not Task.objects.exists()

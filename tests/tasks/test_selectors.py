import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tasks.periods import day_bounds
from tasks.selectors import feed_tasks, task_list
from tests.factories.tasks import TaskFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def test_task_list_annotates_overdue_and_applies_filters(manager, supervisor) -> None:
    now = timezone.now()
    late = TaskFactory(owner=manager, due_at=now - datetime.timedelta(minutes=5))
    all_day_today = TaskFactory(owner=manager, due_at=day_bounds()[0], all_day=True)
    mine = TaskFactory(owner=supervisor)
    delegated = TaskFactory(owner=manager, creator=supervisor)
    rows = {task.pk: task.overdue for task in task_list(user=manager)}
    assert rows[late.pk] is True
    assert rows[all_day_today.pk] is False
    assert mine.pk not in rows
    assert {t.pk for t in task_list(user=supervisor, filters={"whose": "mine"})} == {mine.pk}
    assert {t.pk for t in task_list(user=supervisor, filters={"whose": "delegated"})} == {
        delegated.pk
    }


def test_this_week_runs_from_today_to_sunday_in_local_time() -> None:
    monday_noon = datetime.datetime(2030, 1, 7, 12, tzinfo=SHANGHAI)  # a Monday
    today, tomorrow, week_end = day_bounds(monday_noon)
    assert timezone.localtime(today).date() == datetime.date(2030, 1, 7)
    assert tomorrow - today == datetime.timedelta(days=1)
    assert timezone.localtime(week_end).date() == datetime.date(2030, 1, 14)


def test_the_feed_holds_only_the_users_own_open_tasks(manager, supervisor) -> None:
    own = TaskFactory(owner=manager)
    TaskFactory(owner=manager, status=3)
    TaskFactory(owner=manager, due_at=timezone.now() - datetime.timedelta(days=200))
    TaskFactory(owner=supervisor, creator=manager)
    assert [task.pk for task in feed_tasks(manager)] == [own.pk]


def test_the_home_counts_today_the_week_and_the_overdue_up_to_the_cap(
    manager, supervisor, settings
) -> None:
    from tasks.selectors import open_task_counts
    from tests.factories.sales import CustomerFactory

    # A Wednesday, 10:00 in Beijing: the week runs to Sunday night.
    now = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    hours = datetime.timedelta(hours=1)
    days = datetime.timedelta(days=1)
    for due, all_day in (
        (now - 2 * hours, False),  # today and overdue
        (now + 2 * hours, False),  # today
        (now - 3 * days, False),  # overdue
        (now.replace(hour=0) - days, True),  # yesterday, all day: overdue
        (now.replace(hour=0), True),  # today, all day: not overdue yet
        (now + 3 * days, False),  # this week (Saturday)
        (now + 6 * days, False),  # next week
    ):
        TaskFactory(owner=manager, due_at=due, all_day=all_day)
    TaskFactory(owner=manager, due_at=now - days, status=2, completed_at=now)  # done
    TaskFactory(owner=supervisor, due_at=now - days)  # someone else's
    # A customer the manager no longer sees hides its task.
    gone = CustomerFactory(manager=supervisor)
    TaskFactory(owner=manager, due_at=now - days, customer=gone)

    counts = open_task_counts(manager, now=now)

    assert counts == {"today": 3, "overdue": 3, "overdue_capped": False, "week": 4}
    settings.CRM_COUNT_CAP = 2
    capped = open_task_counts(manager, now=now)
    assert capped == {"today": 3, "overdue": 2, "overdue_capped": True, "week": 4}

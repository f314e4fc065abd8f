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

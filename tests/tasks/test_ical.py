import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from tasks import services
from tasks.models import Task
from tests.factories.sales import CustomerFactory
from tests.factories.tasks import TaskFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def _feed(client, token: str):
    return client.get(reverse("tasks:feed", args=[token]))


def test_the_feed_parses_and_holds_only_the_users_open_visible_tasks(
    client, manager, other_manager
) -> None:
    due = timezone.now() + datetime.timedelta(days=1)
    timed = services.task_create(
        actor=manager,
        title="拜访客户; 带上报价单, 样品",
        kind=Task.Kind.VISIT,
        place="北京市海淀区",
        notes="第一行\n第二行 " + "很长的说明" * 30,
        due_at=due,
        remind_before=datetime.timedelta(minutes=45),
    )
    all_day = services.task_create(
        actor=manager,
        title="整理小结",
        due_at=datetime.datetime(2030, 1, 2, 12, tzinfo=SHANGHAI),
        all_day=True,
    )
    done = services.task_complete(
        actor=manager, task=services.task_create(actor=manager, title="已完成", due_at=due)
    )
    hidden = TaskFactory(owner=manager, customer=CustomerFactory(manager=other_manager))
    TaskFactory(owner=other_manager, title="别人的任务")
    token = services.feed_token_regenerate(user=manager)

    response = _feed(client, token)  # no login
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    host = "testserver"
    assert set(events) == {f"task-{timed.pk}@{host}", f"task-{all_day.pk}@{host}"}
    assert f"task-{done.pk}@{host}" not in events
    assert f"task-{hidden.pk}@{host}" not in events

    event = events[f"task-{timed.pk}@{host}"]
    assert str(event["SUMMARY"]) == "拜访客户; 带上报价单, 样品"
    assert str(event["LOCATION"]) == "北京市海淀区"
    assert str(event["DESCRIPTION"]).startswith("第一行\n第二行")
    assert event.decoded("DTSTART") == timed.due_at.replace(microsecond=0)
    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    assert alarms[0].decoded("TRIGGER") == -datetime.timedelta(minutes=45)

    day_event = events[f"task-{all_day.pk}@{host}"]
    assert day_event.decoded("DTSTART") == datetime.date(2030, 1, 2)
    assert day_event.decoded("DTEND") == datetime.date(2030, 1, 3)
    assert not day_event.walk("VALARM")
    # Lines are folded at 75 octets, as RFC 5545 requires.
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))


def test_regenerating_the_token_revokes_the_old_address(client, manager) -> None:
    old = services.feed_token_regenerate(user=manager)
    new = services.feed_token_regenerate(user=manager)
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200


def test_the_token_is_stored_only_as_a_digest(manager) -> None:
    token = services.feed_token_regenerate(user=manager)
    stored = manager.task_settings.feed_token_hash
    assert token not in stored
    assert stored == services.feed_token_digest(token)


def test_a_user_who_lost_the_right_or_was_disabled_gets_no_feed(client, manager) -> None:
    token = services.feed_token_regenerate(user=manager)
    manager.is_active = False
    manager.save()
    assert _feed(client, token).status_code == 404


def test_the_settings_page_shows_a_new_address_once(client, manager) -> None:
    client.force_login(manager)
    response = client.post(reverse("tasks:settings"), {"action": "regenerate"})
    assert response.status_code == 200
    url = response.context["feed_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert _feed(client, token).status_code == 200
    again = client.get(reverse("tasks:settings"))
    assert "feed_url" not in again.context
    assert again.context["has_feed"]

"""The calendar: the agenda's range rules, its three kinds of entries and the overlay."""

import datetime
import json
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from marketing.models import SalesChance
from reports.agenda import (
    RANGE_MALFORMED,
    RANGE_MISSING,
    RANGE_REVERSED,
    RANGE_TOO_LONG,
    RangeError,
    calendar_feed,
    parse_range,
)
from tests.factories.marketing import PlanItemFactory, SalesChanceFactory
from tests.factories.sales import ActivityFactory, CustomerFactory
from tests.factories.tasks import TaskFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

DECEMBER = ("2026-11-30T00:00:00+08:00", "2027-01-11T00:00:00+08:00")


def _aware(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def _events(feed: dict) -> list[dict]:
    """The feed as FullCalendar events, expanded as static/js/calendar.js does."""
    tasks = feed["tasks"]
    return [
        {
            "id": f"task-{pk}",
            "title": title,
            "start": start,
            "allDay": all_day,
            "editable": editable,
            "classNames": tasks["classes"][kind],
            "url": f"{tasks['url']}{pk}/",
        }
        for pk, title, start, all_day, editable, kind in tasks["rows"]
    ] + feed["events"]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (None, "2026-12-01", RANGE_MISSING),
        ("yesterday", "2026-12-01", RANGE_MALFORMED),
        ("2026-12-08", "2026-12-01", RANGE_REVERSED),
        ("2026-01-01", "2026-06-01", RANGE_TOO_LONG),
    ],
)
def test_bad_ranges_are_refused_with_their_reason(start, end, message) -> None:
    with pytest.raises(RangeError) as refused:
        parse_range(start, end)
    assert str(refused.value) == str(message)


def test_a_range_of_dates_starts_at_local_midnight() -> None:
    start, end = parse_range("2026-12-01", "2026-12-08")
    assert timezone.localtime(start).hour == 0
    assert end - start == datetime.timedelta(days=7)


def _world(manager, other_manager):
    customer = CustomerFactory(manager=manager, name="明科")
    task = TaskFactory(
        owner=manager, customer=customer, title="回访", due_at=_aware(2026, 12, 3, 10)
    )
    TaskFactory(owner=manager, title="已取消", due_at=_aware(2026, 12, 4, 10), status=3)
    TaskFactory(owner=manager, title="下个月以后", due_at=_aware(2027, 3, 4, 10))
    TaskFactory(owner=other_manager, title="别人的", due_at=_aware(2026, 12, 3, 10))
    chance = SalesChanceFactory(
        creator=manager, assignee=manager, status=SalesChance.Status.ASSIGNED, customer_name="华电"
    )
    plan = PlanItemFactory(chance=chance, date=datetime.date(2026, 12, 5), todo="演示产品")
    visit = ActivityFactory(
        customer=customer, kind="visit", occurred_at=_aware(2026, 12, 2, 14), title="上门拜访"
    )
    ActivityFactory(customer=customer, kind="call", occurred_at=_aware(2026, 12, 2, 9))
    return task, plan, visit


def test_the_agenda_holds_tasks_plan_items_and_visits(
    manager, other_manager, django_assert_num_queries
) -> None:
    task, plan, visit = _world(manager, other_manager)
    start, end = parse_range(*DECEMBER)
    manager.has_perm("tasks.view_task")  # rights are read once per request
    with django_assert_num_queries(3):
        events = _events(calendar_feed(manager, manager, start, end))
    by_id = {event["id"]: event for event in events}
    assert set(by_id) == {f"task-{task.pk}", f"plan-{plan.pk}", f"visit-{visit.pk}"}
    moved = by_id[f"task-{task.pk}"]
    assert moved["start"] == _aware(2026, 12, 3, 10).timestamp() * 1000  # ms since the epoch
    assert moved["allDay"] is False
    assert moved["editable"] is True
    assert moved["classNames"] == "agenda-task agenda-task-todo"
    assert moved["url"] == reverse("tasks:detail", args=[task.pk])
    assert "明科" in moved["title"]
    assert by_id[f"plan-{plan.pk}"] == {
        **by_id[f"plan-{plan.pk}"],
        "start": "2026-12-05",
        "allDay": True,
        "editable": False,
        "url": reverse("marketing:development-detail", args=[plan.chance_id]),
    }
    assert by_id[f"visit-{visit.pk}"]["editable"] is False
    assert by_id[f"visit-{visit.pk}"]["start"] == _aware(2026, 12, 2, 14).timestamp() * 1000
    assert by_id[f"visit-{visit.pk}"]["title"] == f"上门拜访 · {visit.customer.name}"
    assert by_id[f"visit-{visit.pk}"]["url"] == reverse(
        "sales:activity-detail", args=[visit.customer.number, visit.pk]
    )


def test_all_day_tasks_start_on_their_local_date_and_done_ones_are_marked(manager) -> None:
    # Midnight in Shanghai is still the previous day in UTC: the date is the local one.
    all_day = TaskFactory(owner=manager, due_at=_aware(2026, 12, 4, 0, 0), all_day=True)
    done = TaskFactory(
        owner=manager,
        kind="call",
        due_at=_aware(2026, 12, 5, 23, 30),
        status=2,
        completed_at=timezone.now(),
    )
    TaskFactory(owner=manager, kind="call", due_at=_aware(2026, 12, 6, 9))
    by_id = {
        event["id"]: event
        for event in _events(calendar_feed(manager, manager, *parse_range(*DECEMBER)))
    }
    assert by_id[f"task-{all_day.pk}"]["start"] == "2026-12-04"
    assert by_id[f"task-{all_day.pk}"]["allDay"] is True
    assert by_id[f"task-{done.pk}"]["start"] == _aware(2026, 12, 5, 23, 30).timestamp() * 1000
    assert by_id[f"task-{done.pk}"]["classNames"] == "agenda-task agenda-task-call agenda-done"
    assert by_id[f"task-{done.pk}"]["editable"] is False  # done tasks do not move
    assert len({event["classNames"] for event in by_id.values()}) == 3


def test_a_range_past_the_limit_is_cut_and_says_so(manager, monkeypatch) -> None:
    monkeypatch.setattr("reports.agenda.CALENDAR_LIMIT", 3)
    monkeypatch.setattr("tasks.selectors.CALENDAR_LIMIT", 3)
    tasks = [TaskFactory(owner=manager, due_at=_aware(2026, 12, day, 9)) for day in (1, 2, 3)]
    feed = calendar_feed(manager, manager, *parse_range(*DECEMBER))
    assert feed["tasks"]["truncated"] is False
    TaskFactory(owner=manager, due_at=_aware(2026, 12, 4, 9))
    feed = calendar_feed(manager, manager, *parse_range(*DECEMBER))
    assert feed["tasks"]["truncated"] is True
    assert [row[0] for row in feed["tasks"]["rows"]] == [task.pk for task in tasks]


def test_the_events_view_answers_json_and_refuses_bad_ranges(client, manager) -> None:
    TaskFactory(owner=manager, title="回访", due_at=_aware(2026, 12, 3, 10))
    client.force_login(manager)
    url = reverse("reports:calendar-events")
    response = client.get(url, {"start": DECEMBER[0], "end": DECEMBER[1]})
    assert response.status_code == 200
    assert [event["title"] for event in _events(json.loads(response.content))] == ["回访"]
    bad = client.get(url, {"start": "2026-12-08", "end": "2026-12-01"})
    assert bad.status_code == 400
    assert json.loads(bad.content) == {"error": str(RANGE_REVERSED)}


def test_supervisors_overlay_a_reps_calendar_and_reps_cannot(
    client, manager, other_manager, supervisor, django_assert_max_num_queries
) -> None:
    task, _plan, _visit = _world(manager, other_manager)
    url = reverse("reports:calendar-events")
    query = {"start": DECEMBER[0], "end": DECEMBER[1], "user": manager.pk}
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(url, query)
    ids = {event["id"] for event in _events(json.loads(response.content))}
    assert f"task-{task.pk}" in ids
    page = client.get(reverse("reports:calendar"), {"user": manager.pk}).content.decode()
    assert f'<option value="{manager.pk}" selected>' in page
    client.force_login(other_manager)
    assert client.get(url, query).status_code == 403
    assert client.get(reverse("reports:calendar"), {"user": manager.pk}).status_code == 403


def test_a_view_all_holder_reads_the_customer_names_row_by_row(
    manager, other_manager, supervisor
) -> None:
    """The rep's visibility joins the customer (its name comes with it); a view-all holder's
    does not, and a join for the name alone let the planner hash every customer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task, _plan, _visit = _world(manager, other_manager)
    start, end = parse_range(*DECEMBER)
    for viewer, joined in ((manager, True), (supervisor, False)):
        with CaptureQueriesContext(connection) as queries:
            rows = calendar_feed(viewer, manager, start, end)["tasks"]["rows"]
        (sql,) = [query["sql"] for query in queries if 'FROM "sal_task"' in query["sql"]]
        assert ('JOIN "cst_customer"' in sql) is joined
        assert [row[1] for row in rows if row[0] == task.pk] == ["回访 (明科)"]


def test_a_month_of_two_hundred_tasks_stays_within_the_query_budget(
    client, manager, django_assert_max_num_queries
) -> None:
    for day in range(1, 29):
        TaskFactory.create_batch(7, owner=manager, due_at=_aware(2026, 12, day, 9))
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("reports:calendar-events"), {"start": DECEMBER[0], "end": DECEMBER[1]}
        )
    assert len(_events(json.loads(response.content))) == 196
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:calendar"))
    assert 'id="calendar-config"' in page.content.decode()
    assert "<script>" not in page.content.decode()  # no inline scripts (CSP)

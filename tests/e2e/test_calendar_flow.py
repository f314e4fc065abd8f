"""A rep's day in the browser (Chinese UI): a task from a customer, seen in the calendar, dragged
to another day, reminded by the tick, marked done."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from accounts.models import Notification
from jobs.mail import deliver_due
from tasks.models import Task
from tasks.services import send_task_reminders
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_task_from_customer_to_calendar_drag_reminder_and_done(open_page, mailoutbox):
    manager = UserFactory(
        username="xiaoming", first_name="小明", role=role("manager"), email="xm@example.com"
    )
    manager.language = "zh-hans"
    manager.save()
    customer = CustomerFactory(manager=manager, name="聪海信息科技有限公司")

    page = open_page("zh-CN")
    login(page, "xiaoming", PASSWORD)
    page.goto(f"/customers/{customer.number}/")
    page.click("[data-testid=customer-task-add]")
    page.fill("input[name=title]", "回访聪海")
    page.fill("input[name=due_date]", "2030-03-04")
    page.fill("input[name=due_time]", "14:30")
    page.fill("input[name=remind_value]", "1")
    page.select_option("select[name=remind_unit]", "hours")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已创建")
    task = Task.objects.get()
    assert task.customer == customer

    page.goto("/reports/calendar/?date=2030-03-04")
    event = page.locator(f"[data-event-id=task-{task.pk}]")
    event.wait_for()
    assert "回访聪海" in event.inner_text()
    assert page.locator(".fc-toolbar-title").inner_text().startswith("2030年3月")

    # Drag it two days later in the month grid.
    target = page.locator("td[data-date='2030-03-06'] .fc-daygrid-day-frame")
    source_box, target_box = event.bounding_box(), target.bounding_box()
    page.mouse.move(source_box["x"] + 5, source_box["y"] + source_box["height"] / 2)
    page.mouse.down()
    page.mouse.move(source_box["x"] + 20, source_box["y"] + 10, steps=5)
    page.mouse.move(target_box["x"] + 20, target_box["y"] + 30, steps=15)
    page.mouse.up()
    # A locator wait, not wait_for_function: the CSP (no unsafe-eval) refuses evaluated strings.
    page.locator("#calendar[data-last-move]").wait_for(state="attached", timeout=10_000)
    task.refresh_from_db()
    local = timezone.localtime(task.due_at)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2030, 3, 6), 14, 30)
    assert page.locator("td[data-date='2030-03-06']").inner_text().count("回访聪海") == 1

    # The reminder comes one hour before the new time, once.
    assert send_task_reminders(now=task.due_at - datetime.timedelta(hours=2)) == 0
    assert send_task_reminders(now=task.remind_at) == 1
    assert send_task_reminders(now=task.remind_at) == 0
    note = Notification.objects.get(user=manager)
    assert "回访聪海" in note.text
    assert mailoutbox == []  # queued in the outbox; its tick sends it
    assert deliver_due().sent == 1
    assert [message.to for message in mailoutbox] == [["xm@example.com"]]
    assert "回访聪海" in mailoutbox[0].subject

    page.goto(note.link)
    page.click("button:has-text('标记完成')")
    page.wait_for_selector("text=已完成")
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert page.console_errors == []


def test_a_range_past_the_task_limit_says_so_on_the_calendar(open_page, monkeypatch):
    """The feed sends at most CALENDAR_LIMIT tasks; past it the page shows a notice instead of
    cutting silently (the live server runs in this process, so the limit can be lowered)."""
    manager = UserFactory(username="xiaoming", first_name="小明", role=role("manager"))
    manager.language = "zh-hans"
    manager.save()
    day = datetime.datetime(2030, 3, 4, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    first = Task.objects.create(title="第一件", owner=manager, creator=manager, due_at=day)
    page = open_page("zh-CN")
    login(page, "xiaoming", PASSWORD)
    page.goto("/reports/calendar/?date=2030-03-04")
    page.locator(f"[data-event-id=task-{first.pk}]").wait_for()
    assert page.locator("[data-testid=calendar-truncated]").is_hidden()

    Task.objects.create(
        title="第二件", owner=manager, creator=manager, due_at=day + datetime.timedelta(hours=1)
    )
    monkeypatch.setattr("reports.agenda.CALENDAR_LIMIT", 1)
    monkeypatch.setattr("tasks.selectors.CALENDAR_LIMIT", 1)
    monkeypatch.setattr("reports.calendar_views.CALENDAR_LIMIT", 1)
    page.reload()
    page.locator(f"[data-event-id=task-{first.pk}]").wait_for()
    notice = page.locator("[data-testid=calendar-truncated]")
    notice.wait_for(state="visible")
    assert "超过 1 条" in notice.inner_text()
    assert page.locator("[data-testid=calendar-event]").count() == 1

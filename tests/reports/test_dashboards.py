import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.dashboards import dashboard
from sales.birthdays import birthdays_in
from sales.models import Contact, CustomerLoss
from tests.factories.marketing import PlanItemFactory, SalesChanceFactory
from tests.factories.sales import (
    ContactFactory,
    CustomerFactory,
    CustomerLossFactory,
    OrderLineFactory,
)
from tests.factories.service import ServiceRequestFactory

pytestmark = pytest.mark.django_db


def _birthdays(today: datetime.date) -> set[str]:
    return set(Contact.objects.filter(birthdays_in(today, 7)).values_list("name", flat=True))


def test_birthdays_wrap_around_the_year_and_handle_29_february() -> None:
    customer = CustomerFactory()
    for name, day in (
        ("元旦", (1, 2)),
        ("除夕", (12, 30)),
        ("闰日", (2, 29)),
        ("三月", (3, 1)),
        ("七月", (7, 1)),
    ):
        ContactFactory(customer=customer, name=name, birthday=datetime.date(1980, *day))
    assert _birthdays(datetime.date(2026, 12, 28)) == {"元旦", "除夕"}
    assert _birthdays(datetime.date(2026, 2, 24)) == {"闰日", "三月"}  # 2026 has no 29 February
    assert _birthdays(datetime.date(2028, 2, 20)) == set()  # 2028 does: 29 Feb is beyond the week


def test_sections_follow_rights(manager, supervisor, executive, admin_user) -> None:
    assert dashboard(manager).sections == ["manager", "executive"]
    assert dashboard(supervisor).sections == ["supervisor", "executive", "forecast"]
    assert dashboard(executive).sections == ["executive", "forecast"]
    assert dashboard(admin_user).sections == []


def test_managers_day_lists_what_is_due(client, manager, supervisor, other_manager) -> None:
    today = timezone.localdate()
    mine = CustomerFactory(manager=manager)
    chance = SalesChanceFactory(creator=supervisor, assignee=manager, status=2)
    PlanItemFactory(chance=chance, date=today, todo="今天回访")
    PlanItemFactory(chance=chance, date=today + datetime.timedelta(days=3), todo="以后再说")
    ServiceRequestFactory(
        customer=mine, creator=manager, assignee=manager, status=2, title="待处理投诉"
    )
    ContactFactory(customer=mine, name="寿星", birthday=today.replace(year=1985))
    ContactFactory(
        customer=CustomerFactory(manager=other_manager),
        name="别人的寿星",
        birthday=today.replace(year=1985),
    )
    CustomerLossFactory(customer=mine)
    client.force_login(manager)

    page = client.get(reverse("home")).content.decode()

    assert "今天回访" in page
    assert "以后再说" not in page
    assert "待处理投诉" in page
    assert "寿星" in page
    assert "别人的寿星" not in page
    assert mine.name in page


def test_executive_sees_trend_funnel_and_top_customers(client, executive, manager) -> None:
    top = CustomerFactory(manager=manager, name="聪海信息科技有限公司")
    OrderLineFactory(
        order__customer=top, order__date=timezone.localdate(), count=2, unit_price=Decimal(1000)
    )
    SalesChanceFactory(
        creator=manager, assignee=manager, status=2, rate=50, expected_amount=Decimal(1000)
    )
    CustomerLossFactory(
        customer=CustomerFactory(manager=manager),
        status=CustomerLoss.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    client.force_login(executive)

    response = client.get(reverse("home"))
    page = response.content.decode()
    charts = dict(response.context["board"].charts)

    assert set(charts) == {
        "chart-trend",
        "chart-funnel",
        "chart-composition",
        "chart-losses",
        "chart-forecast",
    }
    assert charts["chart-trend"]["series"][0]["data"][-1] == 2000.0
    assert len(charts["chart-trend"]["xAxis"]["data"]) == 24
    assert "聪海信息科技有限公司" in page
    assert "500.00" in page  # weighted forecast


def test_todays_work_counts_the_tasks_and_links_to_the_lists(
    client, manager, django_assert_max_num_queries
) -> None:
    import datetime as dt

    from django.utils import timezone

    from tests.factories.tasks import TaskFactory

    now = timezone.now()
    TaskFactory(owner=manager, title="逾期的", due_at=now - dt.timedelta(days=3))
    TaskFactory(owner=manager, title="明年的", due_at=now + dt.timedelta(days=400))
    TaskFactory(owner=manager, status=2, completed_at=now, due_at=now - dt.timedelta(days=1))
    client.force_login(manager)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("home"))
    day = response.context["board"].data["manager"]
    assert day["task_counts"]["overdue"] == 1
    assert [task.title for task in day["tasks"]] == ["逾期的"]
    html = response.content.decode()
    assert 'href="/tasks/?tab=overdue" data-testid="count-overdue"' in html
    assert reverse("reports:calendar") in html


def test_the_funnel_keeps_the_order_of_the_stages_whatever_their_size(supervisor) -> None:
    from marketing.models import SalesChance
    from reports.dashboards import supervisor_queue
    from reports.rendering.echarts import echarts_option

    SalesChanceFactory(creator=supervisor)  # 1 unassigned
    SalesChanceFactory.create_batch(
        3,
        creator=supervisor,
        assignee=supervisor,
        assigned_at=timezone.now(),
        status=SalesChance.Status.SUCCEEDED,
    )
    _context, funnel = supervisor_queue(supervisor)
    series = echarts_option(funnel)["series"][0]
    assert series["sort"] == "none"
    assert [point["name"] for point in series["data"]] == [
        str(SalesChance.Status.UNASSIGNED.label),
        str(SalesChance.Status.ASSIGNED.label),
        str(SalesChance.Status.SUCCEEDED.label),
    ]
    assert [point["value"] for point in series["data"]] == [1, 0, 3]


def test_the_overdue_badge_says_when_there_are_more_than_the_cap(client, manager, settings) -> None:
    import datetime as dt

    from django.utils import timezone

    from tests.factories.tasks import TaskFactory

    for days in (2, 3, 4):
        TaskFactory(owner=manager, due_at=timezone.now() - dt.timedelta(days=days))
    settings.CRM_COUNT_CAP = 2
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="count-overdue">' in html
    badge = html.split('data-testid="count-overdue">', 1)[1].split("</a>", 1)[0]
    assert '<span class="badge text-bg-danger">2+</span>' in badge

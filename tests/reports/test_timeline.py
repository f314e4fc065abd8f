"""The customer timeline: every kind of entry, newest first, filtered, paged, each with its link."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from reports.timeline import PAGE_SIZE, customer_timeline
from service.models import ServiceEvent
from tests.factories.sales import (
    ActivityFactory,
    CustomerFactory,
    CustomerLossFactory,
    OrderFactory,
)
from tests.factories.service import ServiceRequestFactory
from tests.factories.tasks import TaskFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _aware(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def _world(manager, supervisor):
    customer = CustomerFactory(manager=manager)
    activity = ActivityFactory(customer=customer, occurred_at=_aware(2026, 11, 5, 10), title="拜访")
    order = OrderFactory(customer=customer, date=datetime.date(2026, 11, 3))
    ticket = ServiceRequestFactory(customer=customer, creator=manager, title="投诉")
    step = ServiceEvent.objects.create(request=ticket, kind="created", user=manager)
    ServiceEvent.objects.filter(pk=step.pk).update(created_at=_aware(2026, 11, 4, 9))
    loss = CustomerLossFactory(customer=customer)
    type(loss).objects.filter(pk=loss.pk).update(created_at=_aware(2026, 11, 1, 8))
    task = TaskFactory(
        owner=manager, customer=customer, due_at=_aware(2026, 11, 6, 9), title="回访"
    )
    hidden = TaskFactory(owner=supervisor, creator=supervisor, customer=customer, title="主管的")
    return customer, activity, order, ticket, task, hidden


def test_the_timeline_merges_every_kind_newest_first_with_links(
    manager, supervisor, django_assert_max_num_queries
) -> None:
    customer, activity, order, ticket, task, _hidden = _world(manager, supervisor)
    manager.has_perm("tasks.view_task")
    with django_assert_max_num_queries(6):
        page = customer_timeline(manager, customer)
    assert [entry.kind for entry in page.entries] == [
        "task",
        "activity",
        "service",
        "order",
        "loss",
    ]
    urls = [entry.url for entry in page.entries]
    assert urls[:4] == [
        reverse("tasks:detail", args=[task.pk]),
        reverse("sales:activity-detail", args=[customer.number, activity.pk]),
        reverse("service:detail", args=[ticket.pk]),
        reverse("sales:order-detail", args=[customer.number, order.pk]),
    ]
    assert "主管的" not in [entry.title for entry in page.entries]  # not the manager's to see
    assert not page.has_next


def test_the_timeline_filters_by_kind_and_pages(manager, supervisor) -> None:
    customer, *_rest = _world(manager, supervisor)
    for day in range(1, PAGE_SIZE + 5):
        ActivityFactory(
            customer=customer, occurred_at=_aware(2026, 10, 1, 9) - datetime.timedelta(days=day)
        )
    only = customer_timeline(manager, customer, kinds=("activity",))
    assert {entry.kind for entry in only.entries} == {"activity"}
    assert only.has_next
    assert only.kinds == ("activity",)
    second = customer_timeline(manager, customer, page=2, kinds=("activity",))
    assert len(second.entries) == PAGE_SIZE + 5 - PAGE_SIZE  # 25 interactions, 20 a page
    assert not second.has_next
    everything = customer_timeline(manager, customer, page=1)
    first_two = customer_timeline(manager, customer, page=2)
    keys = [(e.kind, e.at) for e in everything.entries + first_two.entries]
    assert len(keys) == len(set(keys)) == PAGE_SIZE + 9  # no entry twice, none lost
    assert keys == sorted(keys, key=lambda key: key[1], reverse=True)


def test_the_customer_page_loads_the_timeline_and_the_fragment_pages_it(
    client, manager, supervisor
) -> None:
    customer, *_rest = _world(manager, supervisor)
    client.force_login(manager)
    detail = client.get(reverse("sales:customer-detail", args=[customer.number])).content.decode()
    url = reverse("reports:customer-timeline", args=[customer.number])
    assert f'hx-get="{url}"' in detail
    fragment = client.get(url, {"kind": ["activity", "task"]}).content.decode()
    assert fragment.count('data-testid="timeline-entry"') == 2
    assert "拜访" in fragment
    assert "回访" in fragment
    assert client.get(url, {"page": "x"}).status_code == 200  # a bad page is the first

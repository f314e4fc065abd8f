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
        page = customer_timeline(
            manager, customer, kinds=("task", "activity", "service", "order", "loss")
        )
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
    assert len(keys) == len(set(keys)) == PAGE_SIZE + 10  # no entry twice, none lost
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


def test_the_timeline_shows_who_changed_which_field_of_the_customer_and_its_contacts(
    manager, other_manager, supervisor, django_assert_max_num_queries
) -> None:
    from audit.context import history_actor
    from sales.services import contact_update, customer_transfer, customer_update
    from tests.factories.sales import ContactFactory

    customer = CustomerFactory(manager=manager, phone="010-1")
    contact = ContactFactory(customer=customer, name="王芳", mobile="139")
    with history_actor(manager):
        customer_update(actor=manager, customer=customer, phone="010-2")
        contact_update(actor=manager, contact=contact, mobile="138")
    with history_actor(supervisor):
        customer_transfer(actor=supervisor, customers=[customer], to_manager=other_manager)
    with django_assert_max_num_queries(7):
        page = customer_timeline(supervisor, customer, kinds=("change",))
    details = [(entry.title, entry.detail) for entry in page.entries]
    # Newest first: the transfer, the contact's mobile, the customer's phone, then the creations.
    assert details[0][0].startswith(str(supervisor))
    assert f"{manager} → {other_manager}" in details[0][1]
    assert "王芳" in details[1][0]
    assert "139 → 138" in details[1][1]
    assert "010-1 → 010-2" in details[2][1]
    assert page.entries[0].url == reverse("sales:customer-history", args=[customer.number])
    assert page.entries[1].url == reverse(
        "sales:contact-history", args=[customer.number, contact.pk]
    )
    # A fixed number of queries, whatever the number of changes.
    with history_actor(manager):
        for index in range(30):
            customer_update(actor=other_manager, customer=customer, phone=f"010-{index}")
    with django_assert_max_num_queries(7):
        again = customer_timeline(supervisor, customer, kinds=("change",))
    assert len(again.entries) == PAGE_SIZE
    assert again.has_next
    assert "010-28 → 010-29" in again.entries[0].detail


def test_the_timeline_fragment_with_changes_stays_within_the_page_budget(
    client, manager, supervisor, django_assert_max_num_queries
) -> None:
    from tests.factories.sales import ContactFactory

    customer, *_rest = _world(manager, supervisor)
    ContactFactory.create_batch(3, customer=customer)
    client.force_login(manager)
    url = reverse("reports:customer-timeline", args=[customer.number])
    with django_assert_max_num_queries(12):  # DESIGN §9: ≤ 12 queries on a detail page
        fragment = client.get(url).content.decode()
    assert 'data-kind="change"' in fragment

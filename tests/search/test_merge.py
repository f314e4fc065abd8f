"""Merging customers: every child row moves to the survivor, nothing is lost, rights hold."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from guardian.shortcuts import assign_perm

from marketing.models import Quote
from sales.models import Activity, Contact, Customer, CustomerLoss, Order
from sales.permissions import visible_customers
from search.services import (
    MERGE_DENIED,
    MERGE_NOT_VISIBLE,
    MERGE_SAME,
    TAKE_OTHER,
    customer_merge,
)
from service.models import ServiceRequest
from tasks.models import Task
from tests.factories.marketing import QuoteFactory
from tests.factories.sales import (
    ActivityFactory,
    ContactFactory,
    CustomerFactory,
    CustomerLossFactory,
    OrderFactory,
)
from tests.factories.service import ServiceRequestFactory
from tests.factories.tasks import TaskFactory

MOMENT = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


def _children(customer) -> dict[str, set[int]]:
    return {
        "contacts": set(Contact.objects.filter(customer=customer).values_list("pk", flat=True)),
        "activities": set(Activity.objects.filter(customer=customer).values_list("pk", flat=True)),
        "orders": set(Order.objects.filter(customer=customer).values_list("pk", flat=True)),
        "losses": set(CustomerLoss.objects.filter(customer=customer).values_list("pk", flat=True)),
        "tickets": set(
            ServiceRequest.objects.filter(customer=customer).values_list("pk", flat=True)
        ),
        "tasks": set(Task.objects.filter(customer=customer).values_list("pk", flat=True)),
        "quotes": set(Quote.objects.filter(customer=customer).values_list("pk", flat=True)),
    }


def _family(manager):
    customer = CustomerFactory(manager=manager)
    ContactFactory.create_batch(2, customer=customer)
    ActivityFactory(customer=customer)
    OrderFactory(customer=customer)
    CustomerLossFactory(customer=customer)
    ServiceRequestFactory(customer=customer)
    TaskFactory(customer=customer, owner=manager)
    QuoteFactory(customer=customer)
    return customer


def test_supervisor_merges_every_child_row_into_the_survivor(supervisor, manager, executive):
    survivor = _family(manager)
    other = _family(manager)
    other.phone = "021-99998888"
    other.save()
    assign_perm("view_customer", executive, other)
    before = {kind: _children(survivor)[kind] | _children(other)[kind] for kind in _children(other)}

    moved = customer_merge(
        actor=supervisor, survivor=survivor, other=other, choices={"phone": TAKE_OTHER}
    )

    assert _children(survivor) == before  # every row moved, none lost
    assert all(not rows for rows in _children(other).values())
    assert moved["contacts"] == 2
    assert moved["service_requests"] == moved["tasks"] == moved["quotes"] == 1
    other.refresh_from_db()
    survivor.refresh_from_db()
    assert other.merged_into == survivor
    assert other.status == Customer.Status.DELETED
    assert survivor.phone == "021-99998888"
    assert other not in visible_customers(supervisor)
    assert survivor.grants.filter(user=executive).exists()  # the share moved too
    # One open loss record per customer: the other's open one was closed as recovered.
    assert survivor.losses.filter(status__in=CustomerLoss.OPEN).count() == 1


def test_a_manager_may_not_merge(manager):
    first, second = CustomerFactory(manager=manager), CustomerFactory(manager=manager)
    with pytest.raises(ValidationError) as error:
        customer_merge(actor=manager, survivor=first, other=second)
    assert error.value.messages == [str(MERGE_DENIED)]


def test_merging_a_customer_with_itself_or_a_merged_one_is_refused(supervisor, manager):
    first, second = CustomerFactory(manager=manager), CustomerFactory(manager=manager)
    with pytest.raises(ValidationError) as error:
        customer_merge(actor=supervisor, survivor=first, other=first)
    assert error.value.messages == [str(MERGE_SAME)]
    customer_merge(actor=supervisor, survivor=first, other=second)
    with pytest.raises(ValidationError) as error:
        customer_merge(actor=supervisor, survivor=first, other=second)
    assert error.value.messages == [str(MERGE_NOT_VISIBLE)]


def test_merge_of_two_customers_with_1000_children_each(supervisor, manager):
    customers = [CustomerFactory(manager=manager), CustomerFactory(manager=manager)]
    for customer in customers:
        Contact.objects.bulk_create(
            Contact(customer=customer, name=f"联系人{n}") for n in range(1000)
        )
        Activity.objects.bulk_create(
            Activity(customer=customer, occurred_at=MOMENT, place="公司", title=f"拜访{n}")
            for n in range(1000)
        )
    started = time.perf_counter()
    moved = customer_merge(actor=supervisor, survivor=customers[0], other=customers[1])
    elapsed = time.perf_counter() - started
    assert moved["contacts"] == moved["activities"] == 1000
    assert Contact.objects.filter(customer=customers[0]).count() == 2000
    assert Activity.objects.filter(customer=customers[0]).count() == 2000
    assert elapsed < 2  # DESIGN budget: a merge of two customers with 1,000 children each ≤ 2 s


def test_a_merged_customers_number_leads_to_the_survivor(client, supervisor, manager):
    from django.urls import reverse

    survivor, other = CustomerFactory(manager=manager), CustomerFactory(manager=manager)
    customer_merge(actor=supervisor, survivor=survivor, other=other)
    client.force_login(manager)
    response = client.get(reverse("sales:customer-detail", args=[other.number]))
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:customer-detail", args=[survivor.number])
    live = client.get(reverse("sales:customer-detail", args=[survivor.number]))
    assert live.status_code == 200

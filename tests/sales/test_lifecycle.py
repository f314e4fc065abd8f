"""The lifecycle class: potential, interested, customer, loyal, with their edges."""

import datetime

import pytest
from django.urls import reverse

from core.dates import months_before
from marketing.models import SalesChance
from sales.lifecycle import Lifecycle, loyal_since
from sales.selectors import customer_counts, customer_lifecycle, customer_list
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import CustomerFactory, OrderFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_potential_without_orders_or_open_opportunities(manager):
    customer = CustomerFactory(manager=manager, name="甲")
    # Closed opportunities and open ones of another name do not count.
    SalesChanceFactory(customer_name="甲", status=SalesChance.Status.FAILED, assignee=manager)
    SalesChanceFactory(customer_name="甲公司")
    assert customer_lifecycle(customer) == Lifecycle.POTENTIAL


@pytest.mark.parametrize("status", [SalesChance.Status.UNASSIGNED, SalesChance.Status.ASSIGNED])
def test_interested_with_an_open_opportunity_under_its_name(manager, status):
    customer = CustomerFactory(manager=manager, name="乙")
    SalesChanceFactory(customer_name="乙", status=status, assignee=manager)
    assert customer_lifecycle(customer) == Lifecycle.INTERESTED


def test_an_order_makes_a_customer_even_with_an_open_opportunity(manager):
    customer = CustomerFactory(manager=manager, name="丙")
    SalesChanceFactory(customer_name="丙")
    OrderFactory(customer=customer, date=datetime.date(2020, 1, 1))  # long ago still counts
    assert customer_lifecycle(customer) == Lifecycle.CUSTOMER


def test_loyal_from_the_threshold_within_the_window(manager, settings):
    settings.LIFECYCLE_LOYAL_ORDERS = 2
    settings.LIFECYCLE_LOYAL_MONTHS = 12
    since = loyal_since()
    assert since == datetime.date(2025, 6, 15) == months_before(TODAY, 12)
    customer = CustomerFactory(manager=manager)
    OrderFactory(customer=customer, date=since)  # the first day of the window counts
    OrderFactory(customer=customer, date=since - datetime.timedelta(days=1))  # outside
    assert customer_lifecycle(customer) == Lifecycle.CUSTOMER
    OrderFactory(customer=customer, date=TODAY)
    assert customer_lifecycle(customer) == Lifecycle.LOYAL
    settings.LIFECYCLE_LOYAL_ORDERS = 3
    assert customer_lifecycle(customer) == Lifecycle.CUSTOMER


def test_the_list_filter_the_report_and_the_page_agree(client, manager):
    potential = CustomerFactory(manager=manager, name="潜")
    interested = CustomerFactory(manager=manager, name="意")
    SalesChanceFactory(customer_name="意")
    ordered = CustomerFactory(manager=manager, name="成")
    OrderFactory(customer=ordered, date=TODAY)
    loyal = CustomerFactory(manager=manager, name="忠")
    OrderFactory(customer=loyal, date=TODAY)
    OrderFactory(customer=loyal, date=TODAY - datetime.timedelta(days=30))
    expected = {
        Lifecycle.POTENTIAL: potential,
        Lifecycle.INTERESTED: interested,
        Lifecycle.CUSTOMER: ordered,
        Lifecycle.LOYAL: loyal,
    }
    for value, customer in expected.items():
        bound = customer_list(user=manager, filters={"lifecycle": value})
        assert list(bound.qs) == [customer], value
        assert customer_lifecycle(customer) == value  # the one-customer shape of the rule
    counts = dict(customer_counts(manager, "lifecycle"))
    assert counts == {str(label): 1 for label in Lifecycle.labels.values()}
    client.force_login(manager)
    page = client.get(reverse("sales:customer-detail", args=[loyal.number]))
    assert page.context["lifecycle"] == Lifecycle.LOYAL
    assert "Loyal" in page.content.decode()
    report = client.get(reverse("reports:composition"), {"by": "lifecycle"})
    assert report.status_code == 200
    assert "Interested" in report.content.decode()

"""A won opportunity whose customer name is known: a confirmation page first, continue or cancel."""

import pytest
from django.urls import reverse

from marketing.models import SalesChance
from sales.models import Customer
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db


def _developing(supervisor, manager, name: str) -> SalesChance:
    return SalesChanceFactory(
        creator=supervisor,
        assignee=manager,
        status=SalesChance.Status.ASSIGNED,
        customer_name=name,
    )


def test_winning_warns_of_a_similar_customer_and_continues_on_request(
    client, supervisor, manager, other_manager
) -> None:
    mine = CustomerFactory(manager=manager, name="瑞丰科技有限公司")
    theirs = CustomerFactory(manager=other_manager, name="瑞丰科技")
    chance = _developing(supervisor, manager, "瑞丰科技")
    client.force_login(manager)
    url = reverse("marketing:chance-win", args=[chance.pk])
    page = client.post(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="duplicate-warning"' in body
    assert reverse("sales:customer-detail", args=[mine.number]) in body
    # Another manager's customer is shown without its details.
    assert theirs.number not in body
    assert "A customer of another manager" in body
    chance.refresh_from_db()
    assert chance.status == SalesChance.Status.ASSIGNED
    assert Customer.objects.count() == 2
    # Cancel is a link back; continue creates the customer.
    assert reverse("marketing:development-detail", args=[chance.pk]) in body
    response = client.post(url, {"create_anyway": "on"})
    created = Customer.objects.latest("pk")
    assert response["Location"] == reverse("sales:customer-detail", args=[created.number])
    chance.refresh_from_db()
    assert chance.status == SalesChance.Status.SUCCEEDED


def test_winning_without_a_similar_customer_asks_nothing(client, supervisor, manager) -> None:
    CustomerFactory(manager=manager, name="完全不同")
    chance = _developing(supervisor, manager, "瑞丰科技")
    client.force_login(manager)
    response = client.post(reverse("marketing:chance-win", args=[chance.pk]))
    assert response.status_code == 302
    chance.refresh_from_db()
    assert chance.status == SalesChance.Status.SUCCEEDED

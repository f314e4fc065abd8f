"""Cursor paging is stable, and a list at 100 per page costs a fixed number of queries."""

import pytest
from django.urls import reverse

from tests.api.conftest import token_client
from tests.factories.marketing import CampaignFactory, SalesChanceFactory
from tests.factories.sales import ActivityFactory, ContactFactory, CustomerFactory, OrderFactory
from tests.factories.service import ServiceRequestFactory
from tests.factories.tasks import TaskFactory

pytestmark = pytest.mark.django_db

LIST_BUDGET = 8


def _pages(client, url: str) -> list[list]:
    pages, next_url = [], url
    while next_url:
        body = client.get(next_url).json()
        pages.append(body["results"])
        next_url = body["next"]
    return pages


def test_cursor_pages_cover_every_row_once_despite_inserts(manager) -> None:
    client = token_client(manager)
    customers = CustomerFactory.create_batch(7, manager=manager)
    url = reverse("api:customer-list") + "?page_size=3"
    first = client.get(url).json()
    assert [row["number"] for row in first["results"]] == [c.number for c in customers[::-1][:3]]
    CustomerFactory(manager=manager)  # a new row does not shift the following pages
    rest = _pages(client, first["next"])
    seen = [row["number"] for page in [first["results"], *rest] for row in page]
    assert seen == [c.number for c in customers[::-1]]


def test_the_page_size_is_capped_at_100(manager) -> None:
    CustomerFactory.create_batch(3, manager=manager)
    response = token_client(manager).get(reverse("api:customer-list") + "?page_size=100000")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_lists_use_the_apps_filters(manager) -> None:
    CustomerFactory(manager=manager, name="华信科技")
    CustomerFactory(manager=manager, name="明科")
    response = token_client(manager).get(reverse("api:customer-list") + "?name=华信")
    assert [row["name"] for row in response.json()["results"]] == ["华信科技"]


def _world(manager, size: int) -> None:
    from tests.factories.inventory import StockFactory
    from tests.factories.marketing import PlanItemFactory, QuoteFactory, QuoteLineFactory

    for _ in range(size):
        customer = CustomerFactory(manager=manager)
        ContactFactory(customer=customer)
        ActivityFactory(customer=customer)
        OrderFactory(customer=customer)
        chance = SalesChanceFactory(creator=manager, assignee=manager, status=2)
        PlanItemFactory(chance=chance)
        ServiceRequestFactory(customer=customer, creator=manager)
        TaskFactory(owner=manager, customer=customer)
        stock = StockFactory()  # and its product
        QuoteLineFactory(quote=QuoteFactory(customer=customer), product=stock.product)
        CampaignFactory(owner=manager)


LISTS = [
    "api:customer-list",
    "api:contact-list",
    "api:interaction-list",
    "api:order-list",
    "api:opportunity-list",
    "api:plan-item-list",
    "api:ticket-list",
    "api:task-list",
    "api:product-list",
    "api:stock-list",
    "api:quote-list",
    "api:campaign-list",
]
INVENTORY = {"api:product-list", "api:stock-list"}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("who", ["manager", "supervisor"])
def test_lists_at_100_per_page_stay_within_the_query_budget(
    request, manager, django_assert_max_num_queries, size, who
) -> None:
    _world(manager, size)
    client = token_client(request.getfixturevalue(who))
    for name in LISTS:
        with django_assert_max_num_queries(LIST_BUDGET):
            response = client.get(reverse(name) + "?page_size=100")
        if who == "supervisor" and name in INVENTORY:  # not a right of the supervisor's role
            assert response.status_code == 403, name
            continue
        assert response.status_code == 200, name
        assert len(response.json()["results"]) == size, name


def test_every_list_of_the_router_is_counted() -> None:
    from api.urls import router

    lists = {
        f"api:{pattern.name}"
        for pattern in router.urls
        if getattr(pattern.callback, "actions", {}).get("get") == "list"
        and getattr(pattern.callback.cls, "pagination_class", None) is not None
    }
    assert lists == {*LISTS, "api:dict-item-list"}


@pytest.mark.parametrize("size", [3, 30])
def test_the_dictionary_at_100_per_page_stays_within_the_budget(
    admin_user, django_assert_max_num_queries, size
) -> None:
    from inventory.models import DictItem, DictType

    DictItem.objects.bulk_create(
        DictItem(type=DictType.REGION, item=f"地区{n}", value=f"地区{n}") for n in range(size)
    )
    client = token_client(admin_user)
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(reverse("api:dict-item-list") + "?page_size=100")
    assert response.status_code == 200
    assert len(response.json()["results"]) >= size


@pytest.mark.parametrize("name", ["api:contact-list", "api:interaction-list", "api:order-list"])
def test_the_per_row_visibility_is_the_customers_visibility(manager, other_manager, name) -> None:
    """The lists of customers' records use `customer_visibility(per_row=True)`: the same
    customers as `visible_customers`: managed, shared with the user, not deleted."""
    from sales.permissions import visible_customers
    from sales.services import customer_share

    own = CustomerFactory(manager=manager)
    shared = CustomerFactory(manager=other_manager)
    customer_share(actor=other_manager, customers=[shared], user=manager, can_edit=False)
    deleted = CustomerFactory(manager=manager, status=3)
    hidden = CustomerFactory(manager=other_manager)
    for customer in (own, shared, deleted, hidden):
        ContactFactory(customer=customer)
        ActivityFactory(customer=customer)
        OrderFactory(customer=customer)
    rows = token_client(manager).get(reverse(name) + "?page_size=100").json()["results"]
    assert sorted(row["customer"] for row in rows) == sorted(
        visible_customers(manager).values_list("number", flat=True)
    )
    assert sorted(row["customer"] for row in rows) == sorted([own.number, shared.number])

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from sales.models import Customer
from tests.factories.sales import (
    ActivityFactory,
    ContactFactory,
    CustomerFactory,
    CustomerLossFactory,
    OrderLineFactory,
)


def _numbers(response) -> set[str]:
    return {customer.number for customer in response.context["object_list"]}


def test_manager_sees_own_customers_only(client, manager, other_manager):
    mine = CustomerFactory(manager=manager)
    theirs = CustomerFactory(manager=other_manager)
    client.force_login(manager)
    response = client.get(reverse("sales:customer-list"))
    assert _numbers(response) == {mine.number}
    assert client.get(reverse("sales:customer-detail", args=[theirs.number])).status_code == 404


def test_manager_sees_customers_shared_with_them(client, manager, other_manager):
    shared = CustomerFactory(manager=other_manager)
    assign_perm("view_customer", manager, shared)
    client.force_login(manager)
    assert _numbers(client.get(reverse("sales:customer-list"))) == {shared.number}
    assert client.get(reverse("sales:customer-detail", args=[shared.number])).status_code == 200


def test_supervisor_and_executive_see_all_customers(
    client, supervisor, executive, manager, other_manager
):
    customers = {
        CustomerFactory(manager=manager).number,
        CustomerFactory(manager=other_manager).number,
    }
    for reader in (supervisor, executive):
        client.force_login(reader)
        assert _numbers(client.get(reverse("sales:customer-list"))) == customers


def test_deleted_customers_are_hidden_everywhere(client, supervisor):
    gone = CustomerFactory(status=Customer.Status.DELETED)
    client.force_login(supervisor)
    assert gone.number not in _numbers(client.get(reverse("sales:customer-list")))
    assert client.get(reverse("sales:customer-detail", args=[gone.number])).status_code == 404


def test_list_filters_by_name_region_level_and_manager(client, supervisor, manager, other_manager):
    from tests.factories.inventory import level, region

    target = CustomerFactory(
        name="太阳药业", manager=manager, region=region("上海"), level=level(3)
    )
    CustomerFactory(name="太阳能源", manager=other_manager, region=region("北京"), level=level(3))
    client.force_login(supervisor)
    response = client.get(
        reverse("sales:customer-list"),
        {
            "name": "太阳",
            "region": region("上海").pk,
            "level": level(3).pk,
            "manager": manager.username,
        },
    )
    assert _numbers(response) == {target.number}


def test_bad_filter_values_show_errors_not_a_crash(client, supervisor):
    client.force_login(supervisor)
    response = client.get(
        reverse("sales:customer-list"), {"region": "x", "status": "9", "o": "nonsense"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_detail_shows_every_section(client, manager):
    customer = CustomerFactory(manager=manager, name="云南天河烟草公司")
    ContactFactory(customer=customer, name="刘先生")
    ActivityFactory(customer=customer, title="季度回访")
    OrderLineFactory(
        order__customer=customer, order__number="ODR-1", count=2, unit_price="10800.00"
    )
    CustomerLossFactory(customer=customer)
    client.force_login(manager)
    page = client.get(reverse("sales:customer-detail", args=[customer.number])).content.decode()
    for text in ("云南天河烟草公司", "刘先生", "季度回访", "ODR-1", "21,600.00", "Warning"):
        assert text in page


@pytest.mark.parametrize("size", [3, 30])
def test_customer_list_query_count_is_constant(
    client, supervisor, django_assert_max_num_queries, size
):
    CustomerFactory.create_batch(size)
    client.force_login(supervisor)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("sales:customer-list"), {"per_page": "50"})
    assert len(response.context["object_list"]) == size


@pytest.mark.parametrize("size", [1, 12])
def test_customer_detail_query_count_is_constant(
    client, manager, django_assert_max_num_queries, size
):
    customer = CustomerFactory(manager=manager)
    ContactFactory.create_batch(size, customer=customer)
    ActivityFactory.create_batch(size, customer=customer)
    OrderLineFactory.create_batch(size, order__customer=customer)
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        assert (
            client.get(reverse("sales:customer-detail", args=[customer.number])).status_code == 200
        )


def test_a_customer_without_ratings_shows_dashes(client, manager):
    customer = CustomerFactory(manager=manager, satisfaction=None, credit=None, level=None)
    client.force_login(manager)
    response = client.get(reverse("sales:customer-detail", args=[customer.number]))
    assert response.status_code == 200
    assert response.content.decode().count('<span class="text-body-secondary">—</span>') >= 2


def test_long_lists_count_up_to_a_cap(client, supervisor, settings, django_assert_max_num_queries):
    settings.CRM_COUNT_CAP = 5
    CustomerFactory.create_batch(7)
    client.force_login(supervisor)
    response = client.get(reverse("sales:customer-list"), {"per_page": 20})
    assert response.context["paginator"].capped
    assert len(response.context["object_list"]) == 5
    assert "More than 5 records" in response.content.decode()
    settings.CRM_COUNT_CAP = 50
    response = client.get(reverse("sales:customer-list"), {"per_page": 20})
    assert not response.context["paginator"].capped
    assert "7 records" in response.content.decode()


def test_deep_pages_read_ids_first_and_keep_the_order(
    client, supervisor, django_assert_num_queries
):
    customers = CustomerFactory.create_batch(125)
    client.force_login(supervisor)
    url = reverse("sales:customer-list")
    # 10 with the list's saved views (one query, accounts.saved_views.list_views), one read of
    # the whole dictionary for the region and level selects and one of the tags, cached for
    # the next request (inventory.selectors.dictionary_choices, sales.filters.tag_options).
    with django_assert_num_queries(10):
        first = client.get(url, {"per_page": 50, "o": "name"})
    with django_assert_num_queries(9):  # past 100 skipped rows: the page's ids, then its rows
        deep = client.get(url, {"per_page": 50, "o": "name", "page": 3})
    by_name = sorted(customers, key=lambda customer: customer.name)
    shown = [customer.number for customer in deep.context["object_list"]]
    assert shown == [customer.number for customer in by_name[100:]]
    assert [c.number for c in first.context["object_list"]] == [
        customer.number for customer in by_name[:50]
    ]
    assert deep.context["object_list"][0].manager.username  # related rows came along
    assert deep.context["page_obj"].number == 3

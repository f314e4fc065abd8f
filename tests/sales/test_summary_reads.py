"""The reports' reads from the monthly summaries give the figures the orders give."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from sales import selectors
from sales.models import Customer, Order
from sales.summaries import apply_orders
from tests.factories.inventory import ProductFactory
from tests.factories.sales import CustomerFactory, OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PERIODS = [
    (None, None),
    (D(2026, 1, 1), D(2026, 12, 31)),
    (D(2026, 2, 1), D(2026, 2, 28)),
    (D(2026, 1, 1), None),
    (None, D(2026, 1, 31)),
    # Not whole months: read from the orders.
    (D(2026, 1, 15), D(2026, 2, 10)),
    (D(2025, 12, 31), D(2026, 1, 1)),
]


@pytest.fixture
def sales_book(manager, other_manager):
    """Customers of two managers (one shared with the first, one deleted), orders over four
    months with lines of three products, paid and unpaid."""
    products = [ProductFactory() for _ in range(3)]
    mine, theirs, shared, deleted = (
        CustomerFactory(manager=manager),
        CustomerFactory(manager=other_manager),
        CustomerFactory(manager=other_manager),
        CustomerFactory(manager=manager),
    )
    assign_perm("sales.view_customer", manager, shared)
    days = [D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 15), D(2026, 1, 31), D(2026, 2, 10)]
    days += [D(2026, 2, 28), D(2026, 3, 1)]
    for n, day in enumerate(days):
        for k, customer in enumerate((mine, theirs, shared, deleted)):
            if (n + k) % 3 == 2:
                continue
            order = OrderFactory(customer=customer, date=day, status=Order.Status(1 + (n + k) % 6))
            for p, product in enumerate(products[: 1 + (n + k) % 3]):
                OrderLineFactory(
                    order=order,
                    product=product,
                    count=1 + n + p,
                    unit_price=Decimal(100 * (k + 1)) + Decimal("0.25") * p,
                )
    Customer.objects.filter(pk=deleted.pk).update(status=Customer.Status.DELETED)
    apply_orders(deleted.orders.all())


def _reads(user, start, end):
    since = start or D(2025, 12, 1)
    return {
        "contribution": selectors.customer_order_amounts(user, start=start, end=end),
        "managers": selectors.manager_order_totals(user, start=start, end=end),
        "products": selectors.product_sales(
            user, start=start or D(2025, 12, 1), end=end or D(2026, 12, 31)
        ),
        "trend": selectors.monthly_order_amounts(user, since),
        "top": selectors.top_customers_by_amount(user, since, limit=3),
    }


@pytest.mark.parametrize(("start", "end"), PERIODS)
@pytest.mark.parametrize("role", ["executive", "manager", "supervisor"])
def test_summaries_and_orders_give_the_same_figures(
    sales_book, request, monkeypatch, role, start, end
) -> None:
    user = request.getfixturevalue(role)
    from_summaries = _reads(user, start, end)
    monkeypatch.setattr(selectors, "whole_months", lambda start, end: False)
    from_orders = _reads(user, start, end)

    assert from_summaries == from_orders
    assert from_orders["contribution"].total > 0


def test_whole_months_read_the_summaries_and_other_periods_the_orders(
    sales_book, executive
) -> None:
    def tables(start, end) -> str:
        with CaptureQueriesContext(connection) as queries:
            _reads(executive, start, end)
        return " ".join(query["sql"] for query in queries)

    aligned = tables(D(2026, 1, 1), D(2026, 12, 31))
    assert "sales_customer_month" in aligned
    assert "sales_product_month" in aligned
    assert '"orders_line"' not in aligned
    ragged = tables(D(2026, 1, 15), D(2026, 2, 10))
    assert "sales_product_month" not in ragged
    assert '"orders_line"' in ragged


def test_a_viewer_of_some_customers_reads_their_rows_and_the_shared_customers_lines(
    sales_book, manager, other_manager
) -> None:
    with CaptureQueriesContext(connection) as queries:
        sales = selectors.product_sales(manager, start=D(2026, 1, 1), end=D(2026, 12, 31))
    sql = [query["sql"] for query in queries if '"product"' in query["sql"]]
    assert len(sql) == 2
    assert "sales_manager_product_month" in sql[0]
    assert '"orders_line"' not in sql[0]
    assert '"orders_line"' in sql[1]  # the customer shared with the manager
    assert "sales_product_month" not in " ".join(sql)
    # Without the share, only the manager's own rows count.
    shared = Customer.objects.filter(manager=other_manager).order_by("pk")
    mine_only = {pk: row["quantity"] for pk, row in sales.items()}
    from guardian.shortcuts import remove_perm

    for customer in shared:
        remove_perm("sales.view_customer", manager, customer)
    fewer = selectors.product_sales(manager, start=D(2026, 1, 1), end=D(2026, 12, 31))
    assert sum(row["quantity"] for row in fewer.values()) < sum(mine_only.values())


@pytest.mark.parametrize(("start", "end"), [(None, None), (D(2026, 1, 15), D(2026, 2, 10))])
def test_the_contribution_total_counts_every_customer_beyond_the_rows_shown(
    sales_book, executive, start, end
) -> None:
    every = selectors.customer_order_amounts(executive, start=start, end=end)
    first = selectors.customer_order_amounts(executive, start=start, end=end, limit=1)

    assert len(every.rows) == every.customers > 1
    assert len(first.rows) == 1
    assert first.rows[0] == every.rows[0]
    assert (first.total, first.customers) == (every.total, every.customers)
    assert every.total == sum(row["amount"] for row in every.rows)
    nobody = selectors.customer_order_amounts(executive, start=D(2030, 1, 1), end=D(2030, 12, 31))
    assert (nobody.total, nobody.customers, nobody.rows) == (0, 0, [])


def test_counts_by_a_dictionary_item_merge_items_of_one_name_and_count_the_unset(
    supervisor, manager, other_manager
) -> None:
    from inventory.models import DictType
    from tests.factories.inventory import DictItemFactory

    north, north_again, south = (
        DictItemFactory(type=DictType.REGION, item=name, value=value)
        for name, value in (("华北", "n1"), ("华北", "n2"), ("华南", "s"))
    )
    for region, count in ((north, 2), (north_again, 1), (south, 1), (None, 4)):
        CustomerFactory.create_batch(count, manager=manager, region=region)
    CustomerFactory(manager=other_manager, region=south)
    CustomerFactory(manager=manager, region=south, status=Customer.Status.DELETED)

    everyone = selectors.customer_counts(supervisor, "region")
    mine = selectors.customer_counts(manager, "region")

    assert everyone[0] == (None, 4)
    assert dict(everyone) == {None: 4, "华北": 3, "华南": 2}
    assert mine == [(None, 4), ("华北", 3), ("华南", 1)]

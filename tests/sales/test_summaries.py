"""The monthly sales summaries stay equal to a full recomputation after every kind of write."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command

from jobs.models import Job
from sales import summaries
from sales.models import (
    Customer,
    CustomerMonthSales,
    ManagerProductMonthSales,
    Order,
    OrderLine,
    ProductMonthSales,
)
from sales.services import customer_delete, customer_transfer, refresh_order_amounts
from search.services import customer_merge
from tests.factories.inventory import ProductFactory
from tests.factories.sales import CustomerFactory, OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db


def expected() -> tuple[dict, dict, dict]:
    """The summaries recomputed in Python from every order and line."""
    customers: dict = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for order in Order.objects.all():
        row = customers[(order.customer_id, order.date.replace(day=1))]
        row[0] += 1
        row[1] += order.amount
        row[2] += order.amount if order.is_paid else 0
    products: dict = defaultdict(lambda: [0, Decimal(0)])
    managers: dict = defaultdict(lambda: [0, Decimal(0)])
    lines = OrderLine.objects.exclude(order__customer__status=Customer.Status.DELETED)
    for line in lines.select_related("order__customer"):
        month = line.order.date.replace(day=1)
        for row in (
            products[(line.product_id, month)],
            managers[(line.order.customer.manager_id, month, line.product_id)],
        ):
            row[0] += line.count
            row[1] += line.count * line.unit_price
    return (
        {key: tuple(value) for key, value in customers.items()},
        {key: tuple(value) for key, value in products.items()},
        {key: tuple(value) for key, value in managers.items() if value[0]},
    )


def stored() -> tuple[dict, dict, dict]:
    return (
        {
            (row.customer_id, row.month): (row.orders, row.amount, row.paid_amount)
            for row in CustomerMonthSales.objects.all()
        },
        {
            (row.product_id, row.month): (row.quantity, row.amount)
            for row in ProductMonthSales.objects.all()
        },
        {
            (row.manager_id, row.month, row.product_id): (row.quantity, row.amount)
            for row in ManagerProductMonthSales.objects.all()
        },
    )


def assert_exact() -> None:
    customers, products, managers = expected()
    assert customers, "the test wrote no orders"
    assert stored() == (customers, products, managers)


@pytest.fixture
def book():
    """Two customers with orders over three months, sharing products, paid and unpaid."""
    first, second = CustomerFactory(), CustomerFactory()
    laptop, printer = ProductFactory(), ProductFactory()
    for customer, day, status in (
        (first, datetime.date(2026, 1, 5), Order.Status.PAID),
        (first, datetime.date(2026, 1, 31), Order.Status.DELIVERING),
        (first, datetime.date(2026, 3, 1), Order.Status.PAID),
        (second, datetime.date(2026, 1, 20), Order.Status.PAID),
        (second, datetime.date(2026, 2, 28), Order.Status.NEW),
    ):
        order = OrderFactory(customer=customer, date=day, status=status)
        OrderLineFactory(order=order, product=laptop, count=2, unit_price=Decimal("9800.50"))
        OrderLineFactory(order=order, product=printer, count=1, unit_price=Decimal("1200"))
    return first, second, laptop, printer


def test_orders_and_lines_written_through_the_services_keep_the_summaries_exact(book) -> None:
    first, *_ = book
    assert_exact()
    january = CustomerMonthSales.objects.get(customer=first, month=datetime.date(2026, 1, 1))
    assert (january.orders, january.amount, january.paid_amount) == (
        2,
        Decimal("41602.00"),
        Decimal("20801.00"),
    )


def test_a_changed_line_refreshed_keeps_the_summaries_exact(book) -> None:
    line = OrderLine.objects.order_by("pk").first()
    line.count = 7
    line.save()
    refresh_order_amounts(Order.objects.filter(pk=line.order_id))
    assert_exact()


def test_the_order_import_keeps_the_summaries_exact(book, importer) -> None:
    first, second, laptop, _printer = book
    header = "订单编号,客户编号,日期,送货地址,已回款,产品名称,型号,等级/批次,件数,单位,单价（元）\n"
    rows = "".join(
        f"N{n},{customer.number},{day},北京,{paid},{laptop.name},{laptop.model},{laptop.batch},"
        f"{n},台,{n}00.10\n"
        for n, (customer, day, paid) in enumerate(
            (
                (first, "2026-01-10", "paid"),
                (first, "2026-05-10", "unpaid"),
                (second, "2026-02-01", "paid"),
                (CustomerFactory(), "2025-12-31", "paid"),
            ),
            1,
        )
    )
    job = importer("sales:order-import", (header + rows).encode(), "orders.csv")

    assert job.status == Job.Status.DONE, job.errors
    assert Order.objects.filter(number__startswith="N").count() == 4
    assert_exact()


def test_a_merge_moves_the_monthly_rows_to_the_survivor(book, supervisor) -> None:
    first, second, *_ = book
    assert first.manager_id != second.manager_id
    customer_merge(actor=supervisor, survivor=first, other=second)

    assert_exact()
    assert not ManagerProductMonthSales.objects.filter(manager=second.manager).exists()
    assert not CustomerMonthSales.objects.filter(customer=second).exists()
    assert CustomerMonthSales.objects.filter(customer=first).count() == 3


def test_a_deleted_customers_lines_leave_the_product_summary(book, manager) -> None:
    _first, second, laptop, _printer = book
    second.manager = manager
    second.save()
    before = ProductMonthSales.objects.get(product=laptop, month=datetime.date(2026, 1, 1))

    customer_delete(actor=manager, customer=second)

    assert_exact()
    after = ProductMonthSales.objects.get(product=laptop, month=datetime.date(2026, 1, 1))
    assert before.quantity - after.quantity == 2
    assert not ProductMonthSales.objects.filter(month=datetime.date(2026, 2, 1)).exists()
    # The customer summary keeps its rows: the reports hide deleted customers by the join.
    assert CustomerMonthSales.objects.filter(customer=second).count() == 2


def test_a_transfer_moves_the_lines_to_the_new_managers_rows(book, supervisor, manager) -> None:
    first, second, laptop, _printer = book
    january = datetime.date(2026, 1, 1)
    # The new manager holds a customer with orders of the same month and product already.
    third = CustomerFactory(manager=manager)
    order = OrderFactory(customer=third, date=datetime.date(2026, 1, 9))
    OrderLineFactory(order=order, product=laptop, count=5, unit_price=Decimal("10"))
    assert_exact()

    assert customer_transfer(actor=supervisor, customers=[first, second], to_manager=manager) == 2

    assert_exact()
    row = ManagerProductMonthSales.objects.get(manager=manager, month=january, product=laptop)
    assert row.quantity == 5 + 2 * 3  # third's 5 and the three January orders' 2 each
    assert not ManagerProductMonthSales.objects.exclude(manager=manager).exists()


def test_orders_given_by_id_are_applied_in_chunks(book, monkeypatch) -> None:
    monkeypatch.setattr(summaries, "CHUNK", 2)
    CustomerMonthSales.objects.all().delete()
    ProductMonthSales.objects.all().delete()
    ManagerProductMonthSales.objects.all().delete()

    summaries.apply_orders(Order.objects.values_list("pk", flat=True))

    assert_exact()


def test_the_command_rebuilds_what_was_lost(book) -> None:
    CustomerMonthSales.objects.all().delete()
    ProductMonthSales.objects.filter(product=book[2]).update(quantity=1)
    ManagerProductMonthSales.objects.filter(product=book[3]).delete()

    call_command("rebuild_sales_summaries", verbosity=0)

    assert_exact()


@pytest.mark.parametrize(
    ("start", "end", "whole"),
    [
        (None, None, True),
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), True),
        (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), True),
        (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), True),
        (None, datetime.date(2026, 3, 31), True),
        (datetime.date.min, datetime.date.max, True),
        (datetime.date(2026, 1, 2), None, False),
        (datetime.date(2026, 1, 1), datetime.date(2026, 2, 27), False),
    ],
)
def test_whole_months(start, end, whole) -> None:
    assert summaries.whole_months(start, end) is whole


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_per_manager_rows_from_existing_orders() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("sales", "0021_visibility_indexes")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    rep = old.get_model("accounts", "User").objects.create(username="rep-summary-migration")
    customer = old.get_model("sales", "Customer").objects.create(
        number="KH-MIG-2", name="迁移汇总客户", manager=rep
    )
    product = old.get_model("inventory", "Product").objects.create(
        name="笔记本", model="T1", batch="A", unit="台", price=Decimal("100")
    )
    order = old.get_model("sales", "Order").objects.create(
        number="MIG-1",
        customer=customer,
        date=datetime.date(2026, 4, 9),
        address="北京",
        status=6,
        amount=Decimal("300"),
    )
    old.get_model("sales", "OrderLine").objects.create(
        order=order, product=product, count=3, unit="台", unit_price=Decimal("100")
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    row = ManagerProductMonthSales.objects.get()
    assert (row.manager_id, row.month, row.product_id) == (
        rep.pk,
        datetime.date(2026, 4, 1),
        product.pk,
    )
    assert (row.quantity, row.amount) == (3, Decimal("300.00"))
    assert_exact()

"""The monthly sales summaries: `CustomerMonthSales`, `ProductMonthSales` and
`ManagerProductMonthSales`.

They are derived from the orders and their lines and kept exact in the transaction that writes
them: every write of orders, order lines, order amounts, or of a customer's deletion calls
`apply_orders` (the order import through `refresh_order_amounts`, the merge, the deletion).
`apply_orders` recomputes, with set-based SQL (`INSERT … SELECT … GROUP BY`), every summary row
the written orders can touch, from the orders themselves, so it is exact whatever the write was
(new orders, changed lines or amounts, moved orders). The per-manager rows also depend on who
holds each customer: a write that changes that (a transfer, a merge's move of orders) runs inside
`customers_regrouped`. `rebuild` recomputes everything (after bulk writes that bypass the
services: the seeds, or `manage.py rebuild_sales_summaries`).

Reports read the summaries for periods of whole months (`whole_months`) and the orders otherwise,
so both give the same figures.
"""

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    DateTimeField,
    DecimalField,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from inventory.models import Product
from sales.models import (
    Customer,
    CustomerMonthSales,
    ManagerProductMonthSales,
    Order,
    OrderLine,
    ProductMonthSales,
)

MONEY = DecimalField(max_digits=16, decimal_places=2)
# Ids per statement: well under SQLite's 32,766 bound variables.
CHUNK = 5000


def whole_months(start: datetime.date | None, end: datetime.date | None) -> bool:
    """Whether [start, end] (open ends allowed) covers whole months only: the summaries answer
    it exactly; any other period is read from the orders."""
    return (start is None or start.day == 1) and (
        end is None or end == datetime.date.max or (end + datetime.timedelta(days=1)).day == 1
    )


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for first in range(0, len(ordered), CHUNK):
        yield ordered[first : first + CHUNK]


def _insert_select(
    model: Any,
    columns: list[str],
    rows: QuerySet[Any, Any],
    *,
    add: tuple[str, ...] = (),
    key: int = 2,
) -> None:
    """INSERT INTO model's table (columns) SELECT rows — one statement, nothing through Python.
    `rows` is a values_list queryset whose columns are in the order of `columns`. With `add`,
    a row whose key (the first `key` columns) exists already gets these columns added to it
    instead (an upsert: PostgreSQL and SQLite both read `ON CONFLICT … DO UPDATE`)."""
    sql, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [quote(model._meta.get_field(name).column) for name in columns]
    statement = f"INSERT INTO {table} ({', '.join(names)}) {sql}"
    if add:
        added = [quote(model._meta.get_field(name).column) for name in add]
        updated_at = quote("updated_at")
        sets = [f"{name} = {table}.{name} + EXCLUDED.{name}" for name in added]
        sets.append(f"{updated_at} = EXCLUDED.{updated_at}")
        conflict = ", ".join(names[:key])
        statement += f" ON CONFLICT ({conflict}) DO UPDATE SET {', '.join(sets)}"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _stamps() -> dict[str, Any]:
    now = timezone.now()
    return {
        "created": Value(now, output_field=DateTimeField()),
        "updated": Value(now, output_field=DateTimeField()),
    }


CUSTOMER_COLUMNS = [
    "customer",
    "month",
    "orders",
    "amount",
    "paid_amount",
    "created_at",
    "updated_at",
]
PRODUCT_COLUMNS = ["product", "month", "quantity", "amount", "created_at", "updated_at"]
MANAGER_COLUMNS = [
    "manager",
    "month",
    "product",
    "quantity",
    "amount",
    "created_at",
    "updated_at",
]
ADDED = ("quantity", "amount")


def _customer_rows(orders: QuerySet[Order]) -> QuerySet[Any, Any]:
    return (
        orders.order_by()
        .annotate(m=TruncMonth("date"))
        .values("customer_id", "m")
        .annotate(
            n=Count("pk"),
            total=Coalesce(Sum("amount"), Value(Decimal(0)), output_field=MONEY),
            paid=Coalesce(
                Sum("amount", filter=Q(status=Order.Status.PAID)),
                Value(Decimal(0)),
                output_field=MONEY,
            ),
            **_stamps(),
        )
        .values_list("customer_id", "m", "n", "total", "paid", "created", "updated")
    )


def _product_rows(lines: QuerySet[OrderLine]) -> QuerySet[Any, Any]:
    return (
        lines.exclude(order__customer__status=Customer.Status.DELETED)
        .order_by()
        .annotate(m=TruncMonth("order__date"))
        .values("product_id", "m")
        .annotate(
            q=Sum("count"),
            total=Sum(F("count") * F("unit_price"), output_field=MONEY),
            **_stamps(),
        )
        .values_list("product_id", "m", "q", "total", "created", "updated")
    )


def _manager_rows(lines: QuerySet[OrderLine], sign: int = 1) -> QuerySet[Any, Any]:
    """The lines of live customers, summed per their manager, month and product (times `sign`:
    -1 takes them out of the rows they were added to); only sums with a quantity."""
    return (
        lines.exclude(order__customer__status=Customer.Status.DELETED)
        .order_by()
        .annotate(m=TruncMonth("order__date"))
        .values("order__customer__manager_id", "m", "product_id")
        .annotate(
            q=Sum("count") * sign,
            total=Sum(F("count") * F("unit_price"), output_field=MONEY) * sign,
            **_stamps(),
        )
        .exclude(q=0)
        .values_list(
            "order__customer__manager_id", "m", "product_id", "q", "total", "created", "updated"
        )
    )


def _period(prefix: str, first: datetime.date | None, last: datetime.date | None) -> Q:
    if first is None or last is None:
        return Q()
    return Q(**{f"{prefix}__gte": month_of(first), f"{prefix}__lt": _next_month(last)})


def _refresh_customers(
    ids: list[int], first: datetime.date | None = None, last: datetime.date | None = None
) -> None:
    """Recompute the rows of these customers for the months from `first` to `last` (all months
    when not given)."""
    CustomerMonthSales.objects.filter(_period("month", first, last), customer_id__in=ids).delete()
    orders = Order.objects.filter(_period("date", first, last), customer_id__in=ids)
    _insert_select(CustomerMonthSales, CUSTOMER_COLUMNS, _customer_rows(orders))


def _refresh_products(ids: list[int], first: datetime.date, last: datetime.date) -> None:
    """Recompute the rows of these products for the months from `first` to `last`."""
    ProductMonthSales.objects.filter(_period("month", first, last), product_id__in=ids).delete()
    lines = OrderLine.objects.filter(_period("order__date", first, last), product_id__in=ids)
    _insert_select(ProductMonthSales, PRODUCT_COLUMNS, _product_rows(lines))
    ManagerProductMonthSales.objects.filter(
        _period("month", first, last), product_id__in=ids
    ).delete()
    _insert_select(ManagerProductMonthSales, MANAGER_COLUMNS, _manager_rows(lines))


def _add_customers_lines(ids: list[int], sign: int) -> None:
    """Add (or, with -1, take out) every line of these customers to their managers' rows."""
    lines = OrderLine.objects.filter(order__customer_id__in=ids)
    _insert_select(
        ManagerProductMonthSales, MANAGER_COLUMNS, _manager_rows(lines, sign), add=ADDED, key=3
    )
    if sign < 0:
        managers = Customer.objects.filter(pk__in=ids).values("manager_id")
        ManagerProductMonthSales.objects.filter(manager__in=managers, quantity=0).delete()


@contextmanager
def customers_regrouped(ids: Iterable[int]) -> Iterator[None]:
    """Around a write that gives these customers' orders another manager (a transfer changes
    the customers' manager, a merge moves one customer's orders to another): their lines leave
    the per-manager rows before it and return, under the managers they have then, after it.
    The customers must be locked by the caller (as the writes that call this do)."""
    chosen = sorted(set(ids))
    for chunk in _chunks(chosen):
        _add_customers_lines(chunk, -1)
    yield
    for chunk in _chunks(chosen):
        _add_customers_lines(chunk, 1)


def _lock(model: Any, ids: list[int]) -> None:
    """Lock the rows (in id order, so two writers cannot deadlock): writers of the same
    customer's or product's summary rows then recompute one after the other, each reading what
    the one before committed."""
    list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


@transaction.atomic
def apply_orders(
    orders: QuerySet[Order] | Iterable[int], *, created: bool = False, customers: Iterable[int] = ()
) -> None:
    """Make the summaries exact again after a write of `orders` (a queryset, or ids), in the
    writing transaction, after the write.

    The rows of the orders' customers are recomputed for the months the orders span (a
    customer's orders in a few months: cheap whatever the data size), and every month of
    `customers` (customers whose orders moved away). For the product summary, `created=True`
    says the orders and their lines are new, not counted yet: their lines are added to the rows
    (an upsert, as cheap as the lines written), which is what order writers (the import, an
    order created from a quote) pass. Otherwise (changed lines, amounts, statuses, a customer
    deleted) the rows of the lines' products are recomputed for those months, which reads
    every line of those products in those months."""
    if not isinstance(orders, QuerySet):
        for chunk in _chunks(orders):
            apply_orders(Order.objects.filter(pk__in=chunk), created=created)
        orders = Order.objects.none()
    orders = orders.order_by()
    moved = sorted(set(customers))
    span = orders.aggregate(first=Min("date"), last=Max("date"))
    customer_ids = sorted({*orders.values_list("customer_id", flat=True).distinct(), *moved})
    for chunk in _chunks(customer_ids):
        _lock(Customer, chunk)
    if span["first"] is not None:
        for chunk in _chunks(set(customer_ids) - set(moved)):
            _refresh_customers(chunk, span["first"], span["last"])
        lines = OrderLine.objects.filter(order__in=orders).order_by()
        if created:
            _insert_select(ProductMonthSales, PRODUCT_COLUMNS, _product_rows(lines), add=ADDED)
            _insert_select(
                ManagerProductMonthSales,
                MANAGER_COLUMNS,
                _manager_rows(lines),
                add=ADDED,
                key=3,
            )
        else:
            product_ids = sorted(set(lines.values_list("product_id", flat=True).distinct()))
            for chunk in _chunks(product_ids):
                _lock(Product, chunk)
            for chunk in _chunks(product_ids):
                _refresh_products(chunk, span["first"], span["last"])
    for chunk in _chunks(moved):
        _refresh_customers(chunk)


@transaction.atomic
def rebuild(*, managers: bool = True) -> tuple[int, int, int]:
    """Recompute the summaries from every order; returns their row counts (customer, product,
    manager rows). On PostgreSQL the summary tables are locked first, so writers running
    meanwhile wait and then recompute their rows from what this rebuild committed.
    `managers=False`: not the per-manager rows (for the migration that predates their table)."""
    models: list[Any] = [CustomerMonthSales, ProductMonthSales]
    if managers:
        models.append(ManagerProductMonthSales)
    if connection.vendor == "postgresql":
        tables = ", ".join(model._meta.db_table for model in models)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
    for model in models:
        model.objects.all().delete()
    _insert_select(CustomerMonthSales, CUSTOMER_COLUMNS, _customer_rows(Order.objects.all()))
    _insert_select(ProductMonthSales, PRODUCT_COLUMNS, _product_rows(OrderLine.objects.all()))
    if managers:
        lines = OrderLine.objects.all()
        _insert_select(ManagerProductMonthSales, MANAGER_COLUMNS, _manager_rows(lines))
    return (
        CustomerMonthSales.objects.count(),
        ProductMonthSales.objects.count(),
        ManagerProductMonthSales.objects.count(),
    )

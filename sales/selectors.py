"""Reads of the customers module; visibility comes from `sales.permissions`."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DecimalField,
    F,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import (
    Concat,
    ExtractYear,
    FirstValue,
    RowNumber,
    TruncMonth,
)
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.selectors import user_names, users_named
from audit.history import Entry as HistoryEntry
from audit.history import entries as history_entries
from audit.history import recent_entries, record_history
from core.aggregates import groups_count, groups_total
from core.dates import EpochMilliseconds
from core.textsearch import Contains, bigrams, normalise, ranked_matches, sqlite_function
from inventory.models import DictItem
from sales.birthdays import birthdays_in
from sales.filters import CustomerFilter, group_filterset
from sales.lifecycle import Lifecycle, lifecycle_expression
from sales.models import (
    Activity,
    ActivityComment,
    Contact,
    Customer,
    CustomerGroup,
    CustomerLoss,
    CustomerMonthSales,
    CustomerTag,
    DuplicateKey,
    ManagerProductMonthSales,
    Order,
    OrderLine,
    ProductMonthSales,
    Tag,
)
from sales.permissions import (
    customer_visibility,
    managed_customer_visibility,
    mark_visible,
    sees_all_customers,
    visible_activities,
    visible_customers,
    visible_customers_of_others,
    visible_groups,
    visible_losses,
    with_edit_right,
)
from sales.summaries import whole_months


def _customers(user: User) -> QuerySet[Customer]:
    """The customers a user may see, with what the list shows loaded in the same query."""
    return visible_customers(user).select_related("manager", "region", "level")


def customer_list(*, user: User, filters: Mapping[str, Any] | None) -> CustomerFilter:
    """The customer list as its page, its download and its background export show it: the
    visible customers, filtered and sorted by `filters` (the page's query string), newest first
    unless sorted. `filters=None` is the unfiltered list. The result is the bound filter set:
    `.qs` are the rows (use them only when `is_valid()` or unbound), `.form` the filter form."""
    customers = _customers(user).prefetch_related("tags").order_by("-id")
    return CustomerFilter(filters, queryset=customers, user=user)


def customer_detail(user: User, number: str, *, page: bool = False) -> Customer:
    """One visible customer by number, with its manager, region and level, and whether the user
    may edit it; 404 outside scope. `page=True` (the customer page) also reads its lifecycle
    class (`lifecycle`) and its tags (`page_tags`, sorted by name) in the same query."""
    customers = with_edit_right(_customers(user), user)
    if page:
        labels = (
            CustomerTag.objects.filter(customer=OuterRef("pk"))
            .order_by()
            .values("customer")
            .annotate(
                labels=StringAgg(
                    Concat("tag__colour", Value(TAG_SEPARATOR), "tag__name"),
                    delimiter=Value(TAGS_SEPARATOR),
                )
            )
            .values("labels")
        )
        customers = customers.annotate(
            lifecycle=lifecycle_expression(many=False), tag_labels=Subquery(labels[:1])
        )
    customer = mark_visible(get_object_or_404(customers, number=number), user)
    if page:
        customer.page_tags = sorted(  # type: ignore[attr-defined]
            (
                Tag(colour=colour, name=name)
                for colour, name in (
                    label.split(TAG_SEPARATOR, 1)
                    for label in (customer.tag_labels or "").split(TAGS_SEPARATOR)  # type: ignore[attr-defined]
                    if label
                )
            ),
            key=lambda tag: tag.name,
        )
    return customer


# Tag names cannot hold these control characters (the tag form refuses them).
TAG_SEPARATOR, TAGS_SEPARATOR = "\x1f", "\x1e"


def customer_lifecycle(customer: Customer) -> str:
    """The lifecycle class of one customer (`sales.lifecycle`), one query."""
    return str(
        Customer.objects.filter(pk=customer.pk)
        .annotate(lifecycle=lifecycle_expression(many=False))
        .values_list("lifecycle", flat=True)
        .get()
    )


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


def customer_tags(customer: Customer) -> list[Tag]:
    return list(customer.tags.order_by("name"))


def group_list(user: User) -> QuerySet[CustomerGroup]:
    """The customer groups the user may use (own and shared), with their owner, by name."""
    return visible_groups(user).select_related("owner").order_by("name", "id")


def group_detail(user: User, pk: int) -> CustomerGroup:
    return get_object_or_404(group_list(user), pk=pk)


def group_members(*, user: User, group: CustomerGroup) -> QuerySet[Customer]:
    """The customers of a group for `user`: the group's saved filter (validated again) applied
    to the customers `user` may see, through the customer list's own filters. A saved filter
    that is no longer valid (a region removed…) finds nobody."""
    saved = group_filterset(
        group.filters, queryset=customer_list(user=user, filters=None).qs, user=user
    )
    return saved.qs if saved.is_valid() else Customer.objects.none()


def group_scope(user: User, group_id: int | None) -> QuerySet[Customer]:
    """The customers a report covers: the visible ones, or the members of group `group_id` for
    `user` (none when the user may not use that group: a report never falls back to every
    customer because its group is out of reach)."""
    customers = visible_customers(user)
    if group_id is None:
        return customers
    group = visible_groups(user).filter(pk=group_id).first()
    if group is None:
        return customers.none()
    return customers.filter(pk__in=group_members(user=user, group=group).values("pk"))


def report_group(user: User, group_id: int | None) -> CustomerGroup | None:
    """The group a report is scoped by, if the user may use it (for the report's header)."""
    return None if group_id is None else visible_groups(user).filter(pk=group_id).first()


def group_member_count(*, user: User, group: CustomerGroup, cap: int | None = None) -> int:
    """How many customers the group holds for `user`, counted up to `cap` (default
    `CRM_COUNT_CAP`; a larger count answers cap + 1, shown as "more than cap")."""
    cap = settings.CRM_COUNT_CAP if cap is None else cap
    return group_members(user=user, group=group).order_by()[: cap + 1].count()


def order_list(customer: Customer) -> QuerySet[Order]:
    """A customer's orders, newest first, each with its total (Σ count × unit price)."""
    return customer.orders.annotate(total=F("amount")).order_by("-date", "-id")


def activity_rows(
    user: User, customer: Customer | None = None, *, hashed: bool = False
) -> QuerySet[Activity]:
    """The interactions the user may see (of one customer, or of all visible ones), newest
    first, with their customer and author. `hashed`: `visible_activities`'."""
    rows = visible_activities(user, customer, hashed=hashed)
    return rows.select_related("customer", "author").order_by("-occurred_at", "-id")


def activity_detail(user: User, customer: Customer, pk: int) -> Activity:
    """One interaction of a visible customer; 404 otherwise."""
    return get_object_or_404(activity_rows(user, customer), pk=pk)


def activity_comments(activity: Activity) -> list[ActivityComment]:
    return list(activity.comments.select_related("author"))


def customer_recent_activities(user: User, customer: Customer, limit: int) -> list[Activity]:
    """For the customer timeline: the customer's newest `limit` interactions."""
    return list(activity_rows(user, customer)[:limit])


def customer_recent_orders(customer: Customer, limit: int) -> list[Order]:
    """For the customer timeline: the customer's newest `limit` orders."""
    return list(customer.orders.order_by("-date", "-id")[:limit])


def customer_recent_losses(customer: Customer, limit: int) -> list[CustomerLoss]:
    """For the customer timeline: the customer's newest `limit` loss records."""
    return list(customer.losses.order_by("-created_at", "-id")[:limit])


@dataclass(frozen=True)
class RecordChange:
    """A change of the customer's fields or of one of its contacts' (the timeline)."""

    subject: str  # "" for the customer itself, else the contact's name
    contact_id: int | None
    entry: HistoryEntry


def _loaded_names(customer: Customer) -> dict[type[Model], dict[Any, str]]:
    """The names of the customer and of the related rows read with it (`customer_detail` reads
    its manager, region and level): the history shows their current values without a query."""
    known: dict[type[Model], dict[Any, str]] = {Customer: {customer.pk: customer.name}}
    for name in ("manager", "region", "level"):
        field = Customer._meta.get_field(name)
        cached = field.is_cached(customer)  # type: ignore[union-attr]
        related = field.get_cached_value(customer, None) if cached else None  # type: ignore[union-attr]
        if related is not None:
            known.setdefault(type(related), {})[related.pk] = str(related)
    return known


def customer_recent_changes(customer: Customer, limit: int) -> list[RecordChange]:
    """For the customer timeline: the newest `limit` changes of the customer and of the contacts
    it has had, newest first, each with its fields' old and new values (a fixed number of
    queries)."""
    # One record: each row's previous is the next one read (one query, `limit + 1` rows).
    rows = list(record_history(customer)[: limit + 1])
    known = _loaded_names(customer)
    own = history_entries(Customer.history.model, rows[:limit], *rows[limit:], known=known)
    contacts = recent_entries(Contact.history.filter(customer_id=customer.pk), limit, known=known)
    changes = [RecordChange("", None, entry) for entry in own] + [
        RecordChange(row.name, row.id, entry) for row, entry in contacts
    ]
    changes.sort(key=lambda change: change.entry.when, reverse=True)
    return changes[:limit]


def loss_list(user: User) -> QuerySet[CustomerLoss]:
    """The loss records a user may see, with customer and manager, newest first."""
    return visible_losses(user).select_related("customer__manager").order_by("-created_at", "-id")


# Dashboards and reports ---------------------------------------------------------------------------

MONEY = DecimalField(max_digits=18, decimal_places=2)


def upcoming_birthdays(user: User, today: datetime.date, *, days: int = 7) -> QuerySet[Contact]:
    """Contacts of the visible customers the user manages whose birthday is celebrated in the
    next `days` days, soonest (by calendar day) first, with their customer."""
    return (
        Contact.objects.filter(managed_customer_visibility(user), birthdays_in(today, days))
        .select_related("customer")
        .order_by("birthday_day", "name")
    )


def open_loss_warnings(user: User) -> QuerySet[CustomerLoss]:
    """The open loss records (warning or paused) of the visible customers the user manages."""
    return (
        visible_losses(user)
        .filter(status__in=CustomerLoss.OPEN, customer__manager=user)
        .select_related("customer")
    )


def monthly_order_amounts(user: User, since: datetime.date) -> dict[str, Decimal]:
    """Σ order amount per month ("YYYY-MM") of the visible customers, from `since`; months
    without orders are absent (read from the product summary, also months whose orders have no
    lines: their sum is 0 either way). From the monthly summaries when `since` starts a month:
    for a viewer of every customer the product summary (an order's amount is the sum of its
    lines, and it counts the live customers' lines), a few hundred rows a month instead of a row
    per customer (23 -> 2 ms for 24 months at scale 2); for anyone else the customers' summary."""
    if whole_months(since, None) and sees_all_customers(user):
        rows: Any = ProductMonthSales.objects.filter(month__gte=since).values("month")
    elif whole_months(since, None):
        rows = CustomerMonthSales.objects.filter(
            customer_visibility(user), month__gte=since
        ).values("month")
    else:
        rows = (
            Order.objects.filter(customer__in=visible_customers(user), date__gte=since)
            .annotate(month=TruncMonth("date"))
            .values("month")
        )
    rows = rows.annotate(total=Sum("amount")).order_by("month")
    return {row["month"].strftime("%Y-%m"): row["total"] for row in rows}


def top_customers_by_amount(
    user: User, since: datetime.date, *, limit: int = 10
) -> list[dict[str, Any]]:
    """The visible customers with the largest Σ order amount from `since` (number, name,
    amount), largest first. The orders (or, from the first of a month, the monthly summary)
    are summed per customer first (one table), then the few customers are named."""
    customers = visible_customers(user)
    # The customers' rule on the summed rows (for view-all an anti-join on the deleted
    # customers, not a semi-join on every other one: 100 -> 57 ms at scale 2).
    visible = customer_visibility(user)
    source: Any = (
        CustomerMonthSales.objects.filter(visible, month__gte=since)
        if whole_months(since, None)
        else Order.objects.filter(visible, date__gte=since)
    )
    leaders = list(
        source.values("customer")
        .annotate(amount=Sum("amount"))
        .order_by("-amount", "customer")[:limit]
    )
    named = {
        pk: (number, name)
        for pk, number, name in customers.filter(
            pk__in=[row["customer"] for row in leaders]
        ).values_list("pk", "number", "name")
    }
    return [
        {
            "number": named[row["customer"]][0],
            "name": named[row["customer"]][1],
            "amount": row["amount"],
        }
        for row in leaders
    ]


CUSTOMER_GROUPS = {
    "level": "level__item",
    "credit": "credit",
    "satisfaction": "satisfaction",
    "region": "region__item",
    "manager": "manager",  # the user's id, shown as their full name
    "lifecycle": "lifecycle",  # `sales.lifecycle`, shown by its label
}


def customer_counts(user: User, by: str, *, group_id: int | None = None) -> list[tuple[Any, int]]:
    """(value, number of visible customers) per value of `by` (a key of `CUSTOMER_GROUPS`),
    largest group first; a customer without the value counts under None or "". With
    `group_id`, only the members of that customer group (`group_scope`)."""
    field = CUSTOMER_GROUPS[by]
    customers = group_scope(user, group_id)
    if by == "lifecycle":
        customers = customers.annotate(lifecycle=lifecycle_expression())
    if by in DICTIONARY_GROUPS:
        counts = _dictionary_counts(customers, by)
    else:
        # COUNT(*), not COUNT(id): nothing to test per row (57 -> 32 ms for 200,000 rows).
        grouped = customers.values(field).annotate(count=Count("*")).order_by("-count", field)
        counts = [(row[field], row["count"]) for row in grouped]
    if by == "lifecycle":
        counts = [(str(Lifecycle.labels[value]), count) for value, count in counts]
    if by == "manager":
        names = user_names(value for value, _count in counts)
        counts = [(names.get(value), count) for value, count in counts]
    return counts


DICTIONARY_GROUPS = {"level", "region"}  # foreign keys to dictionary items, grouped by id


def _dictionary_counts(customers: QuerySet[Customer], by: str) -> list[tuple[Any, int]]:
    """`customer_counts` by a dictionary item: the customers grouped by the item's id, then
    named (items of the same name counted together), instead of joining every customer to
    its item to group by the name (80 -> 32 ms for 200,000 customers). Grouped by status too,
    so that the (status, level) index is read in its order and counted as it goes instead of
    hashed (24-33 -> 16 ms for the levels of 200,000 customers)."""
    grouped = customers.order_by().values_list("status", f"{by}_id").annotate(count=Count("*"))
    by_id: dict[Any, int] = {}
    for _status, pk, count in grouped:
        by_id[pk] = by_id.get(pk, 0) + count
    items = DictItem.objects.filter(pk__in=[pk for pk in by_id if pk])
    names = dict(items.values_list("pk", "item"))
    merged: dict[Any, int] = {}
    for pk, count in by_id.items():
        name = names.get(pk) if pk else None
        merged[name] = merged.get(name, 0) + count
    return sorted(merged.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))


@dataclass(frozen=True)
class CustomerAmounts:
    total: Decimal  # Σ over every customer with orders in the period
    customers: int  # how many customers have orders in the period
    rows: list[dict[str, Any]]  # the first ones: number, name, manager, amount


def customer_order_amounts(
    user: User,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    customer_name: str = "",
    manager_name: str = "",
    limit: int = 200,
    group_id: int | None = None,
) -> CustomerAmounts:
    """Σ order amount per visible customer with orders between `start` and `end` (open ends
    allowed), largest first, optionally by customer and manager name and within a customer
    group (`group_scope`). Orders keep their amount (Σ count × unit price of the lines), so this
    sums orders; a period of whole months sums the monthly summary instead (the same figures, a
    row per customer and month)."""
    customers = group_scope(user, group_id)
    if customer_name:
        customers = customers.filter(name__icontains=customer_name)
    if manager_name:
        customers = customers.filter(manager__in=users_named(manager_name).values("pk"))
    # Summed per customer in the one table (the customers a semi-join), then the shown few
    # named: joining every customer to its rows first hashed all 100,000 of them (55 ms).
    source: Any = CustomerMonthSales.objects if whole_months(start, end) else Order.objects
    day = "month" if source is CustomerMonthSales.objects else "date"
    scoped = bool(customer_name or manager_name or group_id)
    rows = source.filter(Q(customer__in=customers) if scoped else customer_visibility(user))
    if start:
        rows = rows.filter(**{f"{day}__gte": start})
    if end:
        rows = rows.filter(**{f"{day}__lte": end})
    amounts = (
        rows.values("customer")
        .annotate(amount=Sum("amount", output_field=MONEY))
        .filter(amount__gt=0)
        .order_by()
    )
    # The total and the number of customers beside the leaders, from the same grouping.
    leaders = list(
        amounts.annotate(
            total=groups_total(F("amount"), output_field=MONEY), customers=groups_count()
        ).order_by("-amount", "customer")[:limit]
    )
    named = Customer.objects.only("number", "name", "manager").in_bulk(
        [row["customer"] for row in leaders]
    )
    names = user_names(customer.manager_id for customer in named.values())
    return CustomerAmounts(
        total=leaders[0]["total"] if leaders else Decimal(0),
        customers=leaders[0]["customers"] if leaders else 0,
        rows=[
            {
                "number": named[row["customer"]].number,
                "name": named[row["customer"]].name,
                "manager": names.get(named[row["customer"]].manager_id, ""),
                "amount": row["amount"],
            }
            for row in leaders
        ],
    )


def _confirmed_losses(
    user: User, customer_name: str = "", manager_name: str = ""
) -> QuerySet[CustomerLoss]:
    losses = visible_losses(user).filter(status=CustomerLoss.Status.CONFIRMED)
    if customer_name:
        losses = losses.filter(customer__name__icontains=customer_name)
    if manager_name:
        losses = losses.filter(manager__in=users_named(manager_name).values("pk"))
    return losses


# The manager is the one of the loss (when it was confirmed), not the customer's current one.
LOSS_GROUPS = {"year": "confirmed_at__year", "manager": "manager"}


def confirmed_loss_counts(
    user: User, by: str, *, customer_name: str = "", manager_name: str = ""
) -> list[tuple[Any, int]]:
    """(value, number of visible confirmed losses) per value of `by` (a key of `LOSS_GROUPS`),
    in the value's order, optionally by customer and manager name."""
    field = LOSS_GROUPS[by]
    grouped = (
        _confirmed_losses(user, customer_name, manager_name)
        .values(field)
        .annotate(count=Count("pk"))
        .order_by(field)
    )
    counts = [(row[field], row["count"]) for row in grouped]
    if by == "manager":
        names = user_names(value for value, _count in counts)
        counts = [(names.get(value), count) for value, count in counts]
    return counts


def confirmed_loss_rows(
    user: User, *, customer_name: str = "", manager_name: str = ""
) -> QuerySet[Any, Any]:
    """The visible confirmed losses, latest first (year, customer number and name, the
    manager's id at the loss, reason), optionally by customer and manager name; page them and
    name the managers with `named_loss_rows`."""
    return (
        _confirmed_losses(user, customer_name, manager_name)
        .annotate(year=ExtractYear("confirmed_at"))
        .values("year", "customer__number", "customer__name", "manager", "reason")
        .order_by("-confirmed_at", "-pk")
    )


def named_loss_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of `confirmed_loss_rows` with the manager's full name (one query)."""
    rows = list(rows)
    names = user_names(row["manager"] for row in rows)
    return [
        {
            "year": row["year"],
            "number": row["customer__number"],
            "customer": row["customer__name"],
            "manager": names.get(row["manager"]),
            "reason": row["reason"],
        }
        for row in rows
    ]


def manager_order_totals(
    user: User, *, start: datetime.date | None, end: datetime.date | None
) -> dict[int | None, dict[str, Any]]:
    """Per customer manager (id): the number and Σ amount of the visible customers' orders
    dated in [start, end] (open ends allowed); from the monthly summary for whole months."""
    count: Aggregate
    if whole_months(start, end):
        source: Any = CustomerMonthSales.objects.filter(customer_visibility(user))
        day, count = "month", Sum("orders")
    else:
        source = Order.objects.filter(customer__in=visible_customers(user))
        day, count = "date", Count("pk")
    if start:
        source = source.filter(**{f"{day}__gte": start})
    if end:
        source = source.filter(**{f"{day}__lte": end})
    rows = (
        source.values("customer__manager").annotate(orders=count, amount=Sum("amount")).order_by()
    )
    return {
        row["customer__manager"]: {"orders": row["orders"], "amount": row["amount"] or Decimal(0)}
        for row in rows
    }


def product_sales(
    user: User, *, start: datetime.date, end: datetime.date
) -> dict[int, dict[str, Any]]:
    """Per product (id): name, model, Σ quantity and Σ amount (count × unit price) of the order
    lines of the visible customers' orders dated in [start, end]. For a period of whole months,
    from the summaries: a viewer of every customer reads the product summary (which counts
    exactly those customers' lines); anyone else their own rows of the summary per manager (the
    customers they hold) and the lines of the other customers they see (shared with them).
    Any other period is read from the lines."""
    lines = OrderLine.objects.filter(order__date__gte=start, order__date__lte=end)
    line_measures = {
        "line_count": Sum("count"),
        "total": Sum(F("count") * F("unit_price"), output_field=MONEY),
    }
    summed = {"line_count": Sum("quantity"), "total": Sum("amount")}
    sources: list[tuple[Any, dict[str, Any]]]
    if not whole_months(start, end):
        sources = [(lines.filter(order__customer__in=visible_customers(user)), line_measures)]
    elif sees_all_customers(user):
        sources = [(ProductMonthSales.objects.filter(month__gte=start, month__lte=end), summed)]
    else:
        held = ManagerProductMonthSales.objects.filter(
            manager=user, month__gte=start, month__lte=end
        )
        others = visible_customers_of_others(user)
        sources = [(held, summed), (lines.filter(order__customer__in=others), line_measures)]
    totals: dict[int, dict[str, Any]] = {}
    for source, measures in sources:
        rows = (
            source.values("product", "product__name", "product__model")
            .annotate(**measures)
            .order_by()
        )
        for row in rows:
            total = totals.setdefault(
                row["product"],
                {
                    "name": row["product__name"],
                    "model": row["product__model"],
                    "quantity": 0,
                    "amount": Decimal(0),
                },
            )
            total["quantity"] += row["line_count"] or 0
            total["amount"] += row["total"] or Decimal(0)
    return totals


def customer_search(*, user: User, term: str, limit: int) -> list[Customer]:
    """Visible customers whose name, phone or address contains the term, or whose number starts
    with it, best first (global search)."""
    customers = visible_customers(user).only("number", "name", "phone", "address")
    return list(
        ranked_matches(
            customers, term, fields=("name", "phone", "address"), numbers=("number",), limit=limit
        )
    )


def contact_search(*, user: User, term: str, limit: int) -> list[Contact]:
    """Contacts of visible customers by name, mobile, office phone or e-mail, best first."""
    # Visibility tested on each candidate's customer: the candidates are a few hundred, the
    # visible customers of a rep tens of thousands (hashing them took 16 of the 44 ms).
    contacts = (
        Contact.objects.filter(customer_visibility(user, per_row=True))
        .select_related("customer")
        .only("name", "mobile", "phone", "email", "customer__number", "customer__name")
    )
    fields = ("name", "mobile", "phone", "email")
    return list(ranked_matches(contacts, term, fields=fields, limit=limit))


def order_search(*, user: User, term: str, limit: int) -> list[Order]:
    """Orders of visible customers whose number starts with the term."""
    orders = (
        Order.objects.filter(customer_visibility(user))
        .select_related("customer")
        .only("number", "date", "customer__number", "customer__name")
    )
    return list(ranked_matches(orders, term, fields=(), numbers=("number",), limit=limit))


# Words that many company names share: left out when comparing names for duplicates.
COMPANY_WORDS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "公司",
    "分公司",
    "科技",
    "贸易",
    "实业",
    "发展",
    "co.,ltd.",
    "co., ltd.",
    "co.ltd",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
)
DUPLICATE_LIMIT = 5
SIMILAR_SHARE = 0.7  # the share of the longer core name's bigrams both names hold


def name_core(name: str) -> str:
    """The normalised name without the company words (北京瑞丰科技有限公司 → 北京瑞丰)."""
    core = normalise(name)
    for word in COMPANY_WORDS:
        core = core.replace(word, "")
    return core.strip(" ,.()（）")


def _similar_names(a: str, b: str) -> bool:
    if normalise(a) == normalise(b):
        return True
    first, second = set(bigrams(name_core(a))), set(bigrams(name_core(b)))
    shorter = min(len(first), len(second))
    return shorter > 0 and len(first & second) >= SIMILAR_SHARE * max(len(first), len(second))


PHONE_DIGITS = 7  # shorter numbers are extensions, not phones


def phone_digits(phone: str) -> str:
    """The digits of a phone number, full-width ones folded (010-6234 5678 → 01062345678)."""
    return "".join(ch for ch in normalise(phone) if ch.isdigit())


class _KeyFunc(Func):
    """A duplicate key of a column, in SQL: PostgreSQL's function of the same name (created by
    `sales` migration 0015, indexed with the id), or on SQLite the Python rule registered on the
    connection. `tests/search/test_duplicates.py` proves both give the Python rule's answer."""

    output_field = CharField()
    arity = 1
    python: Any = None

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sqlite_function(connection, str(self.function), type(self).python)
        return self.as_sql(compiler, connection, **extra)


class NameKey(_KeyFunc):
    """`customer_name_key(name)`: the name's `name_core`."""

    function = "customer_name_key"
    python = staticmethod(lambda text: name_core(text or ""))


class PhoneKey(_KeyFunc):
    """`customer_phone_key(phone)`: the phone's `phone_digits`."""

    function = "customer_phone_key"
    python = staticmethod(lambda text: phone_digits(text or ""))


NAME_CORE_LENGTH = 2  # a shorter core (a name of company words only) is no evidence
DUPLICATE_KEYS = {
    "name": (NameKey, "name", NAME_CORE_LENGTH),
    "phone": (PhoneKey, "phone", PHONE_DIGITS),
}


def duplicate_pairs(*, user: User, by: str) -> QuerySet[Any, Any]:
    """The possible duplicates among the customers the user may see, as `{"pk", "duplicate_of"}`
    rows in the order of the key: every visible customer whose name core (`by="name"`) or phone
    digits (`by="phone"`) an older visible customer shares, with the oldest of them.

    The candidates are the keys that more than one live customer holds (`DuplicateKey`, kept
    by triggers: `sales.duplicate_keys`), read from its partial index; among the visible
    customers holding them (the index on (key, id) answers) those held twice are kept, and the
    pairs are numbered only among their rows. The cost follows the duplicates, not the
    customers: grouping every customer's key instead took 48 ms of SQL for 100,000 phones with
    no duplicate among them, 130 ms for 200,000."""
    key_func, column, _shortest = DUPLICATE_KEYS[by]
    key = key_func(F(column))
    visible = visible_customers(user).order_by()
    held_again = DuplicateKey.objects.filter(kind=by, holders__gt=1).values("key")
    repeated = (
        visible.annotate(duplicate_key=key)
        .filter(duplicate_key__in=held_again)
        .values("duplicate_key")
        .annotate(holders=Count("pk"))
        .filter(holders__gt=1)
        .values("duplicate_key")
    )
    window: dict[str, Any] = {"partition_by": [key], "order_by": [F("pk").asc()]}
    return (
        visible.alias(duplicate_key=key)
        .filter(duplicate_key__in=repeated)
        .annotate(
            duplicate_of=Window(FirstValue("pk"), **window),
            position=Window(RowNumber(), **window),
        )
        .filter(position__gt=1)
        .order_by("duplicate_key", "pk")
        .values("pk", "duplicate_of")
    )


def duplicate_pair_customers(
    *, user: User, rows: Iterable[Mapping[str, Any]]
) -> list[tuple[Customer, Customer]]:
    """The customers of a page of `duplicate_pairs` rows, (customer, the older one), in one
    query."""
    rows = list(rows)
    ids = {row["pk"] for row in rows} | {row["duplicate_of"] for row in rows}
    found = _customers(user).in_bulk(ids)
    return [
        (found[row["pk"]], found[row["duplicate_of"]])
        for row in rows
        if row["pk"] in found and row["duplicate_of"] in found
    ]


def merge_pair(*, user: User, numbers: tuple[str, str]) -> tuple[Customer, Customer] | None:
    """The two customers of a merge, in the order of `numbers`, when the user may see both and
    they are two; None otherwise (the same answer for one out of scope or unknown)."""
    if numbers[0] == numbers[1]:
        return None
    found = {c.number: c for c in _customers(user).filter(number__in=numbers)}
    if len(found) != 2:
        return None
    return found[numbers[0]], found[numbers[1]]


@dataclass
class DuplicateCandidate:
    customer: Customer
    visible: bool  # False: shown without its details (the user may not see it)
    reason: str  # "name" or "phone"


def similar_customers(
    *, user: User, name: str, phone: str = "", exclude: int | None = None
) -> list[DuplicateCandidate]:
    """Live customers, among all, with the same normalised name, a name sharing most bigrams
    (company words left out) or the same phone digits; each marked visible or not to the user."""
    core, digits = name_core(name), phone_digits(phone)
    candidates = Customer.objects.exclude(status=Customer.Status.DELETED)
    condition = Q(pk__in=[])
    if len(core) >= NAME_CORE_LENGTH:
        # The same core (an index lookup of `NameKey`: company words may sit anywhere in the
        # name), or a name that contains the core's start (near names).
        candidates = candidates.alias(name_key=NameKey(F("name")))
        condition |= Q(name_key=core) | Q(Contains("name", core[:8]))
    if len(digits) >= PHONE_DIGITS:
        # The same phone digits: an index lookup of `PhoneKey` (a search for the last four
        # digits found hundreds of candidates to read and discard: 12 ms at scale 2).
        candidates = candidates.alias(phone_key=PhoneKey(F("phone")))
        condition |= Q(phone_key=digits)
    candidates = candidates.filter(condition)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    found: list[tuple[Customer, str]] = []
    for customer in candidates.only("number", "name", "phone", "manager")[:50]:
        if _similar_names(name, customer.name):
            found.append((customer, "name"))
        elif digits and phone_digits(customer.phone) == digits:
            found.append((customer, "phone"))
    found = found[:DUPLICATE_LIMIT]
    if not found:
        return []
    visible = set(
        visible_customers(user).filter(pk__in=[c.pk for c, _ in found]).values_list("pk", flat=True)
    )
    return [DuplicateCandidate(c, c.pk in visible, reason) for c, reason in found]


def merged_customer_survivor(user: User, number: str) -> str | None:
    """The number of the customer that the customer `number` was merged into, if it was and the
    user may see the survivor; None otherwise (the page then answers as usual)."""
    merged = Customer.objects.filter(number=number, merged_into__isnull=False)
    return (
        visible_customers(user)
        .filter(pk__in=merged.values("merged_into"))
        .values_list("number", flat=True)
        .first()
    )


def visits_between(
    user: User, author: User, start: datetime.datetime, end: datetime.datetime, limit: int = 2000
) -> list[tuple[Any, ...]]:
    """The visits `author` logged in [start, end) at customers `user` may see (the calendar), as
    rows of (pk, title, occurred_ms, customer number, customer name), `occurred_ms` in
    milliseconds since the epoch."""
    return list(
        visible_activities(user)
        .filter(
            author=author, kind=Activity.Kind.VISIT, occurred_at__gte=start, occurred_at__lt=end
        )
        .annotate(occurred_ms=EpochMilliseconds("occurred_at"))
        .order_by("occurred_at", "id")
        .values_list("pk", "title", "occurred_ms", "customer__number", "customer__name")[:limit]
    )

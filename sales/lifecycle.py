"""The lifecycle class of a customer (潜在 / 意向 / 成交 / 忠诚), derived from its data.

One expression decides it, for the list filter, the composition report and the customer page:

- loyal (忠诚): at least `LIFECYCLE_LOYAL_ORDERS` orders dated in the last
  `LIFECYCLE_LOYAL_MONTHS` months;
- customer (成交): any order, ever;
- interested (意向): no order, and an open opportunity;
- potential (潜在): no order and no open opportunity.

Opportunities belong to the marketing module, above sales, so sales cannot query them. Marketing
registers the condition "this customer has an open opportunity" from its `AppConfig.ready`
(`register_open_interest`); without one, no customer is interested. Marketing defines it as an
opportunity in status 1 or 2 whose customer name is the customer's name: an opportunity names its
prospective customer and links to a customer record only when won (the customer it creates).
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from core.dates import months_before
from sales.models import Order


class Lifecycle:
    POTENTIAL = "potential"
    INTERESTED = "interested"
    CUSTOMER = "customer"
    LOYAL = "loyal"

    choices = [
        (POTENTIAL, pgettext_lazy("lifecycle", "Potential")),
        (INTERESTED, pgettext_lazy("lifecycle", "Interested")),
        (CUSTOMER, pgettext_lazy("lifecycle", "Customer")),
        (LOYAL, pgettext_lazy("lifecycle", "Loyal")),
    ]
    labels = dict(choices)


# A function returning a condition on Customer rows (OuterRef("pk"), OuterRef("name")…).
OpenInterest = Callable[[], Any]
_OPEN_INTEREST: dict[str, OpenInterest] = {}


def register_open_interest(key: str, condition: OpenInterest) -> None:
    """Add a source of "open opportunity" for the interested class (registering a key again
    replaces it)."""
    _OPEN_INTEREST[key] = condition


def _open_interest() -> Q:
    conditions = [condition() for _key, condition in sorted(_OPEN_INTEREST.items())]
    if not conditions:
        return Q(pk__in=[])
    combined = Q(conditions[0])
    for condition in conditions[1:]:
        combined |= Q(condition)
    return combined


def loyal_since(today: datetime.date | None = None) -> datetime.date:
    """The first day whose orders count towards loyalty."""
    today = today or timezone.localdate()
    return months_before(today, settings.LIFECYCLE_LOYAL_MONTHS)


def lifecycle_expression(today: datetime.date | None = None, *, many: bool = True) -> Case:
    """The lifecycle class of each customer of a queryset (annotate or alias it).

    The rule is the same either way; `many` chooses the SQL's shape. Over many customers (the
    list filter, the report) the order conditions are sets computed once (customers with N
    recent orders: one GROUP BY … HAVING over the orders' date index; customers with orders),
    which PostgreSQL hashes; for one customer (`many=False`, its page) they are looked up per
    row in the (customer, date) index instead of reading every recent order."""
    since, loyal_orders = loyal_since(today), settings.LIFECYCLE_LOYAL_ORDERS
    if many:
        recent = (
            Order.objects.filter(date__gte=since)
            .order_by()
            .values("customer")
            .annotate(n=Count("pk"))
            .filter(n__gte=loyal_orders)
            .values("customer")
        )
        loyal: Any = Q(pk__in=recent)
        ordered: Any = Q(pk__in=Order.objects.order_by().values("customer"))
    else:
        orders = Order.objects.filter(customer=OuterRef("pk")).order_by()
        # At least N recent orders: whether an N-th one exists, which reads N entries of the
        # (customer, date) index instead of counting them all (14,000 for the largest customer).
        loyal = Exists(orders.filter(date__gte=since)[max(loyal_orders - 1, 0) : loyal_orders])
        ordered = Exists(orders)
    return Case(
        When(loyal, then=Value(Lifecycle.LOYAL)),
        When(ordered, then=Value(Lifecycle.CUSTOMER)),
        When(_open_interest(), then=Value(Lifecycle.INTERESTED)),
        default=Value(Lifecycle.POTENTIAL),
        output_field=CharField(),
    )

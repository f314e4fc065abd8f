"""Reads of the customers module; visibility comes from `sales.permissions`."""

from decimal import Decimal

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import User
from sales.models import Customer, CustomerLoss, Order, OrderLine
from sales.permissions import visible_customers, visible_losses


def customer_list(user: User) -> QuerySet[Customer]:
    """The customers a user may see, with what the list shows loaded in the same query."""
    return visible_customers(user).select_related("manager", "region", "level")


def customer_detail(user: User, number: str) -> Customer:
    """One visible customer by number, with its manager, region and level; 404 outside scope."""
    return get_object_or_404(customer_list(user), number=number)


def order_list(customer: Customer) -> QuerySet[Order]:
    """A customer's orders, newest first, each with its total (Σ count × unit price)."""
    totals = (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(total=Sum(F("count") * F("unit_price")))
        .values("total")
    )
    # A correlated subquery rather than a join + GROUP BY: with a page's LIMIT, only the shown
    # orders are summed, however many orders a large customer has.
    return customer.orders.annotate(total=Coalesce(Subquery(totals), Value(Decimal(0)))).order_by(
        "-date", "-id"
    )


def loss_list(user: User) -> QuerySet[CustomerLoss]:
    """The loss records a user may see, with customer and manager, newest first."""
    return visible_losses(user).select_related("customer__manager").order_by("-created_at", "-id")

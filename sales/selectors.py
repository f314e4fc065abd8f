"""Reads of the customers module; visibility comes from `sales.permissions`."""

from decimal import Decimal

from django.db.models import F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import User
from sales.models import Customer, Order
from sales.permissions import visible_customers


def customer_list(user: User) -> QuerySet[Customer]:
    """The customers a user may see, with what the list shows loaded in the same query."""
    return visible_customers(user).select_related("manager", "region", "level")


def customer_detail(user: User, number: str) -> Customer:
    """One visible customer by number, with its manager, region and level; 404 outside scope."""
    return get_object_or_404(customer_list(user), number=number)


def order_list(customer: Customer) -> QuerySet[Order]:
    """A customer's orders, newest first, each with its total (Σ count × unit price)."""
    return customer.orders.annotate(
        total=Coalesce(Sum(F("lines__count") * F("lines__unit_price")), Value(Decimal(0)))
    ).order_by("-date", "-id")

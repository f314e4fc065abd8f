"""Reads of the customers module; visibility comes from `sales.permissions`."""

from collections.abc import Mapping
from typing import Any

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from sales.filters import CustomerFilter
from sales.models import Customer, CustomerLoss, Order
from sales.permissions import visible_customers, visible_losses


def _customers(user: User) -> QuerySet[Customer]:
    """The customers a user may see, with what the list shows loaded in the same query."""
    return visible_customers(user).select_related("manager", "region", "level")


def customer_list(*, user: User, filters: Mapping[str, Any] | None) -> CustomerFilter:
    """The customer list as its page, its download and its background export show it: the
    visible customers, filtered and sorted by `filters` (the page's query string), newest first
    unless sorted. `filters=None` is the unfiltered list. The result is the bound filter set:
    `.qs` are the rows (use them only when `is_valid()` or unbound), `.form` the filter form."""
    return CustomerFilter(filters, queryset=_customers(user).order_by("-id"))


def customer_detail(user: User, number: str) -> Customer:
    """One visible customer by number, with its manager, region and level; 404 outside scope."""
    return get_object_or_404(_customers(user), number=number)


def order_list(customer: Customer) -> QuerySet[Order]:
    """A customer's orders, newest first, each with its total (Σ count × unit price)."""
    return customer.orders.annotate(total=F("amount")).order_by("-date", "-id")


def loss_list(user: User) -> QuerySet[CustomerLoss]:
    """The loss records a user may see, with customer and manager, newest first."""
    return visible_losses(user).select_related("customer__manager").order_by("-created_at", "-id")

"""Reads of the base-data module."""

from django.db.models import QuerySet

from inventory.models import DictItem, DictType


def dict_items(type_: str) -> QuerySet[DictItem]:
    """The entries of one dictionary type, in their stored order."""
    return DictItem.objects.filter(type=type_).order_by("id")


def regions() -> QuerySet[DictItem]:
    return dict_items(DictType.REGION)


def customer_levels() -> QuerySet[DictItem]:
    return dict_items(DictType.CUSTOMER_LEVEL)


def service_types() -> QuerySet[DictItem]:
    return dict_items(DictType.SERVICE_TYPE)

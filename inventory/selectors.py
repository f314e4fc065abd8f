"""Reads of the base-data module."""

from django.db.models import QuerySet

from core.caching import cached, forget_with_write
from inventory.models import DictItem, DictType

DICTIONARY_CACHE_KEY = "inventory:dictionary-choices"
DICTIONARY_CACHE_SECONDS = 300  # a bound on staleness for writes that bypass the signals


def dict_items(type_: str) -> QuerySet[DictItem]:
    """The entries of one dictionary type, in their stored order."""
    return DictItem.objects.filter(type=type_).order_by("id")


def regions() -> QuerySet[DictItem]:
    return dict_items(DictType.REGION)


def customer_levels() -> QuerySet[DictItem]:
    return dict_items(DictType.CUSTOMER_LEVEL)


def service_types() -> QuerySet[DictItem]:
    return dict_items(DictType.SERVICE_TYPE)


def dictionary_choices(type_: str) -> list[tuple[int, str]]:
    """(id, item) of the entries of one dictionary type, in their stored order, for the select
    boxes of filter forms. The whole dictionary (a few dozen rows) is one cache entry, read
    once and dropped whenever an entry is saved or deleted (`forget_dictionary_choices`). With
    the cache shared (Redis) every process sees the drop; with each process's own memory
    (no REDIS_URL) another process may show the old entries for up to five minutes; with Redis
    down the dictionary is read from the database."""
    return cached(DICTIONARY_CACHE_KEY, DICTIONARY_CACHE_SECONDS, _dictionary_table).get(type_, [])


def _dictionary_table() -> dict[str, list[tuple[int, str]]]:
    table: dict[str, list[tuple[int, str]]] = {}
    for pk, entry_type, item in DictItem.objects.order_by("id").values_list("pk", "type", "item"):
        table.setdefault(entry_type, []).append((pk, item))
    return table


def forget_dictionary_choices(**kwargs: object) -> None:
    """Drop the cached choices, now and when the write commits."""
    forget_with_write(DICTIONARY_CACHE_KEY)

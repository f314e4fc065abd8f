"""Scoped hints to PostgreSQL's planner, for the few queries it is known to plan badly."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet


@contextmanager
def _planner_settings(*names: str) -> Iterator[None]:
    """Turn the planner settings `names` off for this transaction only (PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        _set(names, "off")
        yield
        if not outermost:  # the enclosing transaction goes on: end the hint here
            _set(names, "on")


def _set(names: tuple[str, ...], value: str) -> None:
    """One statement for all of them (`set_config(…, true)` is `SET LOCAL`)."""
    calls = ", ".join("set_config(%s, %s, true)" for _ in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {calls}", [part for name in names for part in (name, value)])


@contextmanager
def index_reads() -> Iterator[None]:
    """Within the block, PostgreSQL reads tables through an index wherever one serves
    (`enable_seqscan` off, for this transaction only).

    For a LIMIT above a window function and a filter on its result (a page of the possible
    duplicates: `sales.selectors.duplicate_pairs`), the planner cannot tell how many rows the
    page needs; it compares the costs of reading every row, finds a scan of the table and a
    sort a few percent cheaper than the key index, and sorts 100,000 keys (500 ms) where the
    index gives the first rows in 0.1 ms. Other databases: nothing changes."""
    with _planner_settings("enable_seqscan"):
        yield


def joins(queryset: QuerySet[Any], model: type[Model]) -> bool:
    """Whether the query reads `model`'s table already (a join in use), so that a column of
    that row costs nothing more, where a join for that column alone may change the plan."""
    return queryset.query.alias_refcount.get(model._meta.db_table, 0) > 0

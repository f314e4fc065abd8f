"""Scoped hints to PostgreSQL's planner, for the few queries it is known to plan badly."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def index_reads() -> Iterator[None]:
    """Within the block, PostgreSQL reads tables through an index wherever one serves
    (`enable_seqscan` off, for this transaction only).

    For a LIMIT above a window function and a filter on its result (a page of the possible
    duplicates: `sales.selectors.duplicate_pairs`), the planner cannot tell how many rows the
    page needs; it compares the costs of reading every row, finds a scan of the table and a
    sort a few percent cheaper than the key index, and sorts 100,000 keys (500 ms) where the
    index gives the first rows in 0.1 ms. Other databases: nothing changes."""
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        if not outermost:  # the enclosing transaction goes on: end the hint here
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = on")

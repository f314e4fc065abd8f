"""The indexes: no two of a table are the same index (each one is kept on every write), and no
GIN index keeps a pending list."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalogue"),
]


def test_no_index_duplicates_another() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indrelid::regclass::text, array_agg(indexrelid::regclass::text ORDER BY 1)
            FROM pg_index
            WHERE indrelid::regclass::text NOT LIKE 'pg_%%'
            GROUP BY indrelid, indkey::text, indclass::text, indcollation::text,
                     coalesce(pg_get_expr(indexprs, indrelid), ''),
                     coalesce(pg_get_expr(indpred, indrelid), ''), indisunique
            HAVING count(*) > 1
            """
        )
        assert cursor.fetchall() == []


def test_a_foreign_key_led_by_a_composite_index_has_no_index_of_its_own() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexrelid::regclass::text FROM pg_index
            WHERE indrelid IN ('cst_customer'::regclass, 'orders'::regclass)
              AND indnatts = 1 AND NOT indisunique AND NOT indisprimary
              AND pg_get_indexdef(indexrelid) ~ '\\((manager_id|customer_id)\\)$'
            """
        )
        assert cursor.fetchall() == []


def test_every_gin_index_is_written_through_without_a_pending_list() -> None:
    """A GIN index's pending list is scanned by every search until a vacuum merges it (after
    an import, a four-digit search's SQL took twice as long): every one is `fastupdate = off`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, coalesce(c.reloptions, '{}') FROM pg_class c
            JOIN pg_am am ON am.oid = c.relam
            WHERE am.amname = 'gin' AND c.relnamespace = 'public'::regnamespace
            ORDER BY 1
            """
        )
        indexes = cursor.fetchall()
    assert len(indexes) >= 11
    assert [name for name, options in indexes if "fastupdate=off" not in options] == []

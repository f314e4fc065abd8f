"""No two indexes of a table are the same index: each one is kept on every write."""

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

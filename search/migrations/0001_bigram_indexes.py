"""The search functions and indexes on PostgreSQL (see `core.textsearch`); nothing on SQLite."""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION search_norm(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(normalize(t, NFKC)) $$;
CREATE OR REPLACE FUNCTION search_bigrams(t text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000
    AS $$
        SELECT coalesce(array_to_tsvector(array(
            SELECT DISTINCT substr(n, i, 2)
            FROM (SELECT public.search_norm(t) AS n) AS normalised,
                 generate_series(1, length(n) - 1) AS i
        )), ''::tsvector)
    $$;
"""

# (index, table, column): a GIN bigram index per searched text column.
BIGRAM_INDEXES = [
    ("search_customer_name", "cst_customer", "name"),
    ("search_customer_phone", "cst_customer", "phone"),
    ("search_customer_address", "cst_customer", "address"),
    ("search_contact_name", "cst_linkman", "name"),
    ("search_contact_mobile", "cst_linkman", "mobile"),
    ("search_contact_phone", "cst_linkman", "phone"),
    ("search_contact_email", "cst_linkman", "email"),
    ("search_chance_customer", "sal_chance", "customer_name"),
    ("search_chance_title", "sal_chance", "title"),
    ("search_chance_contact", "sal_chance", "contact"),
    ("search_service_title", "cst_service", "title"),
]
# Prefix searches of business numbers (LIKE 'KH2612%'), whatever the database's collation.
PREFIX_INDEXES = [
    ("search_customer_number", "cst_customer", "number"),
    ("search_order_number", "orders", "number"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    for name, table, column in BIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_bigrams({column}))"
        )
    for name, table, column in PREFIX_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} varchar_pattern_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in BIGRAM_INDEXES + PREFIX_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS search_bigrams(text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS search_norm(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0007_order_date_covering"),
        ("marketing", "0003_contains_filter_statistics"),
        ("service", "0003_list_indexes_title_statistics"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

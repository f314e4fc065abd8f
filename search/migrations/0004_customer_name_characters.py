"""The characters of a customer's name in a GIN index (`search_chars(name)`), for the list
filter of one character (华): the bigram index cannot answer a term of one character, and the
filter read every customer's name (35 ms of SQL for 100,000; the index: see
`core.textsearch.CharHit`). Written through like the bigram indexes. Nothing on SQLite."""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION search_chars(t text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT coalesce(array_to_tsvector(array(
            SELECT DISTINCT c FROM unnest(string_to_array(t, NULL)) AS c
        )), ''::tsvector)
    $$;
CREATE INDEX IF NOT EXISTS search_customer_name_chars ON cst_customer
    USING gin (search_chars(name)) WITH (fastupdate = off);
ANALYZE cst_customer;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_customer_name_chars")
        schema_editor.execute("DROP FUNCTION IF EXISTS search_chars(text)")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_bigram_indexes_without_pending_list")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

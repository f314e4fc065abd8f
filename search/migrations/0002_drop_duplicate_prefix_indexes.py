"""The number-prefix indexes of 0001 duplicate the ones PostgreSQL gets for every unique text
column from Django (`<table>_number_<hash>_like`, also `varchar_pattern_ops`): each write
kept two copies of the same index. Nothing on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in PREFIX_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in PREFIX_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} varchar_pattern_ops)"
        )


PREFIX_INDEXES = [
    ("search_customer_number", "cst_customer", "number"),
    ("search_order_number", "orders", "number"),
]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_bigram_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

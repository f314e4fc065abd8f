"""The duplicate keys keep the possible-duplicates pages out of parallel plans (PostgreSQL).

A page of `sales.selectors.duplicate_pairs` is a window over the customers in the order of the
key index, cut after a few rows. With parallel plans allowed, PostgreSQL compared the two ways
of reading it by their total cost, not the cost of the first rows: it chose a parallel scan
computing the key of every customer and sorting them (520 ms at 200,000 customers) over the
index, which yields the first rows at once (0.1 ms). A function marked PARALLEL UNSAFE keeps
the queries that use it serial. Nothing on SQLite."""

from django.db import migrations

FUNCTIONS = ("customer_name_key(text)", "customer_phone_key(text)")


def _mark(schema_editor, safety: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for function in FUNCTIONS:
            schema_editor.execute(f"ALTER FUNCTION {function} PARALLEL {safety}")


def forwards(apps, schema_editor):
    _mark(schema_editor, "UNSAFE")


def backwards(apps, schema_editor):
    _mark(schema_editor, "SAFE")


class Migration(migrations.Migration):
    dependencies = [("sales", "0018_merge_20261203_0407")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

"""The duplicate keys of a customer on PostgreSQL (see `sales.selectors.duplicate_pairs`):
`customer_name_key(name)` is `name_core` and `customer_phone_key(phone)` is `phone_digits`, in
SQL, each indexed with the id (the column and the status included, so that a pass over the
index reads no row). Nothing on SQLite (the Python rules are registered per query)."""

from django.db import migrations

# The company words of `sales.selectors.COMPANY_WORDS`, removed in the same order.
COMPANY_WORDS = (
    "股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "分公司", "科技", "贸易", "实业",
    "发展", "co.,ltd.", "co., ltd.", "co.ltd", "ltd.", "ltd", "inc.", "inc",
)  # fmt: skip


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name_key_sql() -> str:
    expression = r"btrim(regexp_replace(lower(normalize(t, NFKC)), '\s+', ' ', 'g'))"
    for word in COMPANY_WORDS:
        expression = f"replace({expression}, {_literal(word)}, '')"
    return f"btrim({expression}, ' ,.()（）')"


FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION customer_name_key(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT {_name_key_sql()} $$;
CREATE OR REPLACE FUNCTION customer_phone_key(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT regexp_replace(normalize(t, NFKC), '[^0-9]', '', 'g') $$;
CREATE INDEX IF NOT EXISTS customer_name_key_id ON cst_customer (customer_name_key(name), id)
    INCLUDE (name, status);
CREATE INDEX IF NOT EXISTS customer_phone_key_id ON cst_customer (customer_phone_key(phone), id)
    INCLUDE (phone, status);
ANALYZE cst_customer;
"""

DROP = """
DROP INDEX IF EXISTS customer_name_key_id;
DROP INDEX IF EXISTS customer_phone_key_id;
DROP FUNCTION IF EXISTS customer_name_key(text);
DROP FUNCTION IF EXISTS customer_phone_key(text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("sales", "0014_merge_0008_loss_manager_0013_history_activity_fields")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

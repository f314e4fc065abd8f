"""How many live customers hold each duplicate key (`DuplicateKey`), kept by the database.

`duplicate_pairs` needs the keys (a name core, a phone's digits: `DUPLICATE_KEYS`) that more than
one visible customer holds. Grouping the key's index to find them read every customer: 48 ms of
SQL for 100,000 customers' phones, 130 ms for 200,000, to find none. The table counts the live
holders of every key, so that the keys held more than once are a lookup in its partial index.

It is kept by triggers on `cst_customer`, so that every write of a customer counts (the forms,
the services, the importer's bulk inserts, merges, the seeds' COPY, the API) without upkeep code
in any of them: on PostgreSQL statement-level triggers over the statement's rows (transition
tables: one set-based upsert for an import of 10,000 customers, not 20,000 row triggers), on
SQLite row-level triggers calling the Python rules, which `register_sqlite_functions` puts on
every connection. The triggers are created again after every `migrate`, from this code (so a
change to them reaches every database, and SQLite drops a table's triggers when a migration
rebuilds the table). `rebuild` recounts everything; the triggers then keep it exact
(`tests/sales/test_duplicate_keys.py` compares the two after every kind of write).
"""

from typing import Any

from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from core.textsearch import sqlite_function
from sales.models import Customer, DuplicateKey

TABLE = DuplicateKey._meta.db_table
CUSTOMERS = Customer._meta.db_table
DELETED = int(Customer.Status.DELETED)
TRIGGERS = ("cst_duplicate_key_insert", "cst_duplicate_key_update", "cst_duplicate_key_delete")


def _keys() -> list[tuple[str, str, str, int]]:
    """(kind, SQL function, column, shortest counted key) of every duplicate key."""
    from sales.selectors import DUPLICATE_KEYS

    return [
        (kind, str(func.function), column, shortest)
        for kind, (func, column, shortest) in DUPLICATE_KEYS.items()
    ]


def register_sqlite_functions(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """The key functions on a new SQLite connection (`connection_created`): the triggers call
    them on every write of a customer."""
    if connection.vendor != "sqlite":
        return
    from sales.selectors import DUPLICATE_KEYS

    for func, _column, _shortest in DUPLICATE_KEYS.values():
        sqlite_function(connection, str(func.function), func.python)


def _held(rows: str, sign: int) -> str:
    """Each counted key of `rows` (a table of customers' rows) with `sign`, as (kind, key, n)."""
    return " UNION ALL ".join(
        f"SELECT '{kind}' AS kind, {function}({column}) AS key, {sign} AS n FROM {rows} "
        f"WHERE status <> {DELETED} AND length({function}({column})) >= {shortest}"
        for kind, function, column, shortest in _keys()
    )


def _upsert(deltas: str) -> str:
    """Add the summed deltas to the counts: the keys gained are upserted, in order (two imports
    at once lock them in the same order), the keys lost only decremented where counted (a
    customer deleted after its key's row, as a flush may, leaves no negative count); keys whose
    changes cancel out are left alone."""
    return (
        f"WITH deltas AS (SELECT kind, key, sum(n) AS n FROM ({deltas}) AS held "
        "GROUP BY kind, key HAVING sum(n) <> 0), "
        f"lost AS (UPDATE {TABLE} AS counted SET holders = counted.holders + deltas.n "
        "FROM deltas WHERE deltas.n < 0 AND counted.kind = deltas.kind "
        "AND counted.key = deltas.key) "
        f"INSERT INTO {TABLE} (kind, key, holders) "
        "SELECT kind, key, n FROM deltas WHERE n > 0 ORDER BY kind, key "
        f"ON CONFLICT (kind, key) DO UPDATE SET holders = {TABLE}.holders + EXCLUDED.holders"
    )


def _changed(side: str) -> str:
    """The `side` ("o": old, "n": new) of the updated rows whose name, phone or liveness
    changed: an update recounts only those (a transfer of 18,000 customers changes none)."""
    return (
        f"(SELECT {side}.name, {side}.phone, {side}.status "
        "FROM old_rows o JOIN new_rows n ON n.id = o.id "
        "WHERE o.name IS DISTINCT FROM n.name OR o.phone IS DISTINCT FROM n.phone "
        f"OR (o.status = {DELETED}) IS DISTINCT FROM (n.status = {DELETED})) AS changed"
    )


def _postgresql() -> list[str]:
    body = {
        "INSERT": _upsert(_held("new_rows", 1)),
        "UPDATE": _upsert(f"{_held(_changed('o'), -1)} UNION ALL {_held(_changed('n'), 1)}"),
        "DELETE": _upsert(_held("old_rows", -1)),
    }
    statements = []
    for trigger, (event, referencing) in zip(
        TRIGGERS,
        (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ),
        strict=True,
    ):
        function = f"{trigger}_rows"
        statements += [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body[event]}; RETURN NULL; END $$",
            f"CREATE OR REPLACE TRIGGER {trigger} AFTER {event} ON {CUSTOMERS} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    return statements


def _sqlite_change(row: str, sign: int) -> str:
    """The row's keys counted in (`sign` 1: upserted) or out (-1: decremented where counted)."""
    statements = []
    for kind, function, column, shortest in _keys():
        key = f"{function}({row}.{column})"
        counted = f"{row}.status <> {DELETED} AND length({key}) >= {shortest}"
        if sign > 0:
            statements.append(
                f"INSERT INTO {TABLE} (kind, key, holders) SELECT '{kind}', {key}, 1 "
                f"WHERE {counted} ON CONFLICT (kind, key) DO UPDATE SET holders = holders + 1"
            )
        else:
            statements.append(
                f"UPDATE {TABLE} SET holders = holders - 1 "
                f"WHERE kind = '{kind}' AND key = {key} AND {counted}"
            )
    return "; ".join(statements)


def _sqlite() -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGERS[0]} AFTER INSERT ON {CUSTOMERS} "
        f"BEGIN {_sqlite_change('NEW', 1)}; END",
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGERS[1]} AFTER UPDATE OF name, phone, status "
        f"ON {CUSTOMERS} BEGIN {_sqlite_change('OLD', -1)}; {_sqlite_change('NEW', 1)}; END",
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGERS[2]} AFTER DELETE ON {CUSTOMERS} "
        f"BEGIN {_sqlite_change('OLD', -1)}; END",
    ]


def install(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Create (or replace) the counting triggers."""
    statements = _postgresql() if connection.vendor == "postgresql" else _sqlite()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Drop the counting triggers (a migration back past the table's)."""
    with connection.cursor() as cursor:
        for trigger in TRIGGERS:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {CUSTOMERS}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {trigger}_rows()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def installed(connection: BaseDatabaseWrapper = default_connection) -> set[str]:
    """The names of the counting triggers present on the customers' table."""
    if connection.vendor == "postgresql":
        sql = "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [CUSTOMERS])
        return {name for (name,) in cursor.fetchall()} & set(TRIGGERS)


def install_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """`post_migrate`: the triggers created again as the current code writes them, and where
    one was missing (a new database, or on SQLite a migration that rebuilt the customers'
    table) the counts rebuilt, since writes made without it went uncounted."""
    from django.db import connections

    connection = connections[using]
    if not {TABLE, CUSTOMERS} <= set(connection.introspection.table_names()):
        return
    complete = installed(connection) == set(TRIGGERS)
    with transaction.atomic(using=using):
        uninstall(connection)  # then created as this code writes them
        install(connection)
        if not complete:
            rebuild(connection)


def rebuild(connection: BaseDatabaseWrapper = default_connection) -> int:
    """Recount every key from the customers (in one transaction); the number of keys counted."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (kind, key, holders) SELECT kind, key, count(*) "
            f"FROM ({_held(CUSTOMERS, 1)}) AS held GROUP BY kind, key"
        )
        return cursor.rowcount

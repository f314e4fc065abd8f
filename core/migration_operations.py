"""Migration operations Django does not provide."""

from typing import Any

from django.db import migrations


class ContainsFilterStatistics(migrations.operations.base.Operation):
    """PostgreSQL statistics on UPPER(column) for the columns that lists filter with `icontains`.

    `icontains` compiles to `UPPER(column) LIKE UPPER('%…%')`. Without statistics on that
    expression PostgreSQL guesses that a handful of rows match, and on a large table it then
    joins thousands of rows in nested loops. With them it estimates from the real values. Other
    databases plan such filters differently; there the operation does nothing.
    """

    reversible = True

    def __init__(self, model_name: str, fields: list[str]) -> None:
        self.model_name = model_name
        self.fields = fields

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # statistics are not part of the model state

    def _targets(
        self, app_label: str, schema_editor: Any, state: Any
    ) -> tuple[str, list[tuple[str, str]]]:
        """The quoted table, and a quoted (statistics name, column) pair per field."""
        model = state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        table = model._meta.db_table
        columns = [model._meta.get_field(name).column for name in self.fields]
        return quote(table), [
            (quote(f"{table}_{column}_upper"), quote(column)) for column in columns
        ]

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table, targets = self._targets(app_label, schema_editor, to_state)
        for name, column in targets:
            schema_editor.execute(
                f"CREATE STATISTICS IF NOT EXISTS {name} ON (UPPER({column}::text)) FROM {table}"
            )
        schema_editor.execute(f"ANALYZE {table}")

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        _table, targets = self._targets(app_label, schema_editor, from_state)
        for name, _column in targets:
            schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")

    def describe(self) -> str:
        return f"Statistics for contains filters on {self.model_name}: {', '.join(self.fields)}"

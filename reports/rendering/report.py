"""A report as data: titled tables of typed columns, their totals and charts."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _

ColumnKind = Literal["text", "int", "money", "percent", "decimal", "stars"]
ChartKind = Literal["bar", "pie", "line", "funnel"]

NUMBER_FORMATS: dict[str, str] = {
    "int": "#,##0",
    "money": "#,##0.00",
    "percent": "0.0%",
    "decimal": "0.00",
    "stars": "0.0",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind = "text"

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Chart:
    """A chart of one table: categories from `category` and one series per `values` column."""

    kind: ChartKind
    category: str
    values: tuple[str, ...]
    title: str = ""


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None
    chart: Chart | None = None
    # Optional link per row for the screen (e.g. a customer's orders); never exported.
    links: list[str] = field(default_factory=list)
    # The page shown of a long table (a Django `Page`); the page offers the others.
    page: Any = None

    def cells(self, row: dict[str, Any]) -> list[Any]:
        return [row.get(column.key) for column in self.columns]

    def total_cells(self) -> list[Any]:
        if self.totals is None:
            return []
        return [self.totals.get(column.key, "") for column in self.columns]


@dataclass
class Report:
    slug: str
    title: str
    filters: list[tuple[str, str]]
    tables: list[Table]
    generated_at: Any = field(default_factory=timezone.now)

    @property
    def is_empty(self) -> bool:
        return not any(table.rows for table in self.tables)

    def filter_text(self) -> str:
        return "; ".join(f"{label}: {value}" for label, value in self.filters) or _("No filters")


def format_value(value: Any, kind: str) -> str:
    """A cell as text for the PDF and the print view."""
    if value is None or value == "":
        return "—" if kind != "text" else ""
    if kind == "money":
        return f"{Decimal(value):,.2f}"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind in ("decimal", "stars"):
        return f"{float(value):.2f}"
    return str(value)


def number(value: Any) -> float:
    """A cell as a chart's value: nothing is 0."""
    if value in (None, ""):
        return 0.0
    return float(value)

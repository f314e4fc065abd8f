"""A report as CSV: UTF-8 with BOM, streamed."""

import csv
from collections.abc import Iterator
from typing import Any

from core.exports import csv_safe
from reports.rendering.report import Report


def report_csv(report: Report) -> Iterator[str]:
    """UTF-8 with BOM; the title and filters first, then each table with its header and total.

    Every text cell goes through `csv_safe`, so a customer named like a formula stays text.
    """

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow([csv_safe(report.title)])
    yield writer.writerow([csv_safe(report.filter_text())])
    for table in report.tables:
        yield writer.writerow([])
        if len(report.tables) > 1:
            yield writer.writerow([csv_safe(str(table.title))])
        yield writer.writerow([csv_safe(str(column.label)) for column in table.columns])
        for row in table.rows:
            yield writer.writerow([_csv_cell(value) for value in table.cells(row)])
        if table.totals is not None:
            yield writer.writerow([_csv_cell(value) for value in table.total_cells()])


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 4)
    return csv_safe(value)

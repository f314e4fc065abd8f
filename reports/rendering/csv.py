"""A report as CSV: UTF-8 with BOM, streamed."""

import csv
from collections.abc import Iterator
from typing import Any

from reports.rendering.report import Report


def report_csv(report: Report) -> Iterator[str]:
    """UTF-8 with BOM; the title and filters first, then each table with its header and total."""

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow([report.title])
    yield writer.writerow([report.filter_text()])
    for table in report.tables:
        yield writer.writerow([])
        if len(report.tables) > 1:
            yield writer.writerow([table.title])
        yield writer.writerow([column.label for column in table.columns])
        for row in table.rows:
            yield writer.writerow([_csv_cell(value) for value in table.cells(row)])
        if table.totals is not None:
            yield writer.writerow([_csv_cell(value) for value in table.total_cells()])


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 4)
    return value

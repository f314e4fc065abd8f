"""A report as an Excel workbook: a sheet per table, with a native chart."""

import io
from decimal import Decimal
from typing import Any

from reports.rendering.report import NUMBER_FORMATS, Chart, Report, Table


def report_xlsx(report: Report) -> bytes:
    """One sheet per table: title and filters above a styled, frozen header, typed cells, a total
    row, and a native Excel chart of the table's chart."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for index, table in enumerate(report.tables, 1):
        sheet = workbook.create_sheet(_unique_sheet_name(table.title, index, used))
        sheet["A1"] = report.title
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A2"] = report.filter_text()
        sheet["A2"].font = Font(italic=True, color="666666")
        header_row = 4
        for col, column in enumerate(table.columns, 1):
            cell = sheet.cell(row=header_row, column=col, value=column.label)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="0D6EFD")
            cell.alignment = Alignment(horizontal="center")
            sheet.column_dimensions[get_column_letter(col)].width = max(
                12, min(40, len(column.label) * 2 + 4)
            )
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        for offset, row in enumerate(table.rows, 1):
            for col, (column, value) in enumerate(
                zip(table.columns, table.cells(row), strict=True), 1
            ):
                cell = sheet.cell(row=header_row + offset, column=col, value=_xlsx_cell(value))
                if column.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[column.kind]
        last = header_row + len(table.rows)
        if table.totals is not None:
            last += 1
            for col, (column, value) in enumerate(
                zip(table.columns, table.total_cells(), strict=True), 1
            ):
                cell = sheet.cell(row=last, column=col, value=_xlsx_cell(value))
                cell.font = Font(bold=True)
                if column.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[column.kind]
        if table.chart and table.rows:
            _add_chart(sheet, table, table.chart, header_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_chart(sheet: Any, table: Table, chart_spec: Chart, header_row: int) -> None:
    """A native Excel chart of the table's chart, right of the table."""
    from openpyxl.chart import BarChart, LineChart, PieChart, Reference
    from openpyxl.utils import get_column_letter

    keys = [column.key for column in table.columns]
    category_col = keys.index(chart_spec.category) + 1
    data_rows_end = header_row + len(table.rows)
    chart: Any
    if chart_spec.kind == "pie":
        chart = PieChart()
    elif chart_spec.kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "col"
    chart.title = chart_spec.title or table.title
    chart.height, chart.width = 8, 16
    for key in chart_spec.values[:1] if chart_spec.kind == "pie" else chart_spec.values:
        value_col = keys.index(key) + 1
        data = Reference(sheet, min_col=value_col, min_row=header_row, max_row=data_rows_end)
        chart.add_data(data, titles_from_data=True)
    categories = Reference(
        sheet, min_col=category_col, min_row=header_row + 1, max_row=data_rows_end
    )
    chart.set_categories(categories)
    sheet.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}{header_row}")


def _unique_sheet_name(title: str, index: int, used: set[str]) -> str:
    name = "".join("_" if char in "[]:*?/\\" else char for char in title)[:28] or f"Sheet{index}"
    while name in used:
        name = f"{name[:25]}_{index}"
    used.add(name)
    return name


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, Decimal | int | float) or value is None:
        return value
    return str(value)

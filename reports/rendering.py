"""A report as data (tables, totals, charts) and its four renderings: ECharts, XLSX, PDF, CSV.

Selectors build a `Report` from database aggregates; the page, the print view and the three
downloads all render that same object, so a download always holds exactly what the screen shows.
"""

import csv
import io
import json
from collections.abc import Iterator
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


# Screen ----------------------------------------------------------------------------------------


def echarts_option(table: Table) -> dict[str, Any]:
    """The ECharts option object for a table's chart (rendered with json_script)."""
    chart = table.chart
    if chart is None:
        raise ValueError(f"The table “{table.title}” has no chart.")
    labels = [str(row.get(chart.category, "")) for row in table.rows]
    names = {column.key: column.label for column in table.columns}

    def series_values(key: str) -> list[float]:
        return [_number(row.get(key)) for row in table.rows]

    base: dict[str, Any] = {
        "title": {
            "text": chart.title or table.title,
            "left": "center",
            "textStyle": {"fontSize": 14},
        },
        "tooltip": {"trigger": "item" if chart.kind in ("pie", "funnel") else "axis"},
        "toolbox": {"feature": {"saveAsImage": {}}},
    }
    if chart.kind in ("pie", "funnel"):
        key = chart.values[0]
        data = [
            {"name": label, "value": value}
            for label, value in zip(labels, series_values(key), strict=True)
        ]
        series: dict[str, Any] = {"type": chart.kind, "name": names[key], "data": data}
        if chart.kind == "pie":
            series |= {"radius": ["30%", "65%"], "top": 30}
        else:
            series |= {"sort": "descending", "top": 40, "bottom": 10, "label": {"show": True}}
        return base | {"legend": {"bottom": 0, "type": "scroll"}, "series": [series]}
    return base | {
        "legend": {"bottom": 0} if len(chart.values) > 1 else {"show": False},
        "grid": {"left": 60, "right": 20, "top": 50, "bottom": 60, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": labels,
            "axisLabel": {"interval": 0, "rotate": 30 if len(labels) > 8 else 0},
        },
        "yAxis": {"type": "value"},
        "series": [
            {
                "type": chart.kind,
                "name": names[key],
                "data": series_values(key),
                "smooth": chart.kind == "line",
            }
            for key in chart.values
        ],
    }


def _number(value: Any) -> float:
    if value in (None, ""):
        return 0.0
    return float(value)


# CSV -------------------------------------------------------------------------------------------


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


# XLSX ------------------------------------------------------------------------------------------


def report_xlsx(report: Report) -> bytes:
    """One sheet per table: title and filters above a styled, frozen header, typed cells, a total
    row, and a native Excel chart of the table's chart."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, PieChart, Reference
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
            chart_spec = table.chart
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
                data = Reference(
                    sheet, min_col=value_col, min_row=header_row, max_row=data_rows_end
                )
                chart.add_data(data, titles_from_data=True)
            categories = Reference(
                sheet, min_col=category_col, min_row=header_row + 1, max_row=data_rows_end
            )
            chart.set_categories(categories)
            sheet.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}{header_row}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


# PDF -------------------------------------------------------------------------------------------

PDF_FONT = "STSong-Light"


def report_pdf(report: Report) -> bytes:
    """Title, filters, then per table a chart and the table; "page x of y" on every page.
    Uses the STSong-Light CID font, so Chinese text renders and can be extracted."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    title_style = ParagraphStyle("title", fontName=PDF_FONT, fontSize=16, leading=20, spaceAfter=4)
    heading_style = ParagraphStyle(
        "heading", fontName=PDF_FONT, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4
    )
    small_style = ParagraphStyle(
        "small", fontName=PDF_FONT, fontSize=9, leading=12, textColor=colors.grey
    )
    cell_style = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=8.5, leading=11)
    number_style = ParagraphStyle("number", parent=cell_style, alignment=2)

    story: list[Any] = [
        Paragraph(_escape(report.title), title_style),
        Paragraph(_escape(report.filter_text()), small_style),
        Paragraph(
            _escape(
                _("Generated at %(when)s")
                % {"when": timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M")}
            ),
            small_style,
        ),
        Spacer(1, 4 * mm),
    ]
    width = A4[0] - 30 * mm
    for table in report.tables:
        if len(report.tables) > 1:
            story.append(Paragraph(_escape(table.title), heading_style))
        if table.chart and table.rows:
            story.append(_pdf_chart(table, width))
            story.append(Spacer(1, 3 * mm))
        header = [
            Paragraph(f"<b>{_escape(column.label)}</b>", cell_style) for column in table.columns
        ]
        body = [
            [
                _pdf_cell(value, column, number_style if column.numeric else cell_style)
                for column, value in zip(table.columns, table.cells(row), strict=True)
            ]
            for row in table.rows
        ]
        if table.totals is not None:
            body.append(
                [
                    _pdf_cell(value, column, number_style if column.numeric else cell_style)
                    for column, value in zip(table.columns, table.total_cells(), strict=True)
                ]
            )
        if not body:
            story.append(Paragraph(_escape(_("No data for these filters.")), small_style))
            continue
        pdf_table = PdfTable(
            [header, *body],
            repeatRows=1,
            hAlign="LEFT",
            colWidths=[width / len(table.columns)] * len(table.columns),
        )
        style = [
            ("FONTNAME", (0, 0), (-1, -1), PDF_FONT),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0D6EFD")),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F3F6FA")]),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        if table.totals is not None:
            style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#E2E8F0")))
        pdf_table.setStyle(TableStyle(style))
        story.append(pdf_table)

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=report.title,
        author="CRM",
    )
    document.build(story, canvasmaker=_numbered_canvas(report.title))
    return buffer.getvalue()


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdf_cell(value: Any, column: Column, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(_escape(format_value(value, column.kind)), style)


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


def _pdf_chart(table: Table, width: float) -> Any:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.charts.piecharts import Pie
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    spec = table.chart
    if spec is None:
        raise ValueError(f"The table “{table.title}” has no chart.")
    value_kind = next(column.kind for column in table.columns if column.key == spec.values[0])
    palette = [
        colors.HexColor(c)
        for c in (
            "#0D6EFD",
            "#20C997",
            "#FFC107",
            "#DC3545",
            "#6F42C1",
            "#FD7E14",
            "#0DCAF0",
            "#6C757D",
        )
    ]
    labels = [str(row.get(spec.category, ""))[:12] for row in table.rows][:30]
    height = 180
    drawing = Drawing(width, height)
    drawing.add(
        String(
            width / 2,
            height - 12,
            spec.title or table.title,
            fontName=PDF_FONT,
            fontSize=10,
            textAnchor="middle",
        )
    )
    if spec.kind in ("pie", "funnel"):
        pie = Pie()
        pie.x, pie.y, pie.width, pie.height = 40, 10, 140, 140
        pie.data = [max(_number(row.get(spec.values[0])), 0) for row in table.rows][:30] or [1]
        pie.labels = None
        for index in range(len(pie.data)):
            pie.slices[index].fillColor = palette[index % len(palette)]
        drawing.add(pie)
        legend = Legend()
        legend.x, legend.y = 220, height - 30
        legend.fontName, legend.fontSize = PDF_FONT, 7
        legend.alignment = "right"
        legend.colorNamePairs = [
            (
                palette[i % len(palette)],
                f"{label}: {format_value(value, value_kind)}",
            )
            for i, (label, value) in enumerate(zip(labels, pie.data, strict=False))
        ]
        legend.columnMaximum = 10
        drawing.add(legend)
        return drawing
    chart: Any = HorizontalLineChart() if spec.kind == "line" else VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 50, 40, width - 70, height - 70
    chart.data = [[_number(row.get(key)) for row in table.rows][:30] for key in spec.values]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = PDF_FONT
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30 if len(labels) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 8 else "n"
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for index in range(len(spec.values)):
        if spec.kind == "line":
            chart.lines[index].strokeColor = palette[index % len(palette)]
        else:
            chart.bars[index].fillColor = palette[index % len(palette)]
    drawing.add(chart)
    return drawing


def _numbered_canvas(title: str) -> Any:
    from reportlab.pdfgen import canvas

    class NumberedCanvas(canvas.Canvas):
        """Defers page output so each page can say "page x of y"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's API
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self.setFont(PDF_FONT, 8)
                self.setFillGray(0.4)
                width = self._pagesize[0]
                self.drawRightString(
                    width - 15 * 2.834645669,
                    10 * 2.834645669,
                    _("Page %(page)d of %(pages)d") % {"page": self._pageNumber, "pages": total},
                )
                self.drawString(15 * 2.834645669, 10 * 2.834645669, title)
                super().showPage()
            super().save()

    return NumberedCanvas


def chart_json(table: Table) -> str:
    return json.dumps(echarts_option(table), ensure_ascii=False)

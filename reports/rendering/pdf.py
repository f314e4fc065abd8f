"""A report as PDF: charts and tables in a CJK font, "page x of y" on every page."""

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import PDF_FONT, cjk_font
from reports.rendering.report import Column, Report, Table, format_value, number


def report_pdf(report: Report) -> bytes:
    """Title, filters, then per table a chart and the table; "page x of y" on every page.
    Uses the STSong-Light CID font, so Chinese text renders and can be extracted."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    cjk_font()
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
            colWidths=column_widths(table, width, cell_style.fontSize),
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


CELL_PADDING = 14  # points: reportlab's default 6 left and right, and a little air
UNBROKEN_LIMIT = 100  # points: wider texts (long names) may wrap


def column_widths(table: Table, width: float, font_size: float) -> list[float]:
    """Column widths that keep short unbroken cells (customer numbers, amounts, dates) on one
    line: such a column gets at least its widest cell; the others share what is left."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    count = len(table.columns)
    needs = [0.0] * count
    for cells in [table.cells(row) for row in table.rows] + [table.total_cells()]:
        for index, (column, value) in enumerate(zip(table.columns, cells, strict=False)):
            text = format_value(value, column.kind)
            if not text or any(character.isspace() for character in text):
                continue
            text_width = stringWidth(text, PDF_FONT, font_size)
            if text_width <= UNBROKEN_LIMIT:
                needs[index] = max(needs[index], text_width + CELL_PADDING)
    if sum(needs) > width:
        return [width / count] * count
    widths = [width / count] * count
    for _round in range(count):  # give the narrow columns what they need, share the rest
        fixed = [index for index in range(count) if needs[index] >= widths[index]]
        others = [index for index in range(count) if index not in fixed]
        if not others:
            break
        share = (width - sum(needs[index] for index in fixed)) / len(others)
        widths = [needs[i] if i in fixed else share for i in range(count)]
        if all(share >= needs[index] for index in others):
            break
    return widths


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdf_cell(value: Any, column: Column, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(_escape(format_value(value, column.kind)), style)


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
        pie.data = [max(number(row.get(spec.values[0])), 0) for row in table.rows][:30] or [1]
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
    chart.data = [[number(row.get(key)) for row in table.rows][:30] for key in spec.values]
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

"""The four renderings of a report hold the same numbers."""

import io
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from reports.rendering.csv import report_csv
from reports.rendering.echarts import echarts_option
from reports.rendering.pdf import report_pdf
from reports.rendering.report import Chart, Column, Report, Table
from reports.rendering.xlsx import report_xlsx


def _report(rows: int = 3) -> Report:
    names = [
        "聪海信息科技有限公司",
        "太阳药业",
        "北京明科科技有限公司",
        *[f"客户{n}" for n in range(rows)],
    ][:rows]
    table = Table(
        title="客户贡献",
        columns=[
            Column("name", "客户名称"),
            Column("amount", "订单金额", "money"),
            Column("share", "占比", "percent"),
        ],
        rows=[
            {
                "name": name,
                "amount": Decimal(1000 * (rows - i)) + Decimal("0.50"),
                "share": (rows - i) / 10,
            }
            for i, name in enumerate(names)
        ],
        totals={"name": "合计", "amount": Decimal("6001.50"), "share": 1.0},
        chart=Chart("bar", "name", ("amount",), "订单金额"),
    )
    second = Table(
        title="By year",
        columns=[Column("year", "Year"), Column("count", "Count", "int")],
        rows=[{"year": "2025", "count": 4}],
        chart=Chart("pie", "year", ("count",)),
    )
    return Report("contribution", "客户贡献分析", [("年份", "2026")], [table, second])


def test_xlsx_has_typed_numbers_totals_and_a_native_chart():
    workbook = load_workbook(io.BytesIO(report_xlsx(_report())))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "客户贡献分析"
    assert [c.value for c in sheet[4]] == ["客户名称", "订单金额", "占比"]
    assert sheet["B5"].value == 3000.5
    assert sheet["B5"].number_format == "#,##0.00"
    assert sheet["A8"].value == "合计"
    assert sheet.freeze_panes == "A5"
    assert len(sheet._charts) == 1
    assert len(workbook.worksheets) == 2


def test_pdf_text_has_chinese_names_and_the_total():
    pdf = PdfReader(io.BytesIO(report_pdf(_report(60))))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "聪海信息科技有限公司" in text
    assert "6,001.50" in text
    assert len(pdf.pages) >= 2
    assert f"of {len(pdf.pages)}" in pdf.pages[-1].extract_text()


def test_csv_starts_with_a_bom_and_round_trips():
    import csv

    body = "".join(report_csv(_report()))
    assert body.startswith("\ufeff客户贡献分析")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert ["聪海信息科技有限公司", "3000.50", "0.3"] in rows
    assert ["合计", "6001.50", "1.0"] in rows


def test_echarts_option_has_the_series():
    option = echarts_option(_report().tables[0])
    assert option["xAxis"]["data"][0] == "聪海信息科技有限公司"
    assert option["series"][0]["data"][0] == 3000.5
    pie = echarts_option(_report().tables[1])
    assert pie["series"][0]["data"] == [{"name": "2025", "value": 4.0}]


def test_pdf_keeps_a_customer_number_on_one_line():
    from reports.rendering.pdf import CELL_PADDING, PDF_FONT, column_widths
    from reports.rendering.report import Column, Report, Table

    number = "KH20261122001"  # 13 characters
    table = Table(
        title="贡献",
        columns=[
            Column("number", "客户编号"),
            Column("name", "客户名称"),
            Column("manager", "客户经理"),
            Column("amount", "订单金额", "money"),
            Column("share", "占比", "percent"),
            Column("class", "ABC"),
            Column("level", "等级"),
            Column("region", "地区"),
        ],
        rows=[
            {
                "number": number,
                "name": "北京海淀科技发展有限公司" * 2,
                "manager": "张伟",
                "amount": 123456789.5,
                "share": 0.5,
                "class": "A",
                "level": "大客户",
                "region": "北京",
            }
        ],
    )
    pdf = PdfReader(io.BytesIO(report_pdf(Report("x", "贡献", [], [table]))))
    text = pdf.pages[0].extract_text()
    assert number in text
    assert "123,456,789.50" in text
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = column_widths(table, 500, 8.5)
    assert widths[0] >= stringWidth(number, PDF_FONT, 8.5) + CELL_PADDING
    assert abs(sum(widths) - 500) < 0.01

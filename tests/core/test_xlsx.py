# ruff: noqa: DTZ001 - Excel cells hold naive dates and times
"""The streaming XLSX writer: what openpyxl reads back is what was written."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from core.exports import write_xlsx


def test_typed_cells_styled_frozen_header_and_chinese_text() -> None:
    buffer = io.BytesIO()
    count = write_xlsx(
        buffer,
        title="客户/列表",
        headers=["编号", "名称", "金额", "日期", "时间", "备注"],
        rows=[
            (
                "KH1",
                "聪海信息科技有限公司",
                Decimal("12000.50"),
                datetime.date(2026, 2, 28),
                datetime.datetime(2026, 2, 28, 9, 30),
                "a < b & \x07c",
            ),
            ("KH2", "太阳药业", 7, None, None, ""),
        ],
    )
    buffer.seek(0)
    sheet = load_workbook(buffer).active

    assert count == 2
    assert sheet.title == "客户_列表"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet["A1"].fill.fgColor.rgb == "FF0D6EFD"
    assert [cell.value for cell in sheet[2]] == [
        "KH1",
        "聪海信息科技有限公司",
        12000.5,
        datetime.datetime(2026, 2, 28),
        datetime.datetime(2026, 2, 28, 9, 30),
        "a < b & c",
    ]
    assert sheet["C3"].value == 7
    assert sheet["D3"].value is None
    assert sheet["D2"].number_format == "yyyy-mm-dd"

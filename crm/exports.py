"""Writing tables to CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX (streamed).

`csv_response` streams row by row; `xlsx_response` writes a write-only workbook to a temporary
file, so memory stays flat however many rows there are, then streams the file.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0D6EFD")


def content_disposition(filename: str) -> str:
    """An attachment header that keeps a Chinese file name (RFC 6266 filename*)."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([str(h) for h in headers])
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value


def csv_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_rows(headers, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition(filename)
    return response


def write_xlsx(
    target: IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
    number_formats: dict[int, str] | None = None,
    after_rows: Callable[[Any, int], None] | None = None,
) -> int:
    """Write one styled sheet (bold coloured header, frozen, typed cells) and return the row count.

    `number_formats` maps a column index to an Excel format ("#,##0.00", "0.0%");
    `after_rows(sheet, row_count)` may add a chart or totals once the rows are written.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, 1):
        width = widths[index - 1] if widths else max(10, min(40, len(str(header)) * 2 + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    formats = number_formats or {}
    count = 0
    for row in rows:
        if formats:
            cells = []
            for index, value in enumerate(row):
                cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
                if index in formats:
                    cell.number_format = formats[index]
                cells.append(cell)
            sheet.append(cells)
        else:
            sheet.append([_xlsx_value(value) for value in row])
        count += 1
    if after_rows:
        after_rows(sheet, count)
    workbook.save(target)
    return count


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if char in "[]:*?/\\" else char for char in title)
    return cleaned[:31] or "Sheet1"


def _xlsx_value(value: Any) -> Any:
    """Numbers and dates stay typed (Decimal included); Excel has no time zones."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if value is not None and not isinstance(value, int | float | Decimal | str | datetime.date):
        return str(value)
    return value


def xlsx_response(filename: str, **kwargs: Any) -> FileResponse:
    """Write the workbook (see `write_xlsx`) to a temporary file and stream it."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    write_xlsx(spool, **kwargs)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


# Exports too large to wait for: written by a task into a job's result file. -----------------

# Every exporter by name; a job stores the name and the task finds the class here.
EXPORTERS: dict[str, type["Exporter"]] = {}


class Exporter:
    """A list that can be exported in the background: its columns and the user's rows."""

    name: str
    title: Any
    permission: str

    def __init__(self, user: Any, params: dict[str, Any]) -> None:
        self.user = user
        self.params = params

    def headers(self) -> list[str]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def rows(self) -> Iterable[Sequence[Any]]:
        raise NotImplementedError


def register_exporter(exporter: type[Exporter]) -> type[Exporter]:
    EXPORTERS[exporter.name] = exporter
    return exporter


def write_export(
    exporter: Exporter, fmt: str, target: IO[bytes], progress: Callable[[int], object]
) -> int:
    """Write all rows as CSV (UTF-8 with BOM) or XLSX into `target`, reporting progress."""

    def counted(rows: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
        for index, row in enumerate(rows, 1):
            if index % 1000 == 0:
                progress(index)
            yield row

    rows = counted(exporter.rows())
    if fmt == "xlsx":
        return write_xlsx(target, title=str(exporter.title), headers=exporter.headers(), rows=rows)
    count = 0
    for line in csv_rows(exporter.headers(), rows):
        target.write(line.encode("utf-8"))
        count += 1
    return count - 1  # the header line

"""Writing tables to CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX (streamed).

`csv_response` streams row by row; `xlsx_response` streams the rows into a workbook in a
temporary file (`core.xlsx`), so memory stays flat however many rows there are, then sends it.
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

from core.xlsx import write_table

BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading quote; numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return csv_safe(value)


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
) -> int:
    """Write one sheet (bold coloured frozen header, typed cells) and return the row count.

    Rows are streamed into the file (`core.xlsx`), so memory stays flat for any number of rows.
    """
    return write_table(
        target,
        title=_sheet_title(title),
        headers=[str(header) for header in headers],
        rows=([_xlsx_value(value) for value in row] for row in rows),
        widths=widths or [max(10, min(40, len(str(header)) * 2 + 4)) for header in headers],
    )


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

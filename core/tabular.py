"""Reading uploaded CSV and XLSX files into rows of text, with the row numbers a user sees.

CSV files may be UTF-8 (with or without BOM) or GBK/GB18030, as Excel on Chinese Windows saves
them; the encoding is chosen per file and a row whose bytes fit neither is reported as a row with
a bad encoding instead of failing the whole file. Row numbers count from 1 at the header, as in
Excel, so that a user can find a reported row in the file.
"""

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

ENCODINGS = ("utf-8", "gb18030")
# An XLSX file is a zip: its parts may declare at most this many bytes unpacked (a zip bomb of
# a few kilobytes can unpack to gigabytes), and no part may unpack to more than RATIO times its
# packed size. Both are read from the archive's directory before anything is unpacked.
MAX_XLSX_UNPACKED_BYTES = 150 * 1024 * 1024
MAX_XLSX_RATIO = 200


class TableError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, empty, not a spreadsheet)."""


@dataclass
class Row:
    number: int
    values: list[str]
    encoding_error: bool = False
    parse_error: str = ""


@dataclass
class Table:
    header: list[str]
    rows: Iterator[Row]
    encoding: str = ""
    notes: list[str] = field(default_factory=list)


def read_table(file: IO[bytes], filename: str) -> Table:
    name = filename.lower()
    if name.endswith((".csv", ".txt")):
        return _read_csv(file.read())
    if name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(file)
    raise TableError(_("Upload a .csv or .xlsx file."))


def _read_csv(data: bytes) -> Table:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.splitlines(keepends=True)
    if not any(line.strip() for line in lines):
        raise TableError(_("The file is empty."))
    encoding = max(ENCODINGS, key=lambda enc: sum(_decodes(line, enc) for line in lines))
    bad_lines: set[int] = set()
    text_lines: list[str] = []
    for number, line in enumerate(lines, 1):
        try:
            text_lines.append(line.decode(encoding))
        except UnicodeDecodeError:
            bad_lines.add(number)
            text_lines.append(line.decode(encoding, errors="replace"))

    reader = csv.reader(io.StringIO("".join(text_lines)))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise TableError(_("The file is not a readable CSV file.")) from error

    def rows() -> Iterator[Row]:
        start = reader.line_num + 1
        try:
            for values in reader:
                end = reader.line_num
                if any(value.strip() for value in values):
                    broken = any(n in bad_lines for n in range(start, end + 1))
                    yield Row(start, [value.strip() for value in values], broken)
                start = end + 1
        except csv.Error as error:
            yield Row(start, [], parse_error=str(error))

    return Table([value.strip().lstrip("\ufeff") for value in header], rows(), encoding)


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _check_archive(file: IO[bytes]) -> None:
    """Refuse an XLSX whose declared unpacked size is out of proportion, before reading it."""
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(file) as archive:
            parts = archive.infolist()
    except (BadZipFile, OSError, ValueError) as error:
        raise TableError(_("The file is not a valid XLSX workbook.")) from error
    finally:
        file.seek(0)
    unpacked = sum(part.file_size for part in parts)
    inflated = any(
        part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1024) for part in parts
    )
    if unpacked > MAX_XLSX_UNPACKED_BYTES or inflated:
        raise TableError(
            _("The workbook unpacks to more than %(size)d MB; split it into smaller files.")
            % {"size": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _read_xlsx(file: IO[bytes]) -> Table:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_archive(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise TableError(_("The file is not a valid XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    try:
        header = [cell_text(value) for value in next(cells)]
    except StopIteration as error:
        raise TableError(_("The file is empty.")) from error

    def rows() -> Iterator[Row]:
        for number, values in enumerate(cells, 2):
            texts = [cell_text(value) for value in values]
            if any(texts):
                yield Row(number, texts)
        workbook.close()

    return Table(header, rows())


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a user typed: 12.0 → "12", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | Decimal | int | float):
        return str(value)
    return str(value).strip()

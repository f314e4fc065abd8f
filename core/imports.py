"""Imports from the sales system: check a whole file, report every bad row, write all or nothing.

An `Importer` describes one kind of file (its columns, how one row is parsed, how the parsed
rows are written). `check_file` reads the upload and collects every error with its row number;
`commit_file` checks again and writes inside one transaction, so a file with a single bad row
writes nothing. Both run as tasks (`jobs.tasks`) on a `Job`, whose page shows progress, errors,
and a commit button once the file is clean.
"""

import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tabular import TableError, read_table

if TYPE_CHECKING:
    from accounts.models import User

NUL_IN_ROW = gettext_lazy("The row contains a NUL character, which no field may hold.")

# Every importer by name; a job stores the name and the task finds the class here.
IMPORTERS: dict[str, str] = {}

PROGRESS_EVERY = 250


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    required: bool = True
    help: str | Promise = ""

    def headers(self) -> set[str]:
        """Header texts accepted for this column: its key and its label in every language."""
        names = {self.key}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.add(str(self.label))
        return {normalize_header(name) for name in names}


class RowInvalid(Exception):  # noqa: N818 - reads as "raise RowInvalid(...)"
    """Raised by `Importer.parse`: the row cannot be imported, for these (column, message)."""

    def __init__(self, *problems: tuple[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass
class Issue:
    row: int
    column: str
    message: str
    level: str = "error"  # or "warning": reported, but the file can still be imported

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "level": self.level,
        }


@dataclass
class CheckResult:
    total: int = 0
    items: list[Any] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.level == "error"]


class Importer:
    """One kind of import. Subclasses set the class attributes and implement `parse` and `write`."""

    name: ClassVar[str]
    title: ClassVar[str | Promise]
    permission: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    example_rows: ClassVar[tuple[tuple[str, ...], ...]] = ()
    do_not_call_in_templates: ClassVar[bool] = True  # pages show the class's title and name

    def __init__(self, user: "User") -> None:
        self.user = user
        self.warnings: list[tuple[str, str]] = []

    def prepare(self) -> None:
        """Load what `parse` looks up (existing products, users…) once, before the first row."""

    def parse(self, values: dict[str, str]) -> Any:
        """Turn one row into the object(s) to write, or raise `RowInvalid`."""
        raise NotImplementedError

    def write(self, items: list[Any]) -> int:
        """Write the parsed rows (inside the caller's transaction); return how many were written."""
        raise NotImplementedError

    def warn(self, column: str, message: str) -> None:
        """Flag something about the current row that does not stop the import (a duplicate name)."""
        self.warnings.append((column, message))

    def label_of(self, key: str) -> str:
        return next((str(c.label) for c in self.columns if c.key == key), key)


def register(importer: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer known to the import tasks by its name."""
    IMPORTERS[importer.name] = f"{importer.__module__}.{importer.__qualname__}"
    return importer


def get_importer(name: str) -> type[Importer]:
    return import_string(IMPORTERS[name])


def normalize_header(text: str) -> str:
    return "".join(text.split()).lower().replace("*", "")


def _column_positions(
    importer: Importer, header: Sequence[str]
) -> tuple[dict[str, int], list[Issue]]:
    """Where each of the importer's columns stands in the file, and the required ones missing."""
    headers = [normalize_header(text) for text in header]
    positions: dict[str, int] = {}
    missing: list[Issue] = []
    for column in importer.columns:
        accepted = column.headers()
        index = next((i for i, text in enumerate(headers) if text in accepted), None)
        if index is not None:
            positions[column.key] = index
        elif column.required:
            missing.append(
                Issue(
                    1,
                    str(column.label),
                    _("Missing column “%(column)s”.") % {"column": column.label},
                )
            )
    return positions, missing


def _check_row(
    importer: Importer, row: Any, positions: dict[str, int], result: CheckResult
) -> None:
    """Parse one row into the result: its item, or its problems, and its warnings."""
    if row.parse_error:
        result.issues.append(
            Issue(row.number, "", _("Unreadable row: %(error)s") % {"error": row.parse_error})
        )
        return
    if row.encoding_error:
        result.issues.append(
            Issue(row.number, "", _("Bad encoding: the row is neither UTF-8 nor GBK text."))
        )
        return
    values = {
        key: row.values[index] if index < len(row.values) else ""
        for key, index in positions.items()
    }
    if any("\x00" in value for value in values.values()):
        result.issues.append(Issue(row.number, "", str(NUL_IN_ROW)))
        return
    importer.warnings = []
    try:
        item = importer.parse(values)
    except RowInvalid as invalid:
        for column_key, message in invalid.problems:
            result.issues.append(Issue(row.number, importer.label_of(column_key), message))
    else:
        result.items.append(item)
    result.issues.extend(
        Issue(row.number, importer.label_of(key), message, "warning")
        for key, message in importer.warnings
    )


def check_file(
    importer: Importer,
    file: IO[bytes],
    filename: str,
    progress: Callable[[int], object] | None = None,
) -> CheckResult:
    """Parse every row of the file; collect every problem with the row number a user sees."""
    result = CheckResult()
    try:
        table = read_table(file, filename)
    except TableError as error:
        result.issues.append(Issue(1, "", str(error)))
        return result

    positions, result.issues = _column_positions(importer, table.header)
    if result.issues:
        return result

    importer.prepare()
    for row in table.rows:
        result.total += 1
        if progress and result.total % PROGRESS_EVERY == 0:
            progress(result.total)
        _check_row(importer, row, positions, result)
    if result.total == 0:
        result.issues.append(Issue(1, "", _("The file has no data rows.")))
    return result


def commit_file(
    importer: Importer,
    file: IO[bytes],
    filename: str,
    progress: Callable[[int], object] | None = None,
) -> tuple[CheckResult, int]:
    """Check the file again and, when it is clean, write all of it in one transaction."""
    result = check_file(importer, file, filename, progress)
    if result.errors:
        return result, 0
    with transaction.atomic():
        written = importer.write(result.items)
    return result, written


# Parsing helpers for `Importer.parse`: each returns the value or raises ValueError with the
# message to show.


def required(values: dict[str, str], key: str, problems: list[tuple[str, str]]) -> str:
    text = values.get(key, "").strip()
    if not text:
        problems.append((key, _("This value is required.")))
    return text


def parse_int(text: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation as error:
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text}) from error
    if number != number.to_integral_value():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
    value = int(number)
    if minimum is not None and value < minimum:
        if minimum == 0:
            raise ValueError(_("“%(value)s” is negative.") % {"value": text})
        raise ValueError(
            _("“%(value)s” is below %(minimum)s.") % {"value": text, "minimum": minimum}
        )
    if maximum is not None and value > maximum:
        raise ValueError(
            _("“%(value)s” is above %(maximum)s.") % {"value": text, "maximum": maximum}
        )
    return value


def parse_decimal(text: str, *, places: int = 2, minimum: Decimal | None = Decimal(0)) -> Decimal:
    cleaned = text.replace(",", "").replace("¥", "").replace("￥", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from error
    if not value.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": text})
    if minimum is not None and value < minimum:
        raise ValueError(_("“%(value)s” is negative.") % {"value": text})
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(
            _("“%(value)s” has more than %(places)s decimal places.")
            % {"value": text, "places": places}
        )
    return value


def parse_date(text: str) -> datetime.date:
    for pattern in (
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y.%m.%d",
        "%Y%m%d",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": text})


def template_rows(importer: type[Importer]) -> tuple[list[str], Iterable[tuple[str, ...]]]:
    """Header (labels in the active language, required ones starred) and example rows."""
    header = [f"{column.label}{'*' if column.required else ''}" for column in importer.columns]
    return header, importer.example_rows


def issues_workbook(issues: list[dict[str, Any]]) -> bytes:
    """An XLSX listing the problems of an import, one per line, for the user to work through."""
    from core.exports import write_xlsx

    buffer = io.BytesIO()
    write_xlsx(
        buffer,
        title=str(gettext_lazy("Import problems")),
        headers=[_("Row"), _("Column"), _("Problem"), _("Level")],
        rows=(
            (
                issue["row"],
                issue["column"],
                issue["message"],
                _("Error") if issue["level"] == "error" else _("Warning"),
            )
            for issue in issues
        ),
    )
    return buffer.getvalue()

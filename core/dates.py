"""Calendar arithmetic the apps share."""

import calendar
import datetime
from typing import Any

from django.db.models import BigIntegerField, Func


def months_before(today: datetime.date, months: int) -> datetime.date:
    """The date `months` months before `today` (the last day of a shorter month when needed)."""
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


class EpochMilliseconds(Func):
    """A date-time column as whole milliseconds since the epoch, computed by the database: for
    feeds of thousands of rows (the calendar) this skips building and converting a time-zone
    aware `datetime` per row."""

    output_field = BigIntegerField()
    template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000)::bigint"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django stores aware date-times in SQLite as UTC text; '%s' reads whole seconds.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) * 1000",
            **extra,
        )

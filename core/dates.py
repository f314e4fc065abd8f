"""Calendar arithmetic the apps share."""

import calendar
import datetime


def months_before(today: datetime.date, months: int) -> datetime.date:
    """The date `months` months before `today` (the last day of a shorter month when needed)."""
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)

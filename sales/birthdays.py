"""When a birthday is celebrated: the one rule for the reminders and the dashboards."""

import calendar
import datetime

from django.db.models import Q


def birthdays_in(first_day: datetime.date, days: int = 1, *, field: str = "birthday_day") -> Q:
    """Birthdays celebrated on one of the `days` days from `first_day` (across the year's end);
    a 29 February birthday is celebrated on 28 February in years without a 29 February.
    `field` is the contact's stored month × 100 + day (`Contact.birthday_day`), so that an
    index answers on every database."""
    celebrated = set()
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        celebrated.add(day.month * 100 + day.day)
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            celebrated.add(229)
    return Q(**{f"{field}__in": sorted(celebrated)})

"""When a birthday is celebrated: the one rule for the reminders and the dashboards."""

import calendar
import datetime

from django.db.models import Q


def birthdays_in(first_day: datetime.date, days: int = 1, *, field: str = "birthday") -> Q:
    """Birthdays celebrated on one of the `days` days from `first_day` (across the year's end);
    a 29 February birthday is celebrated on 28 February in years without a 29 February."""
    query = Q()
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        query |= Q(**{f"{field}__month": day.month, f"{field}__day": day.day})
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            query |= Q(**{f"{field}__month": 2, f"{field}__day": 29})
    return query

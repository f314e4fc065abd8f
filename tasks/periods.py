"""When a task counts as overdue, and the local day and week the lists and counts use."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tasks.models import Task


def overdue_condition(now: datetime.datetime | None = None) -> Q:
    """Open tasks past their due time; all-day tasks only once their day is over."""
    now = now or timezone.now()
    return Q(status=Task.Status.OPEN) & (
        Q(all_day=False, due_at__lte=now)
        | Q(all_day=True, due_at__lte=now - datetime.timedelta(days=1))
    )


def day_bounds(now: datetime.datetime | None = None) -> tuple[datetime.datetime, ...]:
    """Start of today, start of tomorrow and the end of this week (Monday first), local time."""
    with timezone.override(settings.TIME_ZONE):
        local = timezone.localtime(now or timezone.now())
        today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = today + datetime.timedelta(days=1)
    week_end = today + datetime.timedelta(days=7 - today.weekday())
    return today, tomorrow, week_end

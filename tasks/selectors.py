"""Reads of the tasks module, with the visibility rules applied."""

import datetime
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.dates import EpochMilliseconds
from tasks.models import Task
from tasks.periods import day_bounds, overdue_condition
from tasks.permissions import visible_tasks


def with_overdue(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.annotate(
        overdue=ExpressionWrapper(overdue_condition(), output_field=BooleanField())
    )


def task_rows(user: User) -> QuerySet[Task]:
    """The tasks the user may see, with what a list row shows (the overdue flag, owner and
    customer)."""
    return with_overdue(visible_tasks(user)).select_related("owner", "customer")


def task_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Task]:
    """The tasks the user may see, filtered by the list's FilterSet (the page binds the same
    FilterSet to `task_rows`)."""
    from tasks.filters import TaskFilter

    return TaskFilter(filters or {}, queryset=task_rows(user), request_user=user).qs


def customer_open_tasks(user: User, customer: Any, limit: int = 10) -> list[Task]:
    """The open tasks of one customer that the user may see, soonest first (one query)."""
    return list(
        with_overdue(visible_tasks(user, customer))
        .filter(status=Task.Status.OPEN)
        .select_related("owner")
        .order_by("due_at", "pk")[:limit]
    )


def task_detail_queryset(user: User) -> QuerySet[Task]:
    return with_overdue(visible_tasks(user)).select_related(
        "owner", "creator", "customer", "contact"
    )


def feed_tasks(user: User) -> QuerySet[Task]:
    """The open tasks of the user's calendar feed: their own, of the last 90 days onwards."""
    since = timezone.now() - datetime.timedelta(days=90)
    return (
        visible_tasks(user)
        .filter(owner=user, status=Task.Status.OPEN, due_at__gte=since)
        .select_related("customer")
        .order_by("due_at", "pk")[:5000]
    )


CALENDAR_FIELDS = (
    "pk",
    "title",
    "kind",
    "place",
    "due_ms",
    "all_day",
    "status",
    "creator_id",
    "customer__name",
)
DONE_STATUS = Task.Status.DONE.value  # the `status` of a done task in `calendar_tasks` rows


CALENDAR_LIMIT = 5000  # tasks per calendar request: past it, the page says the range is cut


def calendar_tasks(
    user: User, owner: User, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[Any, ...]]:
    """The open and done tasks of `owner` due in [start, end) that `user` may see, for the
    calendar: one query, plain tuples of `CALENDAR_FIELDS` in that order (a month holds
    thousands of them; model instances, even dicts, would cost more than the rest of the
    request), at most `CALENDAR_LIMIT + 1` of them (the last one only says there are more);
    `due_ms` is the due time in milliseconds since the epoch and `all_day` is 0 or 1 on
    SQLite. Cancelled tasks are left out; every row's owner is `owner`.

    The ORM builds the query (and so applies `visible_tasks`); the rows are read from the
    cursor as they come, which takes half the time of iterating the values query (5 ms for
    5,000 rows here)."""
    rows = (
        visible_tasks(user)
        # The statuses named (not "not cancelled"), so that the (owner, status, due) index
        # reads the month as two ranges instead of intersecting the owner's and the month's.
        .filter(
            owner=owner,
            status__in=(Task.Status.OPEN, Task.Status.DONE),
            due_at__gte=start,
            due_at__lt=end,
        )
        .annotate(due_ms=EpochMilliseconds("due_at"))
        .order_by("due_at", "pk")
        .values_list(*CALENDAR_FIELDS)[: CALENDAR_LIMIT + 1]
    )
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def open_task_counts(user: User, now: datetime.datetime | None = None) -> dict[str, int]:
    """The home page's counts of the user's own open tasks: due today, overdue, this week
    (one query)."""
    today, tomorrow, week_end = day_bounds(now)
    own = visible_tasks(user).filter(owner=user, status=Task.Status.OPEN)
    return own.aggregate(
        today=Count("pk", filter=Q(due_at__gte=today, due_at__lt=tomorrow)),
        overdue=Count("pk", filter=overdue_condition(now)),
        week=Count("pk", filter=Q(due_at__gte=today, due_at__lt=week_end)),
    )


def today_tasks(user: User, now: datetime.datetime | None = None, limit: int = 5) -> list[Task]:
    """The user's own open tasks due today or overdue, soonest first."""
    _today, tomorrow, _week_end = day_bounds(now)
    return list(
        with_overdue(visible_tasks(user))
        .filter(owner=user, status=Task.Status.OPEN, due_at__lt=tomorrow)
        .select_related("customer")
        .order_by("due_at", "pk")[:limit]
    )


def customer_recent_tasks(user: User, customer: Any, limit: int) -> list[Task]:
    """For the customer timeline: the customer's tasks the user may see, latest due first."""
    return list(
        visible_tasks(user, customer).select_related("owner").order_by("-due_at", "-pk")[:limit]
    )


def digest_recipients() -> QuerySet[User]:
    """The active users with an e-mail address who have not switched the morning digest off."""
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(task_settings__digest_enabled=False)
        .order_by("pk")
    )

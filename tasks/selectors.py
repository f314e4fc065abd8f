"""Reads of the tasks module, with the visibility rules applied."""

import datetime
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import User
from core.dates import EpochMilliseconds
from core.planner import joins
from sales.models import Customer
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
    "customer_name",
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
    5,000 rows here). The customer's name comes from the customer row the visibility rule
    joined already (a rep's); otherwise it is read row by row through its primary key: joined
    for the name alone, the planner hashed every customer for a view-all holder's month
    (100,000 rows scanned for 2,000 tasks, 26 ms; twice that at twice the data)."""
    tasks = visible_tasks(user)
    if joins(tasks, Customer):
        customer_name: Any = F("customer__name")
    else:
        customer_name = Subquery(Customer.objects.filter(pk=OuterRef("customer_id")).values("name"))
    rows = (
        tasks
        # The statuses named (not "not cancelled"), so that the (owner, status, due) index
        # reads the month as two ranges instead of intersecting the owner's and the month's.
        .filter(
            owner=owner,
            status__in=(Task.Status.OPEN, Task.Status.DONE),
            due_at__gte=start,
            due_at__lt=end,
        )
        .annotate(
            due_ms=EpochMilliseconds("due_at"),
            customer_name=customer_name,
        )
        .order_by("due_at", "pk")
        .values_list(*CALENDAR_FIELDS)[: CALENDAR_LIMIT + 1]
    )
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# today (part 1), this week (parts 0 and 1), overdue (part 2), in `open_task_counts`.
_PART_SUMS = ", ".join(
    f"COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"
    for condition in ("part = 1", "part < 2", "part = 2")
)


def open_task_counts(user: User, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The home page's counts of the user's own open tasks: due today, overdue, this week, in
    one query. Today's and the week's are counted among this week's tasks only; the overdue
    ones up to `CRM_COUNT_CAP`, like a list's count (`overdue_capped`: there are more), so that
    a book with tens of thousands of open tasks in the past is not read whole for a badge (the
    largest book at scale 2: 154 -> 5 ms)."""
    today, tomorrow, week_end = day_bounds(now)
    own = visible_tasks(user).filter(owner=user, status=Task.Status.OPEN).order_by()
    cap = settings.CRM_COUNT_CAP
    week = (
        own.filter(due_at__gte=today, due_at__lt=week_end)
        .annotate(part=Case(When(due_at__lt=tomorrow, then=Value(1)), default=Value(0)))
        .values_list("part")
    )
    overdue = own.filter(overdue_condition(now)).annotate(part=Value(2)).values_list("part")
    week_sql, week_params = week.query.sql_with_params()
    overdue_sql, overdue_params = overdue[: cap + 1].query.sql_with_params()
    # The two parts are the ORM's compiled queries; their values are parameters.
    parts = f"({week_sql} UNION ALL SELECT part FROM ({overdue_sql}) overdue) parts"  # noqa: S608
    sql = f"SELECT {_PART_SUMS} FROM {parts}"  # noqa: S608
    with connections[own.db].cursor() as cursor:
        cursor.execute(sql, (*week_params, *overdue_params))
        due_today, this_week, past = cursor.fetchone()
    return {
        "today": due_today,
        "overdue": min(past, cap),
        "overdue_capped": past > cap,
        "week": this_week,
    }


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

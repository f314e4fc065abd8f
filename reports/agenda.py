"""The agenda: a user's tasks, the plan items of the opportunities they develop and the visits
they logged, as one calendar feed.

`tasks` sits beside `marketing` in the layers and may not import it, so the composition lives
here, one layer up, reading each app through its selectors (which apply their own visibility):
`tasks.selectors.calendar_tasks`, `marketing.selectors.plan_items_between`,
`sales.selectors.visits_between`. Plan items are not copied into tasks and are not draggable
(marketing has no reschedule service; an item's date is part of the opportunity's plan, edited
there); tasks are draggable when the viewer may edit them, through `tasks.services.task_update`.
"""

import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from marketing.selectors import plan_items_between
from sales.selectors import visits_between
from tasks.permissions import task_editor
from tasks.selectors import CALENDAR_LIMIT, DONE_STATUS, calendar_tasks

# The longest range one request may ask for: a month view shows six weeks.
MAX_RANGE = datetime.timedelta(days=62)

RANGE_MISSING = gettext_lazy("Give the range as start and end (ISO dates or date-times).")
RANGE_MALFORMED = gettext_lazy("The start and end must be ISO dates or date-times.")
RANGE_REVERSED = gettext_lazy("The end must come after the start.")
RANGE_TOO_LONG = gettext_lazy("The calendar shows at most 62 days at a time.")


class RangeError(ValueError):
    """A malformed calendar range; its message is one of the RANGE_* constants."""


def _moment(text: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(text.strip().replace(" ", "+"))
    except ValueError:
        raise RangeError(RANGE_MALFORMED) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def parse_range(start: str | None, end: str | None) -> tuple[datetime.datetime, datetime.datetime]:
    """The [start, end) of a calendar request (FullCalendar sends ISO date-times with an
    offset); a date alone is the start of that day in the site's time zone."""
    if not start or not end:
        raise RangeError(RANGE_MISSING)
    first, last = _moment(start[:40]), _moment(end[:40])
    if last <= first:
        raise RangeError(RANGE_REVERSED)
    if last - first > MAX_RANGE:
        raise RangeError(RANGE_TOO_LONG)
    return first, last


def _task_rows(
    viewer: User, owner: User, start: datetime.datetime, end: datetime.datetime
) -> dict[str, Any]:
    """The tasks as the compact table that `static/js/calendar.js` expands into FullCalendar
    events (a busy month has thousands; per-event objects cost more to build and to encode than
    the rest of the request): rows of `[pk, title, start, all-day, editable, class]`, where a
    timed start is milliseconds since the epoch, an all-day start the local date, and `class`
    an index into `classes`. Each task's URL is `url` followed by its pk; `truncated` says
    that the range holds more than `CALENDAR_LIMIT` tasks."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    editable = task_editor(viewer)
    owner_pk = owner.pk
    classes: dict[tuple[str, bool], int] = {}
    rows = []
    found = calendar_tasks(viewer, owner, start, end)
    for pk, title, kind, place, due_ms, all_day, status, creator_id, customer in found[
        :CALENDAR_LIMIT
    ]:
        if place:
            title = f"{title} · {place}"
        if customer:
            title = f"{title} ({customer})"
        key = (kind, status == DONE_STATUS)
        if key not in classes:
            classes[key] = len(classes)
        rows.append(
            [
                pk,
                title,
                datetime.datetime.fromtimestamp(due_ms / 1000, zone).date().isoformat()
                if all_day
                else due_ms,
                bool(all_day),
                editable(status, owner_pk, creator_id),
                classes[key],
            ]
        )
    return {
        "url": reverse("tasks:detail", args=[0]).removesuffix("0/"),
        "classes": [
            f"agenda-task agenda-task-{kind}" + (" agenda-done" if done else "")
            for kind, done in classes
        ],
        "rows": rows,
        "truncated": len(found) > CALENDAR_LIMIT,
    }


def calendar_feed(
    viewer: User, owner: User, start: datetime.datetime, end: datetime.datetime
) -> dict[str, Any]:
    """The agenda of `owner` in [start, end) as `viewer` may see it (three queries): the tasks
    as a compact table (`_task_rows`) and the plan items and visits as FullCalendar events."""
    with timezone.override(settings.TIME_ZONE):
        first_day, local_end = timezone.localtime(start).date(), timezone.localtime(end)
    last_day = local_end.date() + datetime.timedelta(days=local_end.time() != datetime.time())
    plan_url = reverse("marketing:development-detail", args=[0]).removesuffix("0/")
    visit_url = reverse("sales:activity-detail", args=["N", 0]).removesuffix("N/interactions/0/")
    plan_props, visit_props = {"kind": "plan"}, {"kind": "visit"}
    plan_classes = {False: ["agenda-plan"], True: ["agenda-plan", "agenda-done"]}
    visit_classes = ["agenda-visit"]
    events: list[dict[str, Any]] = [
        {
            "id": f"plan-{pk}",
            "title": f"{todo} ({customer})",
            "start": day.isoformat(),
            "allDay": True,
            "url": f"{plan_url}{chance_pk}/",
            "editable": False,
            "classNames": plan_classes[bool(result)],
            "extendedProps": plan_props,
        }
        for pk, day, todo, result, chance_pk, customer in plan_items_between(
            viewer, owner, first_day, last_day
        )
    ]
    events.extend(
        {
            "id": f"visit-{pk}",
            "title": f"{title} · {name}",
            "start": occurred_ms,  # milliseconds since the epoch, as the tasks' starts
            "allDay": False,
            "url": f"{visit_url}{number}/interactions/{pk}/",
            "editable": False,
            "classNames": visit_classes,
            "extendedProps": visit_props,
        }
        for pk, title, occurred_ms, number, name in visits_between(viewer, owner, start, end)
    )
    return {
        "tasks": _task_rows(viewer, owner, start, end),
        "events": events,
    }

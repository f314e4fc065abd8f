"""The customer timeline: interactions, orders, service steps, loss records, tasks, the changes
of the customer's and its contacts' fields (their change history) and the uploads and deletions
of its attachments, of one customer, newest first, in one paged feed.

`sales` may not import `service` or `tasks`, so the feed lives here, one layer up, reading each
app through its selectors (which apply their own visibility). A page of N entries reads the
newest `page × N` rows of each kind wanted, merges them and cuts the page: exact, and cheap for
the first pages that people read (one query per kind). The customer page loads the first page
with htmx, so the page's own query count does not grow.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.selectors import record_attachment_events
from sales.selectors import (
    customer_recent_activities,
    customer_recent_changes,
    customer_recent_losses,
    customer_recent_orders,
)
from service.selectors import customer_recent_ticket_steps
from tasks.permissions import VIEW_RIGHT as TASKS_RIGHT
from tasks.selectors import customer_recent_tasks

if TYPE_CHECKING:
    from sales.models import Customer

PAGE_SIZE = 20
MAX_PAGE = 50  # deeper than 1,000 entries, the per-kind lists are the better tool

KINDS = (
    ("activity", _("Interactions")),
    ("order", _("Orders")),
    ("service", _("Service requests")),
    ("loss", _("Customer loss")),
    ("task", _("Tasks")),
    ("change", _("Changes")),
    ("attachment", _("Attachments")),
)


@dataclass(frozen=True)
class Entry:
    kind: str
    at: datetime.datetime
    title: str
    detail: str
    url: str
    all_day: bool = False

    @property
    def kind_label(self) -> str:
        return str(dict(KINDS)[self.kind])


def _start_of_day(day: datetime.date) -> datetime.datetime:
    with timezone.override(settings.TIME_ZONE):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# Each kind reads its newest rows (`read`), tells when each happened (`at`) and, for the rows
# of the page shown only, makes the entry (`entry`): a page reads up to 7 × 21 rows and shows 20.


def _activity(activity: Any, customer: "Customer") -> Entry:
    return Entry(
        "activity",
        activity.occurred_at,
        activity.title,
        f"{activity.get_kind_display()} · {activity.place}",
        reverse("sales:activity-detail", args=[customer.number, activity.pk]),
    )


def _order(order: Any, customer: "Customer") -> Entry:
    return Entry(
        "order",
        _start_of_day(order.date),
        str(_("Order %(number)s") % {"number": order.number}),
        order.get_status_display(),
        reverse("sales:order-detail", args=[customer.number, order.pk]),
        all_day=True,
    )


def _service_step(step: Any, customer: "Customer") -> Entry:
    return Entry(
        "service",
        step.created_at,
        f"{step.request.title}: {step.get_kind_display()}",
        f"{step.user}" + (f" · {step.text[:80]}" if step.text else ""),
        reverse("service:detail", args=[step.request_id]),
    )


def _loss(loss: Any, customer: "Customer") -> Entry:
    return Entry(
        "loss",
        loss.created_at,
        str(_("Loss warning: %(status)s") % {"status": loss.get_status_display()}),
        loss.reason[:80],
        reverse("sales:loss-list") + "?" + urlencode({"customer": customer.name}),
    )


def _tasks(user: User, customer: "Customer", limit: int) -> list[Any]:
    if not user.has_perm(TASKS_RIGHT):
        return []
    return customer_recent_tasks(user, customer, limit)


def _task(task: Any, customer: "Customer") -> Entry:
    return Entry(
        "task",
        task.due_at,
        task.title,
        f"{task.get_kind_display()} · {task.get_status_display()} · {task.owner}",
        reverse("tasks:detail", args=[task.pk]),
        all_day=task.all_day,
    )


def _change(change: Any, customer: "Customer") -> Entry:
    entry = change.entry
    if change.contact_id is None:
        title = str(_("%(who)s: %(kind)s") % {"who": entry.who, "kind": entry.kind})
        url = reverse("sales:customer-history", args=[customer.number])
    else:
        title = str(
            _("%(who)s: %(kind)s contact %(name)s")
            % {"who": entry.who, "kind": entry.kind, "name": change.subject}
        )
        url = reverse("sales:contact-history", args=[customer.number, change.contact_id])
    detail = "; ".join(f"{c.label}: {c.old} → {c.new}" for c in entry.changes)
    return Entry("change", entry.when, title, detail[:300], url)


def _attachment(event: Any, customer: "Customer") -> Entry:
    name = {"name": event.name}
    return Entry(
        "attachment",
        event.at,
        str(
            (
                _("Attachment deleted: %(name)s")
                if event.deleted
                else _("Attachment added: %(name)s")
            )
            % name
        ),
        event.who,
        reverse("sales:customer-detail", args=[customer.number]) + "#attachments",
    )


@dataclass(frozen=True)
class Source:
    read: Callable[[User, "Customer", int], list[Any]]
    at: Callable[[Any], datetime.datetime]
    entry: Callable[[Any, "Customer"], Entry]


SOURCES: dict[str, Source] = {
    "activity": Source(customer_recent_activities, lambda row: row.occurred_at, _activity),
    "order": Source(
        lambda user, customer, limit: customer_recent_orders(customer, limit),
        lambda row: _start_of_day(row.date),
        _order,
    ),
    "service": Source(customer_recent_ticket_steps, lambda row: row.created_at, _service_step),
    "loss": Source(
        lambda user, customer, limit: customer_recent_losses(customer, limit),
        lambda row: row.created_at,
        _loss,
    ),
    "task": Source(_tasks, lambda row: row.due_at, _task),
    "change": Source(
        lambda user, customer, limit: customer_recent_changes(customer, limit),
        lambda row: row.entry.when,
        _change,
    ),
    "attachment": Source(
        lambda user, customer, limit: record_attachment_events(user, "customer", customer, limit),
        lambda row: row.at,
        _attachment,
    ),
}


@dataclass(frozen=True)
class TimelinePage:
    entries: list[Entry]
    number: int
    has_next: bool
    kinds: tuple[str, ...]


def customer_timeline(
    user: User, customer: "Customer", *, page: int = 1, kinds: tuple[str, ...] = ()
) -> TimelinePage:
    """One page of the customer's timeline for `user`, of the `kinds` asked (all by default)."""
    page = min(max(page, 1), MAX_PAGE)
    wanted = tuple(kind for kind in SOURCES if kind in kinds) or tuple(SOURCES)
    depth = page * PAGE_SIZE + 1
    rows = [
        (SOURCES[kind].at(row), kind, row)
        for kind in wanted
        for row in SOURCES[kind].read(user, customer, depth)
    ]
    rows.sort(key=lambda found: found[0], reverse=True)
    start = (page - 1) * PAGE_SIZE
    return TimelinePage(
        entries=[
            SOURCES[kind].entry(row, customer) for _at, kind, row in rows[start : start + PAGE_SIZE]
        ],
        number=page,
        has_next=len(rows) > start + PAGE_SIZE and page < MAX_PAGE,
        kinds=wanted if kinds else (),
    )


def timeline_section_context(user: User, customer: "Customer") -> dict[str, Any]:
    """The customer page's timeline section: no query, the feed loads itself with htmx."""
    return {"timeline_kinds": KINDS}


TIMELINE_ORDER = 200  # after the tasks (50) and the service requests (100)


def register() -> None:
    from sales.sections import register_customer_section

    register_customer_section(
        order=TIMELINE_ORDER,
        template="reports/_customer_timeline.html",
        context=timeline_section_context,
    )

"""Reads of the service module; visibility comes from `service.permissions`."""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_names
from core.textsearch import ranked_matches
from sales.models import Customer
from service.models import ServiceEvent, ServiceRequest
from service.permissions import visible_service_requests


def with_durations(tickets: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """Annotate the time from creation to handling and to archive (null until it happens)."""
    return tickets.annotate(
        time_to_handle=ExpressionWrapper(
            F("handled_at") - F("created_at"), output_field=DurationField()
        ),
        time_to_archive=ExpressionWrapper(
            F("archived_at") - F("created_at"), output_field=DurationField()
        ),
    )


def ticket_list(user: User, *, per_row: bool = False) -> QuerySet[ServiceRequest]:
    """The requests the user may see, with their customer, type and people. `per_row`: for a
    read of one or a few (`visible_service_requests`)."""
    return visible_service_requests(user, per_row=per_row).select_related(
        "customer", "type", "creator", "assignee", "handler"
    )


def ticket_detail(user: User, pk: Any) -> ServiceRequest:
    """One request the user may see, with its durations, or 404. Its customer is tested on
    that row alone: the list's membership test hashed all of a rep's customers (18,000 for the
    largest book) to answer for one request (6.6 ms of SQL)."""
    return get_object_or_404(with_durations(ticket_list(user, per_row=True)), pk=pk)


def overdue_before() -> datetime.datetime:
    """Tickets waiting since before this moment are highlighted (SERVICE_OVERDUE_HOURS)."""
    return timezone.now() - datetime.timedelta(hours=settings.SERVICE_OVERDUE_HOURS)


def allocate_queue(user: User) -> QuerySet[ServiceRequest]:
    return ticket_list(user).filter(status=ServiceRequest.Status.NEW).order_by("created_at", "id")


def handle_queue(user: User) -> QuerySet[ServiceRequest]:
    return (
        ticket_list(user)
        .filter(status=ServiceRequest.Status.ALLOCATED, assignee=user)
        .order_by("allocated_at", "id")
    )


def feedback_queue(user: User) -> QuerySet[ServiceRequest]:
    return (
        ticket_list(user).filter(status=ServiceRequest.Status.HANDLED).order_by("handled_at", "id")
    )


def customer_tickets(user: User, customer: Customer) -> list[ServiceRequest]:
    """The latest tickets of one customer that the user may see (the customer page's section),
    with their type (what the section shows)."""
    return list(
        visible_service_requests(user, customer)
        .select_related("type")
        .order_by("-created_at", "-id")[:10]
    )


def customer_recent_ticket_steps(user: User, customer: Customer, limit: int) -> list[ServiceEvent]:
    """For the customer timeline: the newest steps (created, allocated, handled…) of the
    customer's tickets that the user may see, with their ticket."""
    return list(
        ServiceEvent.objects.filter(
            request__in=visible_service_requests(user, customer).values("pk")
        )
        .select_related("request", "user")
        .order_by("-created_at", "-id")[:limit]
    )


# Reports ------------------------------------------------------------------------------------------

TICKET_GROUPS = {"type": "type__item", "assignee": "assignee"}  # the user's id, named below


def _ticket_measures() -> dict[str, Any]:
    return {
        "count": Count("pk"),
        "archived": Count("pk", filter=Q(status=ServiceRequest.Status.ARCHIVED)),
        "satisfaction": Avg("satisfaction"),
        "handle": Avg("time_to_handle"),
    }


def _tickets_created(
    user: User, since: datetime.datetime | None, until: datetime.datetime | None
) -> QuerySet[ServiceRequest]:
    tickets = with_durations(visible_service_requests(user))
    if since:
        tickets = tickets.filter(created_at__gte=since)
    if until:
        tickets = tickets.filter(created_at__lt=until)
    return tickets


def ticket_measures(
    user: User,
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> dict[str, Any]:
    """Of the visible tickets created from `since` to before `until`: how many (count), how
    many archived, the average satisfaction and the average time to handle (a timedelta)."""
    return _tickets_created(user, since, until).aggregate(**_ticket_measures())


def ticket_measures_by(
    user: User,
    by: str,
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> list[dict[str, Any]]:
    """`ticket_measures` per value ("group") of `by` (a key of `TICKET_GROUPS`), largest
    group first."""
    field = TICKET_GROUPS[by]
    grouped = (
        _tickets_created(user, since, until)
        .values(field)
        .annotate(**_ticket_measures())
        .order_by("-count", field)
    )
    rows = [{"group": row.pop(field), **row} for row in grouped]
    if by == "assignee":
        names = user_names(row["group"] for row in rows)
        for row in rows:
            row["group"] = names.get(row["group"])
    return rows


def service_request_search(*, user: User, term: str, limit: int) -> list[ServiceRequest]:
    """Visible service requests by number (the id) or summary, best first (global search)."""
    requests = (
        visible_service_requests(user, per_row=True)
        .select_related("customer")
        .only("title", "status", "customer__number", "customer__name")
    )
    return list(ranked_matches(requests, term, fields=("title",), ids=True, limit=limit))

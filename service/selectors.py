"""Reads of the service module; visibility comes from `service.permissions`."""

import datetime

from django.conf import settings
from django.db.models import DurationField, ExpressionWrapper, F, QuerySet
from django.utils import timezone

from accounts.models import User
from sales.models import Customer
from service.models import ServiceRequest
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


def ticket_list(user: User) -> QuerySet[ServiceRequest]:
    return visible_service_requests(user).select_related(
        "customer", "type", "creator", "assignee", "handler"
    )


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
    """The latest tickets of one customer that the user may see (the customer page's section)."""
    return list(ticket_list(user).filter(customer=customer).order_by("-created_at", "-id")[:10])

"""Every write of the service module: the ticket's life cycle, each step locked and recorded."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.selectors import active_users_with_right
from accounts.services import notify
from audit.history import update_with_history
from documents.services import attachments_delete_of
from inventory.models import DictItem
from sales.models import Customer
from service.models import ServiceEvent, ServiceRequest
from service.permissions import (
    HANDLE_RIGHT,
    can_allocate_service_request,
    can_create_service_request,
    can_delete_service_request,
    can_give_feedback,
    can_handle_service_request,
)

ARCHIVE_FROM = 3  # feedback satisfaction from which a ticket is archived (the seed's rule)

# Refusals and errors (tests match these).
STATUS_CHANGED = gettext_lazy(
    "This service request is “%(status)s” now; the action was not carried out."
)
CREATE_DENIED = gettext_lazy("You may not create service requests for this customer.")
ALLOCATE_DENIED = gettext_lazy("You may not allocate service requests.")
NOT_A_HANDLER = gettext_lazy("Choose an active user who handles service requests.")
DELETE_DENIED = gettext_lazy("You may not delete service requests.")
HANDLING_REQUIRED = gettext_lazy("Describe how the request was handled.")
HANDLE_DENIED = gettext_lazy("Only the user it is allocated to handles this request.")
FEEDBACK_REQUIRED = gettext_lazy("Record the customer's feedback.")
SATISFACTION_RANGE = gettext_lazy("Satisfaction is from 1 to 5.")
FEEDBACK_DENIED = gettext_lazy("You may not record feedback on this service request.")


def _locked(ticket: ServiceRequest, status: int) -> ServiceRequest:
    locked = ServiceRequest.objects.select_for_update().get(pk=ticket.pk)
    if locked.status != status:
        raise ValidationError(STATUS_CHANGED % {"status": locked.get_status_display()})
    return locked


def _notify(user: User, ticket: ServiceRequest, render: Any) -> None:
    notify(
        user=user,
        text=lazy(render, str)(),
        link=reverse("service:detail", args=[ticket.pk]),
    )


def handlers() -> Any:
    """Active users who may handle service requests (the allocation choices)."""
    return active_users_with_right(HANDLE_RIGHT)


@transaction.atomic
def request_create(
    *, actor: User, type: DictItem, title: str, customer: Customer, request: str
) -> ServiceRequest:
    if not can_create_service_request(actor, customer):
        raise ValidationError(CREATE_DENIED)
    ticket = ServiceRequest(
        type=type, title=title.strip(), customer=customer, request=request.strip(), creator=actor
    )
    ticket.full_clean()
    ticket.save()
    ServiceEvent.objects.create(request=ticket, kind=ServiceEvent.Kind.CREATED, user=actor)
    return ticket


@transaction.atomic
def request_allocate(*, actor: User, ticket: ServiceRequest, assignee: User) -> ServiceRequest:
    """Allocate a new ticket; the assignee is notified."""
    ticket = _locked(ticket, ServiceRequest.Status.NEW)
    if not can_allocate_service_request(actor, ticket):
        raise ValidationError(ALLOCATE_DENIED)
    if not handlers().filter(pk=assignee.pk).exists():
        raise ValidationError(NOT_A_HANDLER)
    ticket.assignee = assignee
    ticket.allocated_at = timezone.now()
    ticket.status = ServiceRequest.Status.ALLOCATED
    ticket.save(update_fields=["assignee", "allocated_at", "status", "updated_at"])
    ServiceEvent.objects.create(
        request=ticket, kind=ServiceEvent.Kind.ALLOCATED, user=actor, target_user=assignee
    )
    title = ticket.title
    _notify(
        assignee,
        ticket,
        lambda: _("A service request was allocated to you: %(title)s") % {"title": title},
    )
    return ticket


@transaction.atomic
def request_delete(*, actor: User, ticket: ServiceRequest) -> None:
    ticket = _locked(ticket, ServiceRequest.Status.NEW)
    if not can_delete_service_request(actor, ticket):
        raise ValidationError(DELETE_DENIED)
    attachments_delete_of(kind="ticket", record=ticket)
    ticket.delete()


@transaction.atomic
def request_handle(*, actor: User, ticket: ServiceRequest, handling: str) -> ServiceRequest:
    """The assignee records the handling: status handled, handler and time set here."""
    if not handling.strip():
        raise ValidationError({"handling": HANDLING_REQUIRED})
    ticket = _locked(ticket, ServiceRequest.Status.ALLOCATED)
    if not can_handle_service_request(actor, ticket):
        raise ValidationError(HANDLE_DENIED)
    ticket.handling = handling.strip()
    ticket.handler = actor
    ticket.handled_at = timezone.now()
    ticket.status = ServiceRequest.Status.HANDLED
    ticket.save(update_fields=["handling", "handler", "handled_at", "status", "updated_at"])
    ServiceEvent.objects.create(
        request=ticket, kind=ServiceEvent.Kind.HANDLED, user=actor, text=ticket.handling
    )
    return ticket


@transaction.atomic
def request_feedback(
    *, actor: User, ticket: ServiceRequest, result: str, satisfaction: int
) -> ServiceRequest:
    """Satisfaction ≥ 3 archives the ticket; below 3 it goes back to its assignee (notified),
    the earlier handling and this feedback staying in its history."""
    if not result.strip():
        raise ValidationError({"result": FEEDBACK_REQUIRED})
    if satisfaction not in range(1, 6):
        raise ValidationError({"satisfaction": SATISFACTION_RANGE})
    ticket = _locked(ticket, ServiceRequest.Status.HANDLED)
    if not can_give_feedback(actor, ticket):
        raise ValidationError(FEEDBACK_DENIED)
    ticket.result = result.strip()
    ticket.satisfaction = satisfaction
    ServiceEvent.objects.create(
        request=ticket,
        kind=ServiceEvent.Kind.FEEDBACK,
        user=actor,
        text=ticket.result,
        satisfaction=satisfaction,
    )
    if satisfaction >= ARCHIVE_FROM:
        ticket.status = ServiceRequest.Status.ARCHIVED
        ticket.archived_at = timezone.now()
        ServiceEvent.objects.create(request=ticket, kind=ServiceEvent.Kind.ARCHIVED, user=actor)
    else:
        ticket.status = ServiceRequest.Status.ALLOCATED
        ServiceEvent.objects.create(
            request=ticket,
            kind=ServiceEvent.Kind.RETURNED,
            user=actor,
            target_user_id=ticket.assignee_id,
        )
        if ticket.assignee is not None:
            title = ticket.title
            _notify(
                ticket.assignee,
                ticket,
                lambda: (
                    _("A service request came back with low satisfaction: %(title)s")
                    % {"title": title}
                ),
            )
    ticket.save(update_fields=["result", "satisfaction", "status", "archived_at", "updated_at"])
    return ticket


def service_requests_move_to_customer(*, source: Customer, target: Customer) -> int:
    """Give a merged customer's service requests to the survivor (called by the merge, inside
    its transaction and locks)."""
    return update_with_history(ServiceRequest.objects.filter(customer=source), customer=target)

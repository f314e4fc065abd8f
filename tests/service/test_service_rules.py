"""The service write services refuse users without the rule, with their message constants."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from service import selectors, services
from service.models import ServiceRequest
from tests.factories.inventory import service_type
from tests.factories.sales import CustomerFactory
from tests.factories.service import ServiceRequestFactory

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status


def _refused(message, call, **kwargs) -> None:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert error.value.messages == [str(message)]


def test_requests_are_recorded_only_for_visible_customers(manager, other_manager, supervisor):
    theirs = CustomerFactory(manager=other_manager)
    for user in (manager, supervisor):
        _refused(
            services.CREATE_DENIED,
            services.request_create,
            actor=user,
            type=service_type(),
            title="咨询",
            customer=theirs,
            request="价格",
        )
    assert not ServiceRequest.objects.exists()


def test_allocation_and_deletion_need_the_allocate_right(manager, other_manager) -> None:
    ticket = ServiceRequestFactory(customer=CustomerFactory(manager=manager), creator=manager)
    _refused(
        services.ALLOCATE_DENIED,
        services.request_allocate,
        actor=manager,
        ticket=ticket,
        assignee=other_manager,
    )
    _refused(services.DELETE_DENIED, services.request_delete, actor=manager, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_allocation_notifies_with_a_link_to_the_ticket_that_stays_valid(
    client, supervisor, manager
) -> None:
    ticket = ServiceRequestFactory(customer=CustomerFactory(manager=manager), creator=manager)
    _refused(
        services.NOT_A_HANDLER,
        services.request_allocate,
        actor=supervisor,
        ticket=ticket,
        assignee=supervisor,
    )
    services.request_allocate(actor=supervisor, ticket=ticket, assignee=manager)
    link = Notification.objects.get(user=manager).link
    assert link == reverse("service:detail", args=[ticket.pk])
    client.force_login(manager)
    page = client.get(link)
    assert page.status_code == 200
    assert reverse("service:handle", args=[ticket.pk]) in page.content.decode()  # the next step
    ticket.refresh_from_db()
    services.request_handle(actor=manager, ticket=ticket, handling="已上门维修")
    page = client.get(link)
    assert page.status_code == 200  # the ticket moved on; the link still leads to it
    assert reverse("service:handle", args=[ticket.pk]) not in page.content.decode()


def test_only_the_assignee_handles(manager, other_manager, supervisor) -> None:
    ticket = ServiceRequestFactory(
        customer=CustomerFactory(manager=manager),
        creator=manager,
        assignee=manager,
        status=Status.ALLOCATED,
        allocated_at=timezone.now(),
    )
    for user in (other_manager, supervisor):
        _refused(
            services.HANDLE_DENIED, services.request_handle, actor=user, ticket=ticket, handling="x"
        )
    _refused(
        services.HANDLING_REQUIRED,
        services.request_handle,
        actor=manager,
        ticket=ticket,
        handling=" ",
    )


def test_feedback_needs_the_feedback_rule(manager, other_manager, supervisor, executive) -> None:
    ticket = ServiceRequestFactory(
        customer=CustomerFactory(manager=manager),
        creator=manager,
        assignee=manager,
        handler=manager,
        status=Status.HANDLED,
        handling="ok",
    )
    for user in (other_manager, supervisor, executive):  # out of scope, or without the right
        _refused(
            services.FEEDBACK_DENIED,
            services.request_feedback,
            actor=user,
            ticket=ticket,
            result="满意",
            satisfaction=5,
        )
    _refused(
        services.FEEDBACK_REQUIRED,
        services.request_feedback,
        actor=manager,
        ticket=ticket,
        result="",
        satisfaction=5,
    )
    _refused(
        services.SATISFACTION_RANGE,
        services.request_feedback,
        actor=manager,
        ticket=ticket,
        result="满意",
        satisfaction=6,
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.HANDLED


def test_the_feedback_queue_holds_the_handled_requests_oldest_first(manager) -> None:
    customer = CustomerFactory(manager=manager)
    now = timezone.now()
    later = ServiceRequestFactory(
        customer=customer, status=Status.HANDLED, handled_at=now, handling="ok"
    )
    earlier = ServiceRequestFactory(
        customer=customer,
        status=Status.HANDLED,
        handled_at=now - timezone.timedelta(hours=1),
        handling="ok",
    )
    ServiceRequestFactory(customer=customer)
    assert list(selectors.feedback_queue(manager)) == [earlier, later]

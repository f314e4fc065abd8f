"""Service requests: each transition and its guard, the feedback threshold, visibility."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from service import selectors, services
from service.models import ServiceEvent, ServiceRequest
from tests.factories.inventory import service_type
from tests.factories.sales import CustomerFactory
from tests.factories.service import ServiceRequestFactory

pytestmark = pytest.mark.django_db


def _new(manager, **kwargs):
    return ServiceRequestFactory(
        customer=CustomerFactory(manager=manager), creator=manager, **kwargs
    )


def _allocated(manager, **kwargs):
    return _new(manager, assignee=manager, status=2, allocated_at=timezone.now(), **kwargs)


def test_manager_creates_a_ticket_for_a_visible_customer(client, manager, other_manager) -> None:
    mine = CustomerFactory(manager=manager, name="聪海信息科技有限公司")
    theirs = CustomerFactory(manager=other_manager)
    client.force_login(manager)
    data = {"type": service_type("投诉").pk, "title": "送货延迟", "request": "晚到三天"}

    refused = client.post(reverse("service:create"), {**data, "customer": theirs.number})
    assert "customer" in refused.context["form"].errors
    client.post(reverse("service:create"), {**data, "customer": mine.number})

    ticket = ServiceRequest.objects.get()
    assert (ticket.customer, ticket.creator, ticket.status) == (
        mine,
        manager,
        ServiceRequest.Status.NEW,
    )
    assert ticket.events.get().kind == ServiceEvent.Kind.CREATED


def test_required_fields_of_the_create_form(client, manager) -> None:
    client.force_login(manager)
    response = client.post(reverse("service:create"), {})
    assert set(response.context["form"].errors) == {"type", "title", "customer", "request"}


def test_customer_search_lists_only_visible_customers(client, manager, other_manager) -> None:
    CustomerFactory(manager=manager, name="太阳药业")
    CustomerFactory(manager=other_manager, name="太阳能源")
    client.force_login(manager)
    results = client.get(reverse("service:customer-search"), {"q": "太阳"}).json()["results"]
    assert [row["name"] for row in results] == ["太阳药业"]


def test_supervisor_allocates_and_the_assignee_is_notified(client, supervisor, manager) -> None:
    ticket = _new(manager)
    client.force_login(supervisor)
    client.post(reverse("service:allocate", args=[ticket.pk]), {"assignee": manager.pk})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (ServiceRequest.Status.ALLOCATED, manager)
    assert Notification.objects.filter(user=manager).exists()


def test_allocation_guards(supervisor, manager, executive) -> None:
    ticket = _allocated(manager)
    with pytest.raises(ValidationError) as error:
        services.request_allocate(actor=supervisor, ticket=ticket, assignee=manager)
    assert error.value.messages == [
        services.STATUS_CHANGED % {"status": ServiceRequest.Status.ALLOCATED.label}
    ]
    new = _new(manager)
    with pytest.raises(ValidationError):  # executives do not handle service
        services.request_allocate(actor=supervisor, ticket=new, assignee=executive)
    with pytest.raises(ValidationError):  # managers do not allocate
        services.request_allocate(actor=manager, ticket=new, assignee=manager)


def test_only_new_tickets_are_deleted(client, supervisor, manager) -> None:
    new, allocated = _new(manager), _allocated(manager)
    client.force_login(supervisor)
    assert client.post(reverse("service:delete", args=[allocated.pk])).status_code == 403
    client.post(reverse("service:delete", args=[new.pk]))
    assert list(ServiceRequest.objects.all()) == [allocated]


def test_the_assignee_handles_with_a_required_text(client, manager, other_manager) -> None:
    ticket = _allocated(manager)
    client.force_login(other_manager)
    assert client.get(reverse("service:handle", args=[ticket.pk])).status_code == 404
    client.force_login(manager)
    empty = client.post(reverse("service:handle", args=[ticket.pk]), {"handling": ""})
    assert "handling" in empty.context["form"].errors
    client.post(reverse("service:handle", args=[ticket.pk]), {"handling": "已上门维修"})

    ticket.refresh_from_db()
    assert (ticket.status, ticket.handler, ticket.handling) == (3, manager, "已上门维修")
    assert ticket.handled_at is not None
    # Handling again (a forged POST) is refused: the ticket is no longer waiting.
    assert (
        client.post(reverse("service:handle", args=[ticket.pk]), {"handling": "x"}).status_code
        == 403
    )


@pytest.mark.parametrize(("satisfaction", "status"), [(3, 4), (5, 4), (2, 2), (1, 2)])
def test_feedback_threshold(client, manager, satisfaction, status) -> None:
    ticket = _allocated(manager)
    services.request_handle(actor=manager, ticket=ticket, handling="处理完毕")
    client.force_login(manager)
    client.post(
        reverse("service:feedback", args=[ticket.pk]),
        {"result": "反馈", "satisfaction": satisfaction},
    )
    ticket.refresh_from_db()
    assert ticket.status == status
    assert ticket.satisfaction == satisfaction
    assert (ticket.archived_at is not None) == (status == 4)
    if status == 2:  # back to the assignee, the earlier handling kept in the history
        assert ticket.assignee == manager
        kinds = list(ticket.events.values_list("kind", flat=True))
        assert kinds[-3:] == ["handled", "feedback", "returned"]
        assert Notification.objects.filter(user=manager, text__contains="low satisfaction").exists()


def test_feedback_requires_result_and_satisfaction(client, manager) -> None:
    ticket = _allocated(manager)
    services.request_handle(actor=manager, ticket=ticket, handling="处理完毕")
    client.force_login(manager)
    response = client.post(
        reverse("service:feedback", args=[ticket.pk]), {"result": "", "satisfaction": "7"}
    )
    assert set(response.context["form"].errors) == {"result", "satisfaction"}
    ticket.refresh_from_db()
    assert ticket.status == ServiceRequest.Status.HANDLED


def test_a_manager_never_sees_tickets_outside_their_scope_unless_allocated(
    client, manager, other_manager
) -> None:
    theirs = _new(other_manager)
    given_to_me = ServiceRequestFactory(
        customer=CustomerFactory(manager=other_manager), assignee=manager, status=2
    )
    client.force_login(manager)
    listed = {t.pk for t in client.get(reverse("service:archive-list")).context["object_list"]}
    assert listed == {given_to_me.pk}
    assert client.get(reverse("service:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("service:detail", args=[given_to_me.pk])).status_code == 200


def test_detail_shows_durations_history_and_stars(client, manager) -> None:
    ticket = _allocated(manager)
    ServiceRequest.objects.filter(pk=ticket.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=5)
    )
    services.request_handle(actor=manager, ticket=ticket, handling="处理完毕")
    services.request_feedback(actor=manager, ticket=ticket, result="满意", satisfaction=4)
    client.force_login(manager)
    page = client.get(reverse("service:detail", args=[ticket.pk])).content.decode()
    assert "5 h 0 min" in page
    assert 'title="4/5">★★★★' in page
    assert page.index("Handled") < page.index("Feedback")
    annotated = selectors.with_durations(ServiceRequest.objects.filter(pk=ticket.pk)).get()
    assert annotated.time_to_archive >= annotated.time_to_handle >= datetime.timedelta(hours=5)


def test_overdue_tickets_are_highlighted(client, supervisor, manager, settings) -> None:
    settings.SERVICE_OVERDUE_HOURS = 2
    old = _new(manager)
    ServiceRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=3)
    )
    _new(manager)
    client.force_login(supervisor)
    page = client.get(reverse("service:allocate-list")).content.decode()
    assert page.count('data-overdue="1"') == 1


def test_the_customer_page_lists_its_tickets(client, manager) -> None:
    ticket = _new(manager)
    client.force_login(manager)
    page = client.get(
        reverse("sales:customer-detail", args=[ticket.customer.number])
    ).content.decode()
    assert ticket.title in page


def test_lists_filter_by_type_and_date(client, supervisor, manager) -> None:
    complaint = _new(manager, type=service_type("投诉"))
    _new(manager, type=service_type("咨询"))
    client.force_login(supervisor)
    today = timezone.localdate().isoformat()
    response = client.get(
        reverse("service:allocate-list"),
        {"type": service_type("投诉").pk, "created_from": today, "created_to": today},
    )
    assert [t.pk for t in response.context["object_list"]] == [complaint.pk]
    bad = client.get(reverse("service:archive-list"), {"created_from": "not-a-date"})
    assert bad.status_code == 200
    assert bad.context["filter"].errors


@pytest.mark.parametrize("size", [2, 20])
def test_query_counts(client, supervisor, manager, django_assert_max_num_queries, size) -> None:
    for _ in range(size):
        _new(manager)
        _allocated(manager)
    client.force_login(supervisor)
    with django_assert_max_num_queries(9):
        client.get(reverse("service:allocate-list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("service:archive-list"), {"o": "-created"})
    client.force_login(manager)
    with django_assert_max_num_queries(8):
        client.get(reverse("service:handle-list"))
    ticket = ServiceRequest.objects.filter(status=2).first()
    with django_assert_max_num_queries(9):
        client.get(reverse("service:detail", args=[ticket.pk]))


@pytest.mark.django_db(transaction=True)
def test_two_allocations_at_once_one_wins(supervisor, manager, other_manager) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    ticket = _new(manager)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def allocate(target) -> None:
        try:
            barrier.wait()
            outcomes.append(
                services.request_allocate(actor=supervisor, ticket=ticket, assignee=target)
            )
        except ValidationError as error:
            outcomes.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=allocate, args=(user,)) for user in (manager, other_manager)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(isinstance(outcome, ValidationError) for outcome in outcomes) == 1
    assert ServiceEvent.objects.filter(request=ticket, kind="allocated").count() == 1

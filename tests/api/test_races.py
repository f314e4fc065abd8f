"""Two transition requests at once through the API: exactly one succeeds (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from api.base import REPLAYED_HEADER
from marketing.models import SalesChance
from sales.models import Customer
from service.models import ServiceRequest
from tasks.models import Task
from tests.api.conftest import token_client
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import CustomerFactory
from tests.factories.service import ServiceRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")


def _race(*requests) -> list[int]:
    """Run the requests in threads released together; their status codes, in order."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = [0] * len(requests)

    def run(index: int, send) -> None:
        try:
            barrier.wait()
            statuses[index] = send().status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, send)) for index, send in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_two_assigns_at_once_one_wins(supervisor, manager, other_manager) -> None:
    chance = SalesChanceFactory(creator=supervisor)
    url = reverse("api:opportunity-assign", args=[chance.pk])
    first, second = token_client(supervisor), token_client(supervisor)
    statuses = _race(
        lambda: first.post(url, {"assignee": manager.pk}, format="json"),
        lambda: second.post(url, {"assignee": other_manager.pk}, format="json"),
    )
    assert sorted(statuses) == [200, 400]
    chance.refresh_from_db()
    assert chance.status == SalesChance.Status.ASSIGNED
    assert chance.assignments.count() == 1


def test_two_wins_at_once_create_one_customer(supervisor, manager) -> None:
    chance = SalesChanceFactory(creator=supervisor, assignee=manager, status=2)
    url = reverse("api:opportunity-win", args=[chance.pk])
    first, second = token_client(manager), token_client(manager)
    before = Customer.objects.count()
    statuses = _race(lambda: first.post(url), lambda: second.post(url))
    assert sorted(statuses) == [200, 400]
    assert Customer.objects.count() == before + 1


def test_a_win_and_a_fail_at_once_one_applies(supervisor, manager) -> None:
    from inventory.models import DictItem, DictType

    chance = SalesChanceFactory(creator=supervisor, assignee=manager, status=2)
    reason = DictItem.objects.filter(type=DictType.CHANCE_LOST_REASON).first().pk
    first, second = token_client(manager), token_client(manager)
    statuses = _race(
        lambda: first.post(reverse("api:opportunity-win", args=[chance.pk])),
        lambda: second.post(
            reverse("api:opportunity-fail", args=[chance.pk]), {"reason": reason}, format="json"
        ),
    )
    assert sorted(statuses) == [200, 400]
    chance.refresh_from_db()
    assert chance.status in (SalesChance.Status.SUCCEEDED, SalesChance.Status.FAILED)


def test_two_allocations_at_once_one_wins(supervisor, manager, other_manager) -> None:
    ticket = ServiceRequestFactory(customer=CustomerFactory(manager=manager), creator=manager)
    url = reverse("api:ticket-allocate", args=[ticket.pk])
    first, second = token_client(supervisor), token_client(supervisor)
    statuses = _race(
        lambda: first.post(url, {"assignee": manager.pk}, format="json"),
        lambda: second.post(url, {"assignee": other_manager.pk}, format="json"),
    )
    assert sorted(statuses) == [200, 400]
    ticket.refresh_from_db()
    assert ticket.status == ServiceRequest.Status.ALLOCATED


def test_two_posts_with_one_idempotency_key_create_one_customer(manager) -> None:
    """The second waits on the key's unique index until the first commits, then replays it."""
    url = reverse("api:customer-list")
    first, second = token_client(manager), token_client(manager)
    answers: list = []

    def send(client):
        def run():
            response = client.post(
                url, {"name": "并发客户"}, format="json", headers={"Idempotency-Key": "once"}
            )
            answers.append(response)
            return response

        return run

    statuses = _race(send(first), send(second))
    assert statuses == [201, 201]
    assert Customer.objects.filter(name="并发客户").count() == 1
    assert sorted(REPLAYED_HEADER in answer for answer in answers) == [False, True]
    assert answers[0].json() == answers[1].json()


def _ticket(manager, status: int) -> ServiceRequest:
    extra = {"handler": manager} if status == ServiceRequest.Status.HANDLED else {}
    return ServiceRequestFactory(
        customer=CustomerFactory(manager=manager),
        creator=manager,
        assignee=manager,
        status=status,
        **extra,
    )


def test_two_handlings_at_once_one_is_recorded(manager) -> None:
    ticket = _ticket(manager, ServiceRequest.Status.ALLOCATED)
    url = reverse("api:ticket-handle", args=[ticket.pk])
    first, second = token_client(manager), token_client(manager)
    statuses = _race(
        lambda: first.post(url, {"handling": "上门"}, format="json"),
        lambda: second.post(url, {"handling": "电话"}, format="json"),
    )
    assert sorted(statuses) == [200, 400]
    ticket.refresh_from_db()
    assert ticket.status == ServiceRequest.Status.HANDLED
    assert ticket.events.filter(kind="handled").count() == 1


def test_two_feedbacks_at_once_archive_once(manager) -> None:
    ticket = _ticket(manager, ServiceRequest.Status.HANDLED)
    url = reverse("api:ticket-feedback", args=[ticket.pk])
    first, second = token_client(manager), token_client(manager)
    statuses = _race(
        lambda: first.post(url, {"result": "满意", "satisfaction": 5}, format="json"),
        lambda: second.post(url, {"result": "一般", "satisfaction": 4}, format="json"),
    )
    assert sorted(statuses) == [200, 400]
    ticket.refresh_from_db()
    assert ticket.status == ServiceRequest.Status.ARCHIVED
    assert ticket.events.filter(kind="feedback").count() == 1


def test_a_complete_and_a_cancel_at_once_one_applies(manager) -> None:
    from tests.factories.tasks import TaskFactory

    task = TaskFactory(owner=manager, creator=manager)
    first, second = token_client(manager), token_client(manager)
    statuses = _race(
        lambda: first.post(reverse("api:task-complete", args=[task.pk])),
        lambda: second.post(reverse("api:task-cancel", args=[task.pk])),
    )
    assert sorted(statuses) == [200, 400]
    task.refresh_from_db()
    assert task.status in (Task.Status.DONE, Task.Status.CANCELLED)


def test_two_completions_at_once_one_applies(manager) -> None:
    from tests.factories.tasks import TaskFactory

    task = TaskFactory(owner=manager, creator=manager)
    url = reverse("api:task-complete", args=[task.pk])
    first, second = token_client(manager), token_client(manager)
    assert sorted(_race(lambda: first.post(url), lambda: second.post(url))) == [200, 400]

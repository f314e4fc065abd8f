"""Each rule of `service.permissions`, asked directly, for each seeded role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sales.models import Customer
from service import permissions
from service.models import ServiceRequest
from tests.factories.sales import CustomerFactory
from tests.factories.service import ServiceRequestFactory

pytestmark = pytest.mark.django_db

ROLES = ("admin_user", "supervisor", "manager", "executive")
Status = ServiceRequest.Status


@pytest.fixture
def users(request):
    return {name: request.getfixturevalue(name) for name in ROLES}


@pytest.fixture
def tickets(manager, other_manager, supervisor):
    mine = CustomerFactory(manager=manager)
    theirs = CustomerFactory(manager=other_manager)
    now = timezone.now()
    return {
        "new": ServiceRequestFactory(customer=mine, creator=manager),
        "allocated": ServiceRequestFactory(
            customer=mine, creator=manager, assignee=manager, status=Status.ALLOCATED,
            allocated_at=now,
        ),
        "handled": ServiceRequestFactory(
            customer=mine, creator=manager, assignee=manager, handler=manager,
            status=Status.HANDLED, allocated_at=now, handled_at=now, handling="ok",
        ),
        # Another manager's customer, allocated to manager1: visible to them as its assignee.
        "assigned_to_me": ServiceRequestFactory(
            customer=theirs, creator=other_manager, assignee=manager, status=Status.ALLOCATED,
            allocated_at=now,
        ),
        "theirs": ServiceRequestFactory(customer=theirs, creator=other_manager),
    }  # fmt: skip


ALL = {"new", "allocated", "handled", "assigned_to_me", "theirs"}


def _names(tickets, queryset) -> set[str]:
    return {name for name, ticket in tickets.items() if ticket in queryset}


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("admin_user", set()),
        ("supervisor", ALL),
        ("manager", {"new", "allocated", "handled", "assigned_to_me"}),
        ("executive", ALL),  # reads every customer, so every customer's requests
    ],
)
def test_visible_service_requests(users, tickets, who, visible) -> None:
    assert _names(tickets, permissions.visible_service_requests(users[who])) == visible
    # The form for a read of one or a few (the detail pages, the search) is the same rule.
    per_row = permissions.visible_service_requests(users[who], per_row=True)
    assert _names(tickets, per_row) == visible


@pytest.mark.parametrize("who", ["supervisor", "manager", "executive"])
def test_a_request_s_page_opens_exactly_for_those_who_see_it(client, users, tickets, who):
    from django.urls import reverse

    client.force_login(users[who])
    visible = _names(tickets, permissions.visible_service_requests(users[who]))
    if not users[who].has_perm("service.view_servicerequest"):
        visible = set()  # rights first: the page answers 403
    opened = {
        name
        for name, ticket in tickets.items()
        if client.get(reverse("service:detail", args=[ticket.pk])).status_code == 200
    }
    assert opened == visible


def test_signed_out_or_disabled_users_see_no_requests(tickets, manager) -> None:
    manager.is_active = False
    for user in (AnonymousUser(), manager):
        assert not permissions.visible_service_requests(user).exists()


@pytest.mark.parametrize(
    ("who", "allocate", "handle", "feedback"),
    [
        ("admin_user", set(), set(), set()),
        ("supervisor", {"new", "theirs"}, set(), set()),
        ("manager", set(), {"allocated", "assigned_to_me"}, {"handled"}),
        ("executive", set(), set(), set()),
    ],
)
def test_action_rules(users, tickets, who, allocate, handle, feedback) -> None:
    user = users[who]
    for name, ticket in tickets.items():
        assert permissions.can_allocate_service_request(user, ticket) is (name in allocate)
        assert permissions.can_delete_service_request(user, ticket) is (name in allocate)
        assert permissions.can_handle_service_request(user, ticket) is (name in handle)
        assert permissions.can_give_feedback(user, ticket) is (name in feedback)


@pytest.mark.parametrize(
    ("who", "customers"),
    [
        ("admin_user", set()),
        ("supervisor", set()),  # allocates, does not record requests
        ("manager", {"mine"}),
        ("executive", set()),
    ],
)
def test_can_create_service_request(users, manager, other_manager, who, customers) -> None:
    by_name = {
        "mine": CustomerFactory(manager=manager),
        "theirs": CustomerFactory(manager=other_manager),
        "deleted": CustomerFactory(manager=manager, status=Customer.Status.DELETED),
    }
    for name, customer in by_name.items():
        assert permissions.can_create_service_request(users[who], customer) is (name in customers)

"""Each rule of `documents.permissions`, for each seeded role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from documents import permissions, services
from documents.registry import attachment_kinds, attachment_target
from tests.documents import samples
from tests.documents.samples import upload

pytestmark = pytest.mark.django_db

ROLES = ("admin_user", "supervisor", "manager", "other_manager", "executive")


@pytest.fixture
def users(request):
    return {name: request.getfixturevalue(name) for name in ROLES}


@pytest.fixture
def attachment(manager, customer):
    return services.attachments_add(
        actor=manager, kind="customer", object_id=customer.pk, files=[upload("a.pdf", samples.PDF)]
    )[0]


def test_the_four_kinds_are_registered() -> None:
    assert attachment_kinds() == ["chance", "customer", "quote", "ticket"]
    assert attachment_target("invoice") is None


# Who sees manager1's customer (the record) and may read its attachments.
SEES = {"admin_user": False, "supervisor": True, "manager": True, "other_manager": False,
        "executive": True}  # fmt: skip
# Who may add to it.
ADDS = {"admin_user": False, "supervisor": True, "manager": True, "other_manager": False,
        "executive": False}  # fmt: skip
# Who may delete manager1's upload on it.
DELETES = {"admin_user": False, "supervisor": True, "manager": True, "other_manager": False,
           "executive": False}  # fmt: skip


@pytest.mark.parametrize("name", ROLES)
def test_each_role(users, name, customer, attachment) -> None:
    user = users[name]
    record = permissions.visible_record(user, "customer", customer.pk)
    assert permissions.can_view_attachments(user, record) is SEES[name]
    assert permissions.can_add_attachment(user, "customer", record) is ADDS[name]
    assert permissions.can_delete_attachment(user, attachment) is DELETES[name]


def test_records_of_each_kind_follow_their_apps_visibility(
    manager, other_manager, supervisor, chance, ticket
) -> None:
    assert permissions.visible_record(manager, "chance", chance.pk) == chance
    assert permissions.visible_record(other_manager, "chance", chance.pk) is None
    assert permissions.visible_record(supervisor, "chance", chance.pk) == chance
    assert permissions.visible_record(manager, "ticket", ticket.pk) == ticket
    assert permissions.visible_record(other_manager, "ticket", ticket.pk) is None


def test_unknown_kinds_bad_ids_and_anonymous_see_nothing(manager, customer) -> None:
    assert permissions.visible_record(manager, "nothing", customer.pk) is None
    assert permissions.visible_record(manager, "customer", "x") is None
    assert permissions.visible_record(manager, "customer", 10**30) is None
    assert permissions.visible_record(AnonymousUser(), "customer", customer.pk) is None
    assert not permissions.can_add_attachment(manager, "nothing", customer)
    assert not permissions.can_add_attachment(manager, "customer", None)
    assert not permissions.can_view_attachments(manager, None)


def test_a_kind_may_ask_for_the_right_to_change_the_record(manager, supervisor, customer):
    from django.urls import reverse

    from documents.registry import register_attachment_target
    from sales.models import Customer
    from sales.permissions import can_edit_customer, visible_customers

    register_attachment_target(
        "customer", model=Customer, visible=visible_customers, can_change=can_edit_customer,
        label="Customer", url=lambda c: reverse("sales:customer-detail", args=[c.number]),
    )  # fmt: skip
    try:
        assert permissions.can_add_attachment(manager, "customer", customer)
        assert not permissions.can_add_attachment(supervisor, "customer", customer)
    finally:
        from sales.sections import register_attachments

        register_attachments()
    assert permissions.can_add_attachment(supervisor, "customer", customer)

"""`visible_customer_ids` is `visible_customers` in another form; they must never disagree."""

import pytest
from django.contrib.auth.models import AnonymousUser
from guardian.shortcuts import assign_perm

from sales.models import Activity, Customer
from sales.permissions import visible_customer_ids, visible_customers
from tests.factories.sales import CustomerFactory


@pytest.fixture
def book(manager, other_manager):
    """Customers of two managers: live, lost and deleted ones, some shared with `manager`."""
    CustomerFactory.create_batch(2, manager=manager)
    CustomerFactory(manager=manager, status=Customer.Status.LOST)
    CustomerFactory(manager=manager, status=Customer.Status.DELETED)
    theirs = CustomerFactory.create_batch(3, manager=other_manager)
    assign_perm("view_customer", manager, theirs[0])
    assign_perm("change_customer", manager, theirs[1])
    deleted_share = CustomerFactory(manager=other_manager, status=Customer.Status.DELETED)
    assign_perm("view_customer", manager, deleted_share)


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("who", ["manager", "other_manager", "supervisor", "executive"])
def test_visible_customer_ids_match_visible_customers(request, who) -> None:
    user = request.getfixturevalue(who)
    expected = _ids(visible_customers(user))
    assert expected  # every role here sees someone
    assert {row["pk"] for row in visible_customer_ids(user)} == expected
    assert _ids(Customer.objects.filter(pk__in=visible_customer_ids(user))) == expected


@pytest.mark.usefixtures("book")
def test_a_manager_sees_own_and_shared_live_customers(manager, other_manager) -> None:
    ids = _ids(Customer.objects.filter(pk__in=visible_customer_ids(manager)))
    own = _ids(Customer.objects.filter(manager=manager).exclude(status=Customer.Status.DELETED))
    assert own < ids
    assert len(ids - own) == 2  # the two live shares; the deleted share stays hidden


@pytest.mark.usefixtures("book")
def test_inactive_and_anonymous_users_see_no_customer(manager) -> None:
    manager.is_active = False
    manager.save()
    assert not Customer.objects.filter(pk__in=visible_customer_ids(manager)).exists()
    assert not Customer.objects.filter(pk__in=visible_customer_ids(AnonymousUser())).exists()


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("who", ["manager", "other_manager", "supervisor", "executive"])
def test_every_form_of_customer_visibility_is_visible_customers(request, who) -> None:
    """Row by row, by membership and hashed: three ways of writing the one rule."""
    from sales.permissions import customer_visibility
    from tests.factories.sales import ActivityFactory

    for customer in Customer.objects.all():
        ActivityFactory(customer=customer)
    user = request.getfixturevalue(who)
    expected = _ids(visible_customers(user))
    for form in ({}, {"per_row": True}, {"hashed": True}):
        rows = Activity.objects.filter(customer_visibility(user, **form))
        assert set(rows.values_list("customer_id", flat=True)) == expected, form

"""Each rule of `sales.permissions`, asked directly, for each seeded role."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.db import connections

from sales import permissions
from sales.models import Customer, CustomerLoss, CustomerUserObjectPermission
from tests.factories import UserFactory, role
from tests.factories.sales import CustomerFactory, CustomerLossFactory

pytestmark = pytest.mark.django_db

ROLES = ("admin_user", "supervisor", "manager", "executive")


def _share(customer: Customer, user, *codenames: str) -> None:
    for codename in codenames:
        CustomerUserObjectPermission.objects.create(
            content_object=customer,
            user=user,
            permission=Permission.objects.get(content_type__app_label="sales", codename=codename),
        )


@pytest.fixture
def users(request):
    return {name: request.getfixturevalue(name) for name in ROLES}


@pytest.fixture
def world(manager, other_manager):
    """Customers of two managers; two of manager2's are shared with manager1 (view, edit)."""
    customers = {
        "mine": CustomerFactory(manager=manager),
        "theirs": CustomerFactory(manager=other_manager),
        "viewed": CustomerFactory(manager=other_manager),
        "edited": CustomerFactory(manager=other_manager),
        "deleted": CustomerFactory(manager=manager, status=Customer.Status.DELETED),
    }
    _share(customers["viewed"], manager, permissions.VIEW_SHARE)
    _share(customers["edited"], manager, permissions.VIEW_SHARE, permissions.EDIT_SHARE)
    return customers


def _names(world, customers) -> set[str]:
    pks = {customer.pk for customer in customers}
    return {name for name, customer in world.items() if customer.pk in pks}


LIVE = {"mine", "theirs", "viewed", "edited"}
MANAGED = {"mine", "viewed", "edited"}  # what manager1 sees


@pytest.mark.parametrize(
    ("who", "visible"),
    [("admin_user", set()), ("supervisor", LIVE), ("manager", MANAGED), ("executive", LIVE)],
)
def test_visible_customers(users, world, who, visible, monkeypatch) -> None:
    user = users[who]
    assert _names(world, permissions.visible_customers(user)) == visible
    ids = set(permissions.visible_customer_ids(user).values_list("pk", flat=True))
    assert _names(world, Customer.objects.filter(pk__in=ids)) == visible
    # customer_visibility on a foreign key to Customer (here: loss records), in the form each
    # database plans well (both forms are valid SQL on either).
    losses = {name: CustomerLossFactory(customer=customer) for name, customer in world.items()}
    for vendor in ("sqlite", "postgresql"):
        monkeypatch.setattr(type(connections["default"]), "vendor", vendor)
        seen = CustomerLoss.objects.filter(permissions.customer_visibility(user))
        assert {name for name, loss in losses.items() if loss in seen} == visible


@pytest.mark.parametrize("who", ROLES)
def test_one_customers_rows_are_tested_once_the_customer_was_read_for_the_user(
    users, world, who
) -> None:
    """`customer_visibility(user, customer=c)`: the full test, unless `c` was read through
    `visible_customers(user)` and marked so (`mark_visible`); marked for someone else, or not
    at all, it still tests. Either way the answer is the visibility rule's."""
    user = users[who]
    someone_else = users["manager" if who == "supervisor" else "supervisor"]
    visible = _names(world, permissions.visible_customers(user))
    for name, customer in world.items():
        CustomerLossFactory(customer=customer)
        for marked_for in (None, someone_else):
            other = Customer.objects.get(pk=customer.pk)
            if marked_for is not None:
                permissions.mark_visible(other, marked_for)
            rows = CustomerLoss.objects.filter(customer=other).filter(
                permissions.customer_visibility(user, customer=other)
            )
            assert rows.exists() is (name in visible), (name, marked_for)
        read = permissions.visible_customers(user).filter(pk=customer.pk).first()
        assert (read is not None) is (name in visible)
        if read is not None:
            condition = permissions.customer_visibility(
                user, customer=permissions.mark_visible(read, user)
            )
            rows = CustomerLoss.objects.filter(customer=read).filter(condition)
            assert "cst_customer" not in str(rows.query)  # no second test of the customer
            assert rows.exists()


@pytest.mark.parametrize("who", ROLES)
def test_managed_customer_visibility_is_the_visible_customers_the_user_manages(
    users, world, who
) -> None:
    user = users[who]
    losses = {name: CustomerLossFactory(customer=customer) for name, customer in world.items()}
    seen = CustomerLoss.objects.filter(permissions.managed_customer_visibility(user))
    expected = permissions.visible_customers(user).filter(manager=user)
    assert {name for name, loss in losses.items() if loss in seen} == _names(world, expected)
    assert permissions.sees_all_customers(user) == (
        set(permissions.visible_customers(user)) == set(Customer.objects.exclude(status=3))
    )


def test_nobody_sees_anything_when_signed_out_or_disabled(world, manager) -> None:
    CustomerLossFactory(customer=world["mine"])
    manager.is_active = False
    for user in (AnonymousUser(), manager):
        assert not CustomerLoss.objects.filter(
            permissions.managed_customer_visibility(user)
        ).exists()
        assert not permissions.sees_all_customers(user)
        assert not permissions.visible_customers(user).exists()
        assert not permissions.visible_customer_ids(user).exists()
        assert not CustomerLoss.objects.filter(permissions.customer_visibility(user)).exists()
        assert not permissions.visible_losses(user).exists()


def test_shared_customer_ids(world, manager, other_manager) -> None:
    ids = permissions.shared_customer_ids(manager).values_list("content_object_id", flat=True)
    assert _names(world, Customer.objects.filter(pk__in=ids)) == {"viewed", "edited"}
    assert not permissions.shared_customer_ids(other_manager).exists()


@pytest.mark.parametrize(
    ("who", "editable"),
    [
        ("admin_user", set()),
        ("supervisor", set()),  # reads all, changes none
        ("manager", {"mine", "edited"}),
        ("executive", set()),
    ],
)
def test_editable_customers(users, world, who, editable) -> None:
    user = users[who]
    assert _names(world, permissions.editable_customers(user)) == editable
    for name, customer in world.items():
        assert permissions.can_edit_customer(user, customer) is (name in editable)


def test_an_edit_share_lets_a_user_without_the_change_right_edit(world, supervisor) -> None:
    _share(world["theirs"], supervisor, permissions.VIEW_SHARE, permissions.EDIT_SHARE)
    assert permissions.can_edit_customer(supervisor, world["theirs"])
    assert not permissions.can_delete_customer(supervisor, world["theirs"])


def test_change_and_view_all_edit_every_live_customer(world) -> None:
    chief = UserFactory(role=role("manager"))
    chief.role.rights.add(*role("supervisor").rights.filter(code="sales.view_all_customers"))
    assert _names(world, permissions.editable_customers(chief)) == LIVE


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin_user", False), ("supervisor", False), ("manager", True), ("executive", False)],
)
def test_can_create_customer(users, who, allowed) -> None:
    assert permissions.can_create_customer(users[who]) is allowed


@pytest.mark.parametrize(
    ("who", "deletable"),
    [
        ("admin_user", set()),
        ("supervisor", set()),
        ("manager", {"mine", "edited"}),
        ("executive", set()),
    ],
)
def test_can_delete_customer(users, world, who, deletable) -> None:
    for name, customer in world.items():
        assert permissions.can_delete_customer(users[who], customer) is (name in deletable)


def test_customer_holders_are_active_managers_of_an_active_role(users, other_manager) -> None:
    holders = set(permissions.customer_holders())
    assert holders == {users["manager"], other_manager}
    for user in users.values():
        assert permissions.can_hold_customers(user) is (user in holders)


def test_a_disabled_user_or_role_holds_no_customers(manager, other_manager) -> None:
    manager.is_active = False
    manager.save()
    assert not permissions.can_hold_customers(manager)
    assert permissions.can_hold_customers(other_manager)
    other_manager.role.is_active = False
    other_manager.role.save()
    assert not permissions.customer_holders().exists()


@pytest.mark.parametrize(
    ("who", "shareable"),
    [
        ("admin_user", set()),
        ("supervisor", LIVE),
        ("manager", {"mine"}),  # only the customers one manages, not those shared with one
        ("executive", set()),
    ],
)
def test_shareable_customers(users, world, who, shareable) -> None:
    user = users[who]
    assert _names(world, permissions.shareable_customers(user)) == shareable
    for name, customer in world.items():
        assert permissions.can_share_customer(user, customer) is (name in shareable)


@pytest.mark.parametrize(
    ("who", "transferable"),
    [("admin_user", set()), ("supervisor", LIVE), ("manager", set()), ("executive", set())],
)
def test_transferable_customers(users, world, who, transferable) -> None:
    assert permissions.can_transfer_customers(users[who]) is (who == "supervisor")
    assert _names(world, permissions.transferable_customers(users[who])) == transferable


@pytest.mark.parametrize(
    ("who", "visible", "handled"),
    [
        ("admin_user", set(), set()),
        ("supervisor", {"mine", "theirs"}, set()),
        ("manager", {"mine"}, {"mine"}),
        ("executive", {"mine", "theirs"}, set()),
    ],
)
def test_visible_losses_and_can_handle_loss(
    users, manager, other_manager, who, visible, handled
) -> None:
    losses = {
        "mine": CustomerLossFactory(customer=CustomerFactory(manager=manager)),
        "theirs": CustomerLossFactory(customer=CustomerFactory(manager=other_manager)),
    }
    CustomerLossFactory(customer=CustomerFactory(manager=manager, status=Customer.Status.DELETED))
    user = users[who]
    assert {name for name, loss in losses.items() if loss in permissions.visible_losses(user)} == (
        visible
    )
    for name, loss in losses.items():
        assert permissions.can_handle_loss(user, loss) is (name in handled)


def test_a_closed_loss_is_handled_by_nobody(manager) -> None:
    loss = CustomerLossFactory(
        customer=CustomerFactory(manager=manager), status=CustomerLoss.Status.CONFIRMED
    )
    assert not permissions.can_handle_loss(manager, loss)


def test_the_edit_right_read_with_the_customer_answers_as_the_query(
    manager, other_manager, supervisor, executive
) -> None:
    from sales.permissions import can_edit_customer, with_edit_right
    from sales.services import customer_share

    mine, shared, other = CustomerFactory.create_batch(3, manager=manager)
    customer_share(actor=manager, customers=[shared], user=other_manager, can_edit=True)
    customer_share(actor=manager, customers=[other], user=other_manager, can_edit=False)
    for user in (manager, other_manager, supervisor, executive):
        for customer in (mine, shared, other):
            annotated = with_edit_right(Customer.objects.filter(pk=customer.pk), user).get()
            assert can_edit_customer(user, annotated) == can_edit_customer(user, customer)
    # An annotation made for one user never answers for another.
    annotated = with_edit_right(Customer.objects.filter(pk=mine.pk), manager).get()
    assert can_edit_customer(other_manager, annotated) is False

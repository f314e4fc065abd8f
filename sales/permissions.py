"""Who may see and change which customers; every view, export, report and e-mail asks here."""

from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value

from accounts.models import User
from accounts.selectors import active_users_with_right
from sales.models import (
    Activity,
    Customer,
    CustomerGroup,
    CustomerLoss,
    CustomerUserObjectPermission,
)

VIEW_SHARE = "view_customer"
EDIT_SHARE = "change_customer"

# The right that makes a user a customer manager: creating customers, holding and editing them.
MANAGER_RIGHT = "sales.change_customer"
VIEW_ALL_RIGHT = "sales.view_all_customers"
SHARE_RIGHT = "sales.share_customer"
TRANSFER_RIGHT = "sales.transfer_customer"
LOSS_RIGHT = "sales.handle_loss"
VIEW_SHARE_RIGHT = "sales.view_customer"  # what a user needs to be shared a customer with


def _shares(user: User, codenames: tuple[str, ...]) -> QuerySet[CustomerUserObjectPermission]:
    return CustomerUserObjectPermission.objects.filter(
        user=user, content_object=OuterRef("pk"), permission__codename__in=codenames
    )


def shared_customer_ids(user: User) -> QuerySet[CustomerUserObjectPermission, Any]:
    """The ids of the customers shared with the user (for viewing or editing)."""
    return CustomerUserObjectPermission.objects.filter(
        user=user, permission__codename__in=(VIEW_SHARE, EDIT_SHARE)
    ).values("content_object_id")


def visible_customers(user: User) -> QuerySet[Customer]:
    """Customers the user may see: those they manage, those shared with them, or all of them
    with `sales.view_all_customers`. Soft-deleted customers are hidden from everyone."""
    customers = Customer.objects.exclude(status=Customer.Status.DELETED)
    if not user.is_authenticated or not user.is_active:
        return customers.none()
    if user.has_perm(VIEW_ALL_RIGHT):
        return customers
    return customers.filter(Q(manager=user) | Exists(_shares(user, (VIEW_SHARE, EDIT_SHARE))))


def visible_customers_of_others(user: User) -> QuerySet[Customer]:
    """The customers of `visible_customers(user)` that someone else manages (for a user without
    view-all: those shared with them), read from the user's shares rather than by testing
    every customer: what a summary per manager does not count for this user."""
    customers = visible_customers(user).exclude(manager=user)
    if not user.is_authenticated or not user.is_active or user.has_perm(VIEW_ALL_RIGHT):
        return customers
    return customers.filter(pk__in=shared_customer_ids(user))


def sees_all_customers(user: User) -> bool:
    """Whether `visible_customers(user)` is every customer that is not deleted (what the
    product summary counts)."""
    return user.is_authenticated and user.is_active and user.has_perm(VIEW_ALL_RIGHT)


def visible_customer_ids(user: User) -> QuerySet[Any, Any]:
    """The ids of `visible_customers(user)`, as a subquery for rules built on it (service
    requests). The same rule as a UNION of managed and shared customers instead of an OR, so
    that PostgreSQL reads each half from an index rather than scanning every customer."""
    if not user.is_authenticated or not user.is_active:
        return Customer.objects.none().values("pk")
    if user.has_perm(VIEW_ALL_RIGHT):
        return Customer.objects.exclude(status=Customer.Status.DELETED).order_by().values("pk")
    managed, shared = _managed_and_shared_ids(user)
    return managed.union(shared, all=True)


def _managed_and_shared_ids(user: User) -> tuple[QuerySet[Any, Any], QuerySet[Any, Any]]:
    """The ids of the live customers the user manages, and of those shared with them: the two
    halves of `visible_customers(user)` for a user without view-all."""
    live = Customer.objects.exclude(status=Customer.Status.DELETED).order_by()
    return live.filter(manager=user).values("pk"), live.filter(
        pk__in=shared_customer_ids(user)
    ).values("pk")


# Set on a customer read through `visible_customers(user)` (`mark_visible`): the pk of that user.
_VISIBLE_TO = "_visible_to_user"


def mark_visible(customer: Customer, user: User) -> Customer:
    """Record on `customer`, just read through `visible_customers(user)`, that this user may see
    it: the rows of that one customer then need no second visibility test in the same request
    (`customer_visibility(user, customer=customer)`)."""
    setattr(customer, _VISIBLE_TO, user.pk)
    return customer


def customer_visibility(
    user: User,
    field: str = "customer",
    *,
    per_row: bool = False,
    hashed: bool = False,
    customer: Customer | None = None,
) -> Q:
    """A condition on a model's foreign key `field` to Customer: the customer is one the user
    may see. With view-all it tests the joined customer's status (a subquery listing every
    customer would be larger than the join); otherwise it tests membership of
    `visible_customer_ids`. `customer`: the rows are of this one customer (the caller also
    filters them by it); when it was read for this user through `visible_customers`
    (`mark_visible`), the condition is only that customer, otherwise the full test.
    `per_row`: the same rule tested on each row's joined customer (its manager, or shared), for
    reads that test few rows: a list read along its own index, newest first, one page at a
    time (the API's cursor pages, the interactions list), which PostgreSQL answers by walking
    the primary key and stopping after the page, where the membership test makes it hash every
    visible row first (1 ms instead of 400 ms for the largest book at a quarter of the volume
    data); or the few hundred candidates of a search. `hashed`: each row tested against the
    user's managed and shared customers, each set hashed once (two `IN`s joined by `OR`, which
    PostgreSQL neither joins nor turns into a hash of the whole list): for thousands of rows
    read along the list's own index, the ids of a deep page of such a list (a rep's interactions
    on page 200: 7 instead of 28 ms); a page's few rows cost less per row, whose hashing costs
    the same 2-3 ms whatever the page."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if customer is not None and getattr(customer, _VISIBLE_TO, None) == user.pk:
        return Q(**{field: customer})
    live = ~Q(**{f"{field}__status": Customer.Status.DELETED})
    if user.has_perm(VIEW_ALL_RIGHT):
        # Not one of the (few) deleted customers, an anti-join on their ids: testing the joined
        # customer made PostgreSQL hash all 100,000 customers for a report's sums.
        deleted = Customer.objects.filter(status=Customer.Status.DELETED).values("pk")
        return ~Q(**{f"{field}__in": deleted})
    if hashed and connection.vendor != "sqlite":
        managed_ids, shared_ids = _managed_and_shared_ids(user)
        return Q(**{f"{field}__in": managed_ids}) | Q(**{f"{field}__in": shared_ids})
    if per_row or connection.vendor == "sqlite":
        # The same rule on the joined customer. SQLite, given a list of ids, reads every row of
        # every listed customer and sorts them; with the join it walks the list's own index in
        # its order and stops at the page. PostgreSQL plans a list well with the ids, except a
        # list read newest first by its own key (the API's cursor pages), see above.
        managed = Q(**{f"{field}__manager": user})
        return live & (managed | Q(**{f"{field}__in": shared_customer_ids(user)}))
    return Q(**{f"{field}__in": visible_customer_ids(user)})


def managed_customer_visibility(user: User, field: str = "customer") -> Q:
    """A condition on a model's foreign key `field` to Customer: a customer the user manages and
    may see (`visible_customers(user).filter(manager=user)`: every live customer they manage).
    A join rather than a subquery, so that the database may start from the other table's index
    (the birthdays of the week) instead of listing the user's customers first."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return Q(**{f"{field}__manager": user}) & ~Q(**{f"{field}__status": Customer.Status.DELETED})


def _edit_condition(user: User) -> Q:
    """Which of the customers the user may see they may also change: managed ones (with
    `sales.change_customer`), those shared with them for editing, or all of them with both
    `change_customer` and view-all."""
    shared = Q(Exists(_shares(user, (EDIT_SHARE,))))
    if user.has_perm(MANAGER_RIGHT):
        if user.has_perm(VIEW_ALL_RIGHT):
            return Q(pk__isnull=False)
        return Q(manager=user) | shared
    return shared


def editable_customers(user: User) -> QuerySet[Customer]:
    """Customers the user may change (`_edit_condition` among the visible ones)."""
    return visible_customers(user).filter(_edit_condition(user))


def with_edit_right(customers: QuerySet[Customer], user: User) -> QuerySet[Customer]:
    """Annotate `editable_by` (the user's pk) and `editable` (`editable_customers`' answer), so
    that a page reading a customer learns whether the user may edit it in the same query.
    `customers` are visible to the user (`visible_customers(user)`, narrowed): only the edit
    condition is left to test."""
    editable = ExpressionWrapper(_edit_condition(user), output_field=BooleanField())
    return customers.annotate(editable_by=Value(user.pk), editable=editable)


def can_edit_customer(user: User, customer: Customer) -> bool:
    """`editable_customers` for one customer (read from `with_edit_right` when it was applied)."""
    if getattr(customer, "editable_by", None) == user.pk:
        return bool(customer.editable)  # type: ignore[attr-defined]
    return editable_customers(user).filter(pk=customer.pk).exists()


def can_create_customer(user: User) -> bool:
    """Create customers (manually, or by winning an opportunity): customer managers."""
    return user.is_active and user.has_perm(MANAGER_RIGHT)


def can_delete_customer(user: User, customer: Customer) -> bool:
    """Soft delete: customer managers, on the customers they may edit."""
    return user.has_perm(MANAGER_RIGHT) and can_edit_customer(user, customer)


def customer_holders() -> QuerySet[User]:
    """The users who may hold (manage) customers: active users of an active role holding
    `MANAGER_RIGHT`. Transfers, imports and opportunity assignments choose from these."""
    return active_users_with_right(MANAGER_RIGHT)


def can_hold_customers(user: User) -> bool:
    return customer_holders().filter(pk=user.pk).exists()


def shareable_customers(user: User) -> QuerySet[Customer]:
    """Customers the user may share: with `sales.share_customer`, the ones they manage, or every
    visible one with view-all."""
    if not user.has_perm(SHARE_RIGHT):
        return Customer.objects.none()
    customers = visible_customers(user)
    if user.has_perm(VIEW_ALL_RIGHT):
        return customers
    return customers.filter(manager=user)


def can_share_customer(user: User, customer: Customer) -> bool:
    """The rule of `shareable_customers` for one customer, answered without a query (the
    customer page asks it): managers share their own customers; holders of view-all share any."""
    if not user.has_perm(SHARE_RIGHT) or customer.status == Customer.Status.DELETED:
        return False
    return user.has_perm(VIEW_ALL_RIGHT) or customer.manager_id == user.pk


def can_transfer_customers(user: User) -> bool:
    return user.has_perm(TRANSFER_RIGHT)


def transferable_customers(user: User) -> QuerySet[Customer]:
    """Customers the user may give another manager: every visible one, with the transfer right."""
    if not can_transfer_customers(user):
        return Customer.objects.none()
    return visible_customers(user)


def visible_losses(user: User) -> QuerySet[CustomerLoss]:
    """Loss records of the customers the user manages; all of them with view-all. Deleted
    customers' records are hidden from everyone: for view-all by an anti-join on the (few)
    deleted customers (`customer_visibility`), not a join of every customer (the losses per
    year at scale 2: 88 -> 20 ms)."""
    losses = CustomerLoss.objects.all()
    if not user.is_authenticated or not user.is_active:
        return losses.none()
    if user.has_perm(VIEW_ALL_RIGHT):
        return losses.filter(customer_visibility(user))
    return losses.filter(managed_customer_visibility(user))


def can_handle_loss(user: User, loss: CustomerLoss) -> bool:
    """Pause or confirm: the customer's manager (or view-all holders) with `sales.handle_loss`."""
    return (
        loss.is_open
        and user.has_perm(LOSS_RIGHT)
        and visible_losses(user).filter(pk=loss.pk).exists()
    )


# Interactions ----------------------------------------------------------------------------------

# Who may comment on (批复) a rep's interactions: a superior who sees every customer.
COMMENT_RIGHT = VIEW_ALL_RIGHT


def visible_activities(
    user: User, customer: Customer | None = None, *, hashed: bool = False
) -> QuerySet[Activity]:
    """The interactions of the customers the user may see (of `customer` only, when given).
    `hashed`: the rule in its form for thousands of rows (`customer_visibility`)."""
    if not user.is_authenticated or not user.is_active or not user.has_perm(VIEW_SHARE_RIGHT):
        return Activity.objects.none()
    if customer is not None:
        return Activity.objects.filter(customer=customer).filter(
            customer_visibility(user, customer=customer)
        )
    # Read newest first along its own index (activity_at): the rule on the joined customer.
    return Activity.objects.filter(customer_visibility(user, per_row=not hashed, hashed=hashed))


def can_comment_activity(user: User, activity: Activity) -> bool:
    """Superiors (who see every customer) comment on the interactions others logged."""
    return (
        user.is_active
        and user.has_perm(VIEW_SHARE_RIGHT)
        and user.has_perm(COMMENT_RIGHT)
        and activity.author_id != user.pk
    )


# Tags and customer groups -----------------------------------------------------------------------

TAGS_RIGHT = "sales.manage_tags"
GROUP_RIGHT = "sales.view_customergroup"
GROUP_SHARE_RIGHT = "sales.share_customergroup"


def can_manage_tags(user: User) -> bool:
    """Create, rename, recolour and delete tags: administrators."""
    return user.is_active and user.has_perm(TAGS_RIGHT)


def can_tag_customer(user: User, customer: Customer) -> bool:
    """Put tags on a customer or take them off: whoever may edit it."""
    return can_edit_customer(user, customer)


def visible_groups(user: User) -> QuerySet[CustomerGroup]:
    """The customer groups a user may use: their own and those shared with the team."""
    if not user.is_authenticated or not user.is_active or not user.has_perm(GROUP_RIGHT):
        return CustomerGroup.objects.none()
    return CustomerGroup.objects.filter(Q(owner=user) | Q(shared=True))


def can_create_group(user: User) -> bool:
    return user.is_active and user.has_perm(GROUP_RIGHT)


def can_share_group(user: User) -> bool:
    return user.is_active and user.has_perm(GROUP_SHARE_RIGHT)


def can_change_group(user: User, group: CustomerGroup) -> bool:
    """Edit or delete a group: its owner; a shared one also the holders of the share right."""
    if not user.is_active or not user.has_perm(GROUP_RIGHT):
        return False
    return group.owner_id == user.pk or (group.shared and can_share_group(user))

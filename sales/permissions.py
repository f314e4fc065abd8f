"""Who may see and change which customers; every view, export, report and e-mail asks here."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from sales.models import Customer, CustomerLoss, CustomerUserObjectPermission

VIEW_SHARE = "view_customer"
EDIT_SHARE = "change_customer"


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
    if user.has_perm("sales.view_all_customers"):
        return customers
    return customers.filter(Q(manager=user) | Exists(_shares(user, (VIEW_SHARE, EDIT_SHARE))))


def visible_customer_ids(user: User) -> QuerySet[Any, Any]:
    """The ids of `visible_customers(user)`, as a subquery for rules built on it (service
    requests). The same rule as a UNION of managed and shared customers instead of an OR, so
    that PostgreSQL reads each half from an index rather than scanning every customer."""
    if not user.is_authenticated or not user.is_active:
        return Customer.objects.none().values("pk")
    live = Customer.objects.exclude(status=Customer.Status.DELETED).order_by()
    if user.has_perm("sales.view_all_customers"):
        return live.values("pk")
    shared = live.filter(pk__in=shared_customer_ids(user))
    return live.filter(manager=user).values("pk").union(shared.values("pk"), all=True)


def customer_visibility(user: User, field: str = "customer") -> Q:
    """A condition on a model's foreign key `field` to Customer: the customer is one the user
    may see. With view-all it tests the joined customer's status (a subquery listing every
    customer would be larger than the join); otherwise it tests membership of
    `visible_customer_ids`."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.has_perm("sales.view_all_customers"):
        return ~Q(**{f"{field}__status": Customer.Status.DELETED})
    return Q(**{f"{field}__in": visible_customer_ids(user)})


def editable_customers(user: User) -> QuerySet[Customer]:
    """Customers the user may change: managed ones (with `sales.change_customer`), those shared
    with them for editing, or all visible ones with both `change_customer` and view-all."""
    customers = visible_customers(user)
    shared = Q(Exists(_shares(user, (EDIT_SHARE,))))
    if user.has_perm("sales.change_customer"):
        if user.has_perm("sales.view_all_customers"):
            return customers
        return customers.filter(Q(manager=user) | shared)
    return customers.filter(shared)


def can_edit_customer(user: User, customer: Customer) -> bool:
    return editable_customers(user).filter(pk=customer.pk).exists()


def can_share_customer(user: User, customer: Customer) -> bool:
    """Managers share their own customers; holders of view-all share any."""
    if not user.has_perm("sales.share_customer") or customer.status == Customer.Status.DELETED:
        return False
    return customer.manager_id == user.pk or user.has_perm("sales.view_all_customers")


def can_transfer_customer(user: User, customer: Customer) -> bool:
    return (
        user.has_perm("sales.transfer_customer")
        and customer.status != Customer.Status.DELETED
        and visible_customers(user).filter(pk=customer.pk).exists()
    )


def visible_losses(user: User) -> QuerySet[CustomerLoss]:
    """Loss records of the customers the user manages; all of them with view-all."""
    losses = CustomerLoss.objects.exclude(customer__status=Customer.Status.DELETED)
    if not user.is_authenticated or not user.is_active:
        return losses.none()
    if user.has_perm("sales.view_all_customers"):
        return losses
    return losses.filter(customer__manager=user)


def can_handle_loss(user: User, loss: CustomerLoss) -> bool:
    """Pause or confirm: the customer's manager (or view-all holders) with `sales.handle_loss`."""
    return (
        loss.is_open
        and user.has_perm("sales.handle_loss")
        and visible_losses(user).filter(pk=loss.pk).exists()
    )

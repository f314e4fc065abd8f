"""Every write of the customers module."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, ProtectedError, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from accounts.services import language_of, notify
from audit.history import update_with_history
from audit.models import AuditEvent
from audit.services import audit_record
from core.dates import months_before
from core.services import sequence_next
from jobs.mail import deliver, queue_mail, tell_admins
from sales import summaries
from sales.birthdays import birthdays_in
from sales.filters import filter_params, group_filterset
from sales.models import (
    Activity,
    ActivityComment,
    BirthdayReminder,
    Contact,
    Customer,
    CustomerGroup,
    CustomerLoss,
    CustomerTag,
    CustomerTransfer,
    CustomerUserObjectPermission,
    LossMeasure,
    Order,
    OrderLine,
    Tag,
)
from sales.permissions import (
    EDIT_SHARE,
    VIEW_SHARE,
    can_change_group,
    can_comment_activity,
    can_create_customer,
    can_create_group,
    can_delete_customer,
    can_edit_customer,
    can_handle_loss,
    can_hold_customers,
    can_manage_tags,
    can_share_customer,
    can_share_group,
    can_tag_customer,
    can_transfer_customers,
    shareable_customers,
    transferable_customers,
)

CUSTOMER_SEQUENCE = "customer"

# Refusals (tests match these).
CREATE_DENIED = gettext_lazy("You may not create customers.")
EDIT_DENIED = gettext_lazy("You may not change this customer.")
DELETE_DENIED = gettext_lazy("You may not delete this customer.")
CUSTOMER_DELETED = gettext_lazy("This customer has been deleted.")
NOT_A_HOLDER = gettext_lazy("Choose an active user who can hold customers.")
TRANSFER_DENIED = gettext_lazy("You may not transfer customers.")
SHARE_DENIED = gettext_lazy("You may not share these customers.")
SHARE_INACTIVE = gettext_lazy("Choose an active user.")
LOSS_DENIED = gettext_lazy("You may not handle this loss record.")
LOSS_CLOSED = gettext_lazy("This loss record is %(status)s already; it cannot be changed.")
MEASURE_REQUIRED = gettext_lazy("Describe the retention measure.")
REASON_REQUIRED = gettext_lazy("Give the reason for the loss.")


def _lazy_text(render: Callable[[], str]) -> Any:
    """A text rendered when used (`notify` renders it in the recipient's language)."""
    return lazy(render, str)()


def customer_numbers(count: int = 1) -> list[str]:
    """Reserve `count` new customer numbers: KH + yymmdd + a counter, at most 17 characters.

    The counter is global and locked while the caller's transaction runs, so numbers stay unique
    under concurrent creation (and a rolled-back creation gives its number back).
    """
    first = sequence_next(key=CUSTOMER_SEQUENCE, count=count)
    today = timezone.localdate()
    return [f"KH{today:%y%m%d}{number:05d}" for number in range(first, first + count)]


@transaction.atomic
def customer_create(*, actor: User, name: str, manager: User, **fields: Any) -> Customer:
    """Create a customer with a new KH number (manually, or from a won opportunity)."""
    if not can_create_customer(actor):
        raise ValidationError(CREATE_DENIED)
    customer = Customer(number=customer_numbers()[0], name=name, manager=manager, **fields)
    customer.full_clean(exclude=["number"])
    customer.save()
    return customer


@transaction.atomic
def contact_create(*, actor: User, customer: Customer, name: str, **fields: Any) -> Contact:
    """Add a contact person to a customer."""
    _check_editable(actor, customer)
    contact = Contact(customer=customer, name=name, **fields)
    contact.full_clean(exclude=["customer"])
    contact.save()
    return contact


def _check_editable(actor: User, customer: Customer) -> None:
    if not can_edit_customer(actor, customer):
        raise ValidationError(EDIT_DENIED)


def _locked_customer(customer: Customer) -> Customer:
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.status == Customer.Status.DELETED:
        raise ValidationError(CUSTOMER_DELETED)
    return locked


@transaction.atomic
def customer_update(*, actor: User, customer: Customer, **fields: Any) -> Customer:
    """Change a customer's fields (not its number, manager or status)."""
    customer = _locked_customer(customer)
    _check_editable(actor, customer)
    for name, value in fields.items():
        if name in {"number", "manager", "manager_id", "status"}:
            raise ValueError(f"{name} is not changed by customer_update")
        setattr(customer, name, value)
    customer.full_clean(exclude=["number"])
    customer.save()
    return customer


@transaction.atomic
def customer_delete(*, actor: User, customer: Customer) -> Customer:
    """Soft delete: status 3; the customer disappears from every list, report and search."""
    customer = _locked_customer(customer)
    if not can_delete_customer(actor, customer):
        raise ValidationError(DELETE_DENIED)
    customer.status = Customer.Status.DELETED
    customer.save(update_fields=["status", "updated_at"])
    # Its lines leave the product summary (which counts the customers that are not deleted).
    summaries.apply_orders(customer.orders.all())
    return customer


@transaction.atomic
def customer_transfer(
    *, actor: User, customers: Iterable[Customer], to_manager: User, note: str = ""
) -> int:
    """Give customers another manager; the previous one loses access (unless shared). Customers
    outside the actor's scope, or deleted meanwhile, are left alone."""
    if not can_transfer_customers(actor):
        raise ValidationError(TRANSFER_DENIED)
    if not can_hold_customers(to_manager):
        raise ValidationError(NOT_A_HOLDER)
    locked = Customer.objects.select_for_update().filter(
        pk__in=transferable_customers(actor).filter(pk__in=[customer.pk for customer in customers])
    )
    chosen = [c for c in locked.order_by("pk") if c.manager_id != to_manager.pk]
    # Their orders' lines move to the new manager's rows of the per-manager product summary.
    with summaries.customers_regrouped(customer.pk for customer in chosen):
        for customer in chosen:
            CustomerTransfer.objects.create(
                customer=customer,
                from_manager_id=customer.manager_id,
                to_manager=to_manager,
                transferred_by=actor,
                note=note,
            )
            audit_record(
                action=AuditEvent.Action.CUSTOMER_TRANSFER,
                actor=actor,
                obj=customer,
                details={"from": str(customer.manager), "to": str(to_manager), "note": note},
            )
            customer.manager = to_manager
            customer.save(update_fields=["manager", "updated_at"])
            # A share held by the new manager is now redundant.
            CustomerUserObjectPermission.objects.filter(
                content_object=customer, user=to_manager
            ).delete()
    moved = len(chosen)
    if moved:
        notify(
            user=to_manager,
            text=_lazy_text(
                lambda: (
                    ngettext(
                        "%(count)d customer was transferred to you.",
                        "%(count)d customers were transferred to you.",
                        moved,
                    )
                    % {"count": moved}
                )
            ),
            link=reverse("sales:customer-list"),
        )
    return moved


def _share_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="sales", codename=codename)


@transaction.atomic
def customer_share(
    *, actor: User, customers: Iterable[Customer], user: User, can_edit: bool
) -> int:
    """Let `user` view (or also edit) the customers; replaces an earlier share of theirs. Every
    customer must be one the actor may share. The customers' rows are locked first (in one
    order), so simultaneous shares of one customer run one after the other instead of
    inserting the same grant twice."""
    if not user.is_active:
        raise ValidationError(SHARE_INACTIVE)
    customers = list(customers)
    allowed = set(
        shareable_customers(actor)
        .filter(pk__in=[customer.pk for customer in customers])
        .values_list("pk", flat=True)
    )
    if any(customer.pk not in allowed for customer in customers):
        raise ValidationError(SHARE_DENIED)
    list(Customer.objects.select_for_update().filter(pk__in=allowed).order_by("pk").values("pk"))
    codenames = (VIEW_SHARE, EDIT_SHARE) if can_edit else (VIEW_SHARE,)
    permissions = [_share_permission(codename) for codename in codenames]
    shared = 0
    for customer in customers:
        if customer.manager_id == user.pk:
            continue
        CustomerUserObjectPermission.objects.filter(content_object=customer, user=user).delete()
        CustomerUserObjectPermission.objects.bulk_create(
            CustomerUserObjectPermission(content_object=customer, user=user, permission=permission)
            for permission in permissions
        )
        audit_record(
            action=AuditEvent.Action.CUSTOMER_SHARE,
            actor=actor,
            obj=customer,
            details={"user": str(user), "can_edit": can_edit},
        )
        shared += 1
    return shared


@transaction.atomic
def customer_unshare(*, actor: User, customer: Customer, user: User) -> None:
    if not can_share_customer(actor, customer):
        raise ValidationError(SHARE_DENIED)
    CustomerUserObjectPermission.objects.filter(content_object=customer, user=user).delete()
    audit_record(
        action=AuditEvent.Action.CUSTOMER_UNSHARE,
        actor=actor,
        obj=customer,
        details={"user": str(user)},
    )


def customer_shares(customer: Customer) -> list[dict[str, Any]]:
    """Who the customer is shared with, and whether they may edit."""
    rows: dict[int, dict[str, Any]] = {}
    for grant in customer.grants.select_related("user", "permission").order_by("user_id"):
        row = rows.setdefault(grant.user_id, {"user": grant.user, "can_edit": False})
        row["can_edit"] = row["can_edit"] or grant.permission.codename == EDIT_SHARE
    return list(rows.values())


# Contacts and interactions ----------------------------------------------------------------------


@transaction.atomic
def contact_update(*, actor: User, contact: Contact, **fields: Any) -> Contact:
    _check_editable(actor, contact.customer)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean(exclude=["customer"])
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, actor: User, contact: Contact) -> None:
    _check_editable(actor, contact.customer)
    contact.delete()


@transaction.atomic
def activity_save(*, actor: User, activity: Activity, **fields: Any) -> Activity:
    """Create (unsaved `activity` with its customer) or update an interaction. A new one is
    logged by the actor; its time defaults to now (a past time is fine: it is a record)."""
    _check_editable(actor, activity.customer)
    for name, value in fields.items():
        setattr(activity, name, value)
    if activity.pk is None:
        activity.author = activity.author or actor
        activity.occurred_at = activity.occurred_at or timezone.now()
    activity.full_clean(exclude=["customer", "author"])
    activity.save()
    return activity


ACTIVITY_COMMENT_DENIED = gettext_lazy(
    "Only a superior may comment on an interaction someone else logged."
)
ACTIVITY_COMMENT_EMPTY = gettext_lazy("A comment cannot be empty.")


@transaction.atomic
def activity_comment_add(*, actor: User, activity: Activity, text: str) -> ActivityComment:
    """A superior's comment (批复) on an interaction; the rep who logged it is notified, with a
    link to the interaction."""
    if not can_comment_activity(actor, activity):
        raise ValidationError(ACTIVITY_COMMENT_DENIED)
    if not text.strip():
        raise ValidationError(ACTIVITY_COMMENT_EMPTY)
    comment = ActivityComment.objects.create(activity=activity, author=actor, text=text.strip())
    rep = activity.author
    if rep is not None and rep.is_active and rep.pk != actor.pk:
        with translation.override(rep.language or settings.LANGUAGE_CODE):
            message = _("%(user)s commented on your interaction “%(title)s”.") % {
                "user": actor,
                "title": activity.title,
            }
        link = reverse("sales:activity-detail", args=[activity.customer.number, activity.pk])
        notify(user=rep, text=message, link=link)
    return comment


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    _check_editable(actor, activity.customer)
    activity.delete()


# Orders and customer loss -----------------------------------------------------------------------


@transaction.atomic
def refresh_order_amounts(orders: QuerySet[Order], *, created: bool = False) -> int:
    """Store each order's amount (Σ count × unit price of its lines) on the order, and bring the
    monthly summaries up to date with the orders and their lines (`summaries.apply_orders`;
    `created`: these orders are new, written with their lines in this transaction): every
    writer of orders or lines calls this in its transaction."""
    totals = (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(total=Sum(F("count") * F("unit_price")))
        .values("total")
    )
    updated = orders.update(amount=Coalesce(Subquery(totals), Value(Decimal(0))))
    summaries.apply_orders(orders, created=created)
    return updated


def recover_losses(*, customer_ids: Iterable[int]) -> int:
    """Close the open loss records of customers who ordered again."""
    return CustomerLoss.objects.filter(
        customer_id__in=list(customer_ids), status__in=CustomerLoss.OPEN
    ).update(status=CustomerLoss.Status.RECOVERED, recovered_at=timezone.now())


LOSS_AFTER_MONTHS = 6


def loss_cutoff(today: datetime.date) -> datetime.date:
    """The date six months before `today`."""
    return months_before(today, LOSS_AFTER_MONTHS)


@transaction.atomic
def detect_customer_loss(*, today: datetime.date | None = None) -> int:
    """Open a warning for every normal customer without an order for over six months (counted
    from its creation when it never ordered) and without an open loss record. Idempotent: a
    second run finds nothing new; the partial unique index guards concurrent runs."""
    today = today or timezone.localdate()
    cutoff = loss_cutoff(today)
    last_order = Order.objects.filter(customer=OuterRef("pk")).order_by("-date").values("date")[:1]
    open_loss = CustomerLoss.objects.filter(customer=OuterRef("pk"), status__in=CustomerLoss.OPEN)
    candidates = (
        Customer.objects.filter(status=Customer.Status.NORMAL)
        .annotate(last_order=Subquery(last_order))
        .filter(Q(last_order__lt=cutoff) | Q(last_order__isnull=True, created_at__date__lt=cutoff))
        .exclude(Exists(open_loss))
        .values_list("pk", "last_order", "manager_id")
    )
    created = CustomerLoss.objects.bulk_create(
        (
            CustomerLoss(
                customer_id=pk,
                manager_id=manager,
                last_order_date=last,
                status=CustomerLoss.Status.WARNING,
            )
            for pk, last, manager in candidates.iterator(chunk_size=2000)
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )
    return len(created)


def _locked_open_loss(loss: CustomerLoss) -> CustomerLoss:
    locked = CustomerLoss.objects.select_for_update().get(pk=loss.pk)
    if not locked.is_open:
        raise ValidationError(LOSS_CLOSED % {"status": locked.get_status_display()})
    return locked


def _handled_loss(actor: User, loss: CustomerLoss) -> CustomerLoss:
    locked = _locked_open_loss(loss)
    if not can_handle_loss(actor, locked):
        raise ValidationError(LOSS_DENIED)
    return locked


@transaction.atomic
def loss_pause(*, actor: User, loss: CustomerLoss, measure: str) -> CustomerLoss:
    """Append a retention measure and set the record to paused (status 2)."""
    if not measure.strip():
        raise ValidationError({"measure": MEASURE_REQUIRED})
    loss = _handled_loss(actor, loss)
    LossMeasure.objects.create(loss=loss, text=measure.strip(), created_by=actor)
    loss.status = CustomerLoss.Status.PAUSED
    loss.save(update_fields=["status", "updated_at"])
    return loss


@transaction.atomic
def loss_confirm(*, actor: User, loss: CustomerLoss, reason: str) -> CustomerLoss:
    """Confirm the loss with a reason: status 3, the date, and the customer becomes lost."""
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    loss = _handled_loss(actor, loss)
    loss.status = CustomerLoss.Status.CONFIRMED
    loss.reason = reason.strip()
    loss.confirmed_at = timezone.now()
    loss.manager_id = Customer.objects.values_list("manager_id", flat=True).get(pk=loss.customer_id)
    loss.save(update_fields=["status", "reason", "confirmed_at", "manager", "updated_at"])
    # Saved (not updated) so that the customer's change history shows it.
    for customer in Customer.objects.filter(pk=loss.customer_id).exclude(
        status=Customer.Status.DELETED
    ):
        customer.status = Customer.Status.LOST
        customer.save(update_fields=["status", "updated_at"])
    return loss


# Birthday reminders -----------------------------------------------------------------------------


@dataclass
class BirthdayRun:
    reminded: int = 0
    mail_failed: int = 0  # e-mails the mail server refused; the outbox retries them


BIRTHDAY_MAIL_FAILED = gettext_lazy(
    "{count} birthday reminder e-mail(s) could not be sent today; they will be retried for "
    "{hours} hours. Check the mail server."
)


def send_birthday_reminders(*, today: datetime.date | None = None) -> BirthdayRun:
    """Remind each contact's customer manager (in-app and by e-mail, in the manager's language)
    of today's birthdays. Each contact is reminded once a year: the reminder row, the
    notification and the outgoing e-mail are written together, so a second run sends nothing
    twice. The e-mail leaves through the outbox: when the mail server is down, the reminder and
    the notification stay, the e-mail is retried later and the administrators are told."""
    today = today or timezone.localdate()
    contacts = (
        Contact.objects.filter(birthdays_in(today))
        .exclude(customer__status=Customer.Status.DELETED)
        .filter(customer__manager__is_active=True)
        .exclude(reminders__year=today.year)
        .select_related("customer__manager")
        .order_by("pk")
    )
    run = BirthdayRun()
    for contact in contacts.iterator(chunk_size=500):
        manager = contact.customer.manager
        mail = None
        with transaction.atomic():
            _reminder, created = BirthdayReminder.objects.get_or_create(
                contact=contact, year=today.year, defaults={"manager": manager}
            )
            if not created:
                continue  # another run got there first
            link = reverse("sales:customer-detail", args=[contact.customer.number])
            with translation.override(language_of(manager)):
                text = _("Today is the birthday of %(contact)s (%(customer)s).") % {
                    "contact": contact.name,
                    "customer": contact.customer.name,
                }
                subject = _("Birthday reminder: %(contact)s") % {"contact": contact.name}
            notify(user=manager, text=text, link=link)
            if manager.email:
                mail = queue_mail(
                    subject=subject, body=text, to=[manager.email], purpose="birthday-reminder"
                )
        run.reminded += 1
        if mail is not None and not deliver(mail):
            run.mail_failed += 1
    if run.mail_failed:
        tell_admins(
            format_lazy(
                BIRTHDAY_MAIL_FAILED, count=run.mail_failed, hours=settings.OUTBOX_RETRY_HOURS
            )
        )
    return run


def customer_records_move(*, source: Customer, target: Customer) -> dict[str, int]:
    """Give a merged customer's contacts, interactions, orders, loss records, transfers and
    shares to the survivor. Called by the merge, inside its transaction, with both customers
    locked: it checks no right of its own. An open loss record moves only if the survivor has
    none (one open record per customer); otherwise it is closed as recovered. A share the
    survivor already grants the same user is dropped."""
    if CustomerLoss.objects.filter(customer=target, status__in=CustomerLoss.OPEN).exists():
        CustomerLoss.objects.filter(customer=source, status__in=CustomerLoss.OPEN).update(
            status=CustomerLoss.Status.RECOVERED, recovered_at=timezone.now()
        )
    held = CustomerUserObjectPermission.objects.filter(
        content_object=target, user=OuterRef("user"), permission=OuterRef("permission")
    )
    CustomerUserObjectPermission.objects.filter(content_object=source).filter(Exists(held)).delete()
    # Contacts, interactions and orders have a change history: the move is recorded.
    # The moved orders' lines count for the survivor's manager in the product summary per
    # manager; the source's monthly rows become the survivor's (the product summary does not
    # change).
    with summaries.customers_regrouped([source.pk, target.pk]):
        orders = update_with_history(Order.objects.filter(customer=source), customer=target)
    summaries.apply_orders(Order.objects.none(), customers=[source.pk, target.pk])
    return {
        "contacts": update_with_history(Contact.objects.filter(customer=source), customer=target),
        "activities": update_with_history(
            Activity.objects.filter(customer=source), customer=target
        ),
        "orders": orders,
        "losses": CustomerLoss.objects.filter(customer=source).update(customer=target),
        "transfers": CustomerTransfer.objects.filter(customer=source).update(customer=target),
        "shares": CustomerUserObjectPermission.objects.filter(content_object=source).update(
            content_object=target
        ),
    }


# Tags -------------------------------------------------------------------------------------------

TAGS_DENIED = gettext_lazy("You may not manage tags.")
TAG_NAME_TAKEN = gettext_lazy("A tag with this name exists already.")
TAG_CUSTOMER_DENIED = gettext_lazy("You may not change the tags of “%(name)s”.")
TAGS_NONE_CHOSEN = gettext_lazy("Choose at least one tag.")
TAG_NAME_INVALID = gettext_lazy("A tag's name cannot hold control characters.")


@transaction.atomic
def tag_save(*, actor: User, tag: Tag | None = None, name: str, colour: str) -> Tag:
    """Create a tag (`tag=None`) or rename and recolour one."""
    if not can_manage_tags(actor):
        raise ValidationError(TAGS_DENIED)
    tag = tag or Tag()
    tag.name, tag.colour = name.strip(), colour
    if any(ord(char) < 32 for char in tag.name):
        raise ValidationError({"name": TAG_NAME_INVALID})
    if Tag.objects.filter(name__iexact=tag.name).exclude(pk=tag.pk).exists():
        raise ValidationError({"name": TAG_NAME_TAKEN})
    tag.full_clean(validate_unique=False)
    tag.save()
    return tag


@transaction.atomic
def tag_delete(*, actor: User, tag: Tag) -> None:
    """Delete a tag: it comes off every customer and opportunity that carried it."""
    if not can_manage_tags(actor):
        raise ValidationError(TAGS_DENIED)
    tag.delete()


def _check_taggable(actor: User, customers: Iterable[Customer]) -> list[Customer]:
    customers = list(customers)
    for customer in customers:
        if not can_tag_customer(actor, customer):
            raise ValidationError(TAG_CUSTOMER_DENIED % {"name": customer.name})
    return customers


@transaction.atomic
def customer_tags_set(*, actor: User, customer: Customer, tags: Iterable[Tag]) -> Customer:
    """Make `tags` the customer's tags (those not listed come off)."""
    (customer,) = _check_taggable(actor, [_locked_customer(customer)])
    wanted = {tag.pk for tag in tags}
    current = set(CustomerTag.objects.filter(customer=customer).values_list("tag", flat=True))
    CustomerTag.objects.filter(customer=customer, tag__in=current - wanted).delete()
    CustomerTag.objects.bulk_create(
        [CustomerTag(customer=customer, tag_id=pk) for pk in wanted - current]
    )
    return customer


@transaction.atomic
def customer_tags_bulk(
    *, actor: User, customers: Iterable[Customer], tags: Iterable[Tag], remove: bool = False
) -> int:
    """Add `tags` to every customer (or take them off, `remove=True`), all or nothing: when the
    actor may not tag one of them, nothing changes and the error names it. Returns how many
    customers were given."""
    tags = list(tags)
    if not tags:
        raise ValidationError(TAGS_NONE_CHOSEN)
    locked = Customer.objects.select_for_update().filter(pk__in=[c.pk for c in customers])
    chosen = _check_taggable(actor, locked.exclude(status=Customer.Status.DELETED).order_by("pk"))
    links = CustomerTag.objects.filter(customer__in=chosen, tag__in=tags)
    if remove:
        links.delete()
    else:
        CustomerTag.objects.bulk_create(
            [CustomerTag(customer=customer, tag=tag) for customer in chosen for tag in tags],
            ignore_conflicts=True,
        )
    return len(chosen)


# Customer groups --------------------------------------------------------------------------------

GROUP_DENIED = gettext_lazy("You may not change this customer group.")
GROUP_IN_USE = gettext_lazy(
    "The customer group “%(name)s” is the target of a campaign and cannot be deleted."
)
GROUP_SHARE_DENIED = gettext_lazy("You may not share customer groups with the team.")
GROUP_NAME_TAKEN = gettext_lazy("You have a customer group with this name already.")
GROUP_FILTERS_INVALID = gettext_lazy("The saved filter is not valid: %(errors)s")
GROUP_RIGHT_DENIED = gettext_lazy("You may not create customer groups.")


def group_filters_clean(filters: Any) -> dict[str, Any]:
    """A customer-list filter validated by the list's own FilterSet, as the values to store
    (without a group, a selection of rows or an order); ValidationError when not valid."""
    if not isinstance(filters, dict):
        raise ValidationError(GROUP_FILTERS_INVALID % {"errors": "{}"})
    bound = group_filterset(filters, queryset=Customer.objects.none(), user=None)
    if not bound.is_valid():
        errors = "; ".join(
            f"{bound.form.fields[name].label if name in bound.form.fields else name}: "
            + " ".join(str(message) for message in messages)
            for name, messages in bound.form.errors.items()
        )
        raise ValidationError(GROUP_FILTERS_INVALID % {"errors": errors})
    return filter_params(bound.form.cleaned_data)


@transaction.atomic
def group_save(
    *,
    actor: User,
    group: CustomerGroup | None = None,
    name: str,
    shared: bool = False,
    filters: dict[str, Any] | None = None,
) -> CustomerGroup:
    """Create a customer group owned by the actor, or change one (name, sharing, and the filter
    when `filters` is given)."""
    if group is None:
        if not can_create_group(actor):
            raise ValidationError(GROUP_RIGHT_DENIED)
        group = CustomerGroup(owner=actor)
    else:
        group = CustomerGroup.objects.select_for_update().get(pk=group.pk)
        if not can_change_group(actor, group):
            raise ValidationError(GROUP_DENIED)
    if shared and not group.shared and not can_share_group(actor):
        raise ValidationError(GROUP_SHARE_DENIED)
    group.name, group.shared = name.strip(), shared
    if filters is not None:
        group.filters = group_filters_clean(filters)
    duplicate = CustomerGroup.objects.filter(owner=group.owner, name=group.name)
    if duplicate.exclude(pk=group.pk).exists():
        raise ValidationError({"name": GROUP_NAME_TAKEN})
    group.full_clean(exclude=["owner"], validate_unique=False)
    group.save()
    return group


@transaction.atomic
def group_delete(*, actor: User, group: CustomerGroup) -> None:
    if not can_change_group(actor, group):
        raise ValidationError(GROUP_DENIED)
    try:
        group.delete()
    except ProtectedError as error:  # a campaign (marketing) targets it
        raise ValidationError(GROUP_IN_USE % {"name": group.name}) from error


# Orders written by the CRM (from an accepted quote) -----------------------------------------------

# The sales system never numbers an order so; the order import refuses these numbers.
CRM_ORDER_PREFIX = "CRM"
ORDER_SEQUENCE = "crm-order"
ORDER_DENIED = gettext_lazy("You may not create orders for this customer.")
ORDER_NO_LINES = gettext_lazy("An order needs at least one line.")
ORDER_LINE_INVALID = gettext_lazy(
    "Line %(line)d: the count must be at least 1 and the unit price cannot be negative."
)


@dataclass(frozen=True)
class NewOrderLine:
    product_id: int
    count: int
    unit_price: Decimal
    unit: str = ""


def order_numbers(count: int = 1) -> list[str]:
    """Reserve `count` order numbers: CRM + yymmdd + a counter (locked like `customer_numbers`)."""
    first = sequence_next(key=ORDER_SEQUENCE, count=count)
    today = timezone.localdate()
    return [
        f"{CRM_ORDER_PREFIX}{today:%y%m%d}{number:05d}" for number in range(first, first + count)
    ]


@transaction.atomic
def order_create(
    *,
    actor: User,
    customer: Customer,
    lines: Iterable[NewOrderLine],
    date: datetime.date | None = None,
    address: str | None = None,
    status: int = Order.Status.NEW,
) -> Order:
    """An order written by the CRM (a quote accepted by the customer), numbered `CRM…`: the order
    and its lines, then, as the order import does, its amount and the monthly summaries
    (`refresh_order_amounts(…, created=True)`) and the recovery of the customer's open loss."""
    from sales.permissions import visible_customers

    if not visible_customers(actor).filter(pk=customer.pk).exists():
        raise ValidationError(ORDER_DENIED)
    lines = list(lines)
    if not lines:
        raise ValidationError(ORDER_NO_LINES)
    for index, line in enumerate(lines, 1):
        if line.count < 1 or line.unit_price < 0:
            raise ValidationError(ORDER_LINE_INVALID % {"line": index})
    limit = Order._meta.get_field("address").max_length or 200
    order = Order.objects.create(
        number=order_numbers()[0],
        customer=customer,
        date=date or timezone.localdate(),
        address=(customer.address if address is None else address)[:limit],
        status=status,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product_id=line.product_id,
            count=line.count,
            unit=line.unit,
            unit_price=line.unit_price,
        )
        for line in lines
    )
    refresh_order_amounts(Order.objects.filter(pk=order.pk), created=True)
    recover_losses(customer_ids=[customer.pk])
    order.refresh_from_db(fields=["amount"])
    return order

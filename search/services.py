"""Merging duplicate customers: one transaction, both customers locked, every record moved.

The records belong to several apps (service requests, tasks, attachments): each app moves its
own through its "move to customer" service; this module, above them all, runs the merge."""

from collections.abc import Callable, Mapping
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from documents.services import attachments_move
from marketing.services import quotes_move_to_customer
from sales.models import Customer
from sales.permissions import visible_customers
from sales.services import customer_records_move
from service.services import service_requests_move_to_customer
from tasks.services import tasks_move_to_customer

MERGE_RIGHT = "sales.merge_customer"
MERGE_DENIED = gettext_lazy("You may not merge customers.")
MERGE_SAME = gettext_lazy("Choose two different customers.")
MERGE_NOT_VISIBLE = gettext_lazy(
    "You may only merge customers you can see, and neither may be merged or deleted already."
)
# The fields whose value the user chooses, field by field (the survivor's, or the other's).
MERGE_FIELDS = (
    "name", "region", "level", "satisfaction", "credit", "address", "zip_code", "phone", "fax",
    "website", "licence_no", "legal_person", "registered_capital", "turnover", "bank",
    "bank_account", "local_tax_no", "national_tax_no", "manager",
)  # fmt: skip
TAKE_OTHER = "other"
# Every app's "move a customer's records to another" service, (name in the counts, service):
# another app's records join the merge with one line here.
MOVES: tuple[tuple[str, Callable[..., int]], ...] = (
    ("quotes", quotes_move_to_customer),
    ("service_requests", service_requests_move_to_customer),
    ("tasks", tasks_move_to_customer),
    ("attachments", partial(attachments_move, kind="customer")),
)


@transaction.atomic
def customer_merge(
    *, actor: User, survivor: Customer, other: Customer, choices: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Merge `other` into `survivor`: the fields chosen as `TAKE_OTHER` take the other's value,
    every record of the other moves to the survivor, and the other is marked merged (deleted,
    with `merged_into`, so its number leads to the survivor). Both customers are locked in the
    order of their ids, so two merges of the same pair cannot deadlock. Returns the moved counts."""
    if not actor.has_perm(MERGE_RIGHT):
        raise ValidationError(MERGE_DENIED)
    if survivor.pk == other.pk:
        raise ValidationError(MERGE_SAME)
    pair = visible_customers(actor).filter(pk__in=[survivor.pk, other.pk])
    locked = {customer.pk: customer for customer in pair.order_by("pk").select_for_update()}
    if len(locked) != 2:
        raise ValidationError(MERGE_NOT_VISIBLE)
    survivor, other = locked[survivor.pk], locked[other.pk]
    changed = []
    for field, side in (choices or {}).items():
        if field in MERGE_FIELDS and side == TAKE_OTHER:
            setattr(survivor, field, getattr(other, field))
            changed.append(field)
    if changed:
        survivor.save(update_fields=[*changed, "updated_at"])
    moved = customer_records_move(source=other, target=survivor)
    for name, move in MOVES:
        moved[name] = move(source=other, target=survivor)
    other.status = Customer.Status.DELETED
    other.merged_into = survivor
    other.save(update_fields=["status", "merged_into", "updated_at"])
    audit_record(
        action=AuditEvent.Action.CUSTOMER_MERGE,
        actor=actor,
        obj=survivor,
        details={
            "survivor": survivor.number,
            "merged": other.number,
            "merged_name": other.name,
            "fields": changed,
            "moved": moved,
        },
    )
    return moved

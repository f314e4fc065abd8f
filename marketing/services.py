"""Every write of the marketing module. Transitions lock the opportunity and re-check its status,
so acting twice, or two people at once, never skips a state or creates two customers."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import notify
from marketing.models import ChanceAssignment, PlanItem, SalesChance
from marketing.permissions import (
    PLAN_RIGHT,
    can_assign_chance,
    can_create_chance,
    can_develop_chance,
    can_edit_chance,
    can_plan_chance,
    can_reassign_chance,
)
from sales.models import Customer
from sales.permissions import customer_holders
from sales.services import contact_create, customer_create

# Refusals and errors (tests match these).
STATUS_CHANGED = gettext_lazy(
    "This opportunity is “%(status)s” now; the action was not carried out."
)
CREATE_DENIED = gettext_lazy("You may not create opportunities.")
UPDATE_DENIED = gettext_lazy("Only its creator or a supervisor may change this opportunity.")
DELETE_DENIED = gettext_lazy("Only its creator or a supervisor may delete this opportunity.")
ASSIGN_DENIED = gettext_lazy("You may not assign opportunities.")
NOT_ASSIGNABLE = gettext_lazy("Choose an active customer manager.")
SAME_ASSIGNEE = gettext_lazy("The opportunity is assigned to this user already.")
DEVELOP_DENIED = gettext_lazy("Only the assigned customer manager develops this opportunity.")
RESULT_REQUIRED = gettext_lazy("Describe the result.")

CHANCE_FIELDS = (
    "source",
    "customer_name",
    "title",
    "rate",
    "contact",
    "contact_phone",
    "description",
    "expected_amount",
    "expected_close_date",
)


def _locked(chance: SalesChance, *statuses: int) -> SalesChance:
    """The opportunity, locked until the transaction ends, provided it is in one of `statuses`."""
    locked = SalesChance.objects.select_for_update().get(pk=chance.pk)
    if locked.status not in statuses:
        raise ValidationError(STATUS_CHANGED % {"status": locked.get_status_display()})
    return locked


def _check_fields(chance: SalesChance) -> None:
    chance.full_clean(exclude=["creator", "assignee", "customer", "status"])


@transaction.atomic
def chance_create(*, actor: User, **fields: Any) -> SalesChance:
    if not can_create_chance(actor):
        raise ValidationError(CREATE_DENIED)
    chance = SalesChance(creator=actor, status=SalesChance.Status.UNASSIGNED)
    for name in CHANCE_FIELDS:
        if name in fields:
            setattr(chance, name, fields[name])
    _check_fields(chance)
    chance.save()
    return chance


@transaction.atomic
def chance_update(*, actor: User, chance: SalesChance, **fields: Any) -> SalesChance:
    chance = _locked(chance, SalesChance.Status.UNASSIGNED)
    if not can_edit_chance(actor, chance):
        raise ValidationError(UPDATE_DENIED)
    for name in CHANCE_FIELDS:
        if name in fields:
            setattr(chance, name, fields[name])
    _check_fields(chance)
    chance.save()
    return chance


@transaction.atomic
def chance_delete(*, actor: User, chance: SalesChance) -> None:
    chance = _locked(chance, SalesChance.Status.UNASSIGNED)
    if not can_edit_chance(actor, chance):
        raise ValidationError(DELETE_DENIED)
    chance.delete()


def assignable_users() -> QuerySet[User]:
    """Who may be given opportunities: users who may hold customers (a won opportunity becomes
    their customer) and whose role may also develop opportunities."""
    return customer_holders().filter(role__rights__code=PLAN_RIGHT)


def _assign(actor: User, chance: SalesChance, assignee: User) -> SalesChance:
    """Assign or re-assign `chance` (locked; its status checked by the caller's rule)."""
    if not assignable_users().filter(pk=assignee.pk).exists():
        raise ValidationError(NOT_ASSIGNABLE)
    ChanceAssignment.objects.create(
        chance=chance, from_user_id=chance.assignee_id, to_user=assignee, assigned_by=actor
    )
    chance.assignee = assignee
    chance.assigned_at = timezone.now()
    chance.status = SalesChance.Status.ASSIGNED
    chance.save(update_fields=["assignee", "assigned_at", "status", "updated_at"])
    title = chance.title
    notify(
        user=assignee,
        text=lazy(
            lambda: _("An opportunity was assigned to you: %(title)s") % {"title": title}, str
        )(),
        link=reverse("marketing:development-detail", args=[chance.pk]),
    )
    return chance


@transaction.atomic
def chance_assign(*, actor: User, chance: SalesChance, assignee: User) -> SalesChance:
    """Assign an unassigned opportunity (status 2); the assignee is notified."""
    chance = _locked(chance, SalesChance.Status.UNASSIGNED)
    if not can_assign_chance(actor, chance):
        raise ValidationError(ASSIGN_DENIED)
    return _assign(actor, chance, assignee)


@transaction.atomic
def chance_reassign(*, actor: User, chance: SalesChance, assignee: User) -> SalesChance:
    """Give a developing opportunity to another manager; recorded like the first assignment."""
    chance = _locked(chance, SalesChance.Status.ASSIGNED)
    if not can_reassign_chance(actor, chance):
        raise ValidationError(ASSIGN_DENIED)
    if chance.assignee_id == assignee.pk:
        raise ValidationError(SAME_ASSIGNEE)
    return _assign(actor, chance, assignee)


def _developing(actor: User, chance: SalesChance, rule: Any = can_develop_chance) -> SalesChance:
    chance = _locked(chance, SalesChance.Status.ASSIGNED)
    if not rule(actor, chance):
        raise ValidationError(DEVELOP_DENIED)
    return chance


@transaction.atomic
def plan_add(*, actor: User, chance: SalesChance, date: datetime.date, todo: str) -> PlanItem:
    chance = _developing(actor, chance, can_plan_chance)
    item = PlanItem(chance=chance, date=date, todo=todo.strip())
    item.full_clean(exclude=["chance"])
    item.save()
    return item


@transaction.atomic
def plan_update(*, actor: User, item: PlanItem, date: datetime.date, todo: str) -> PlanItem:
    _developing(actor, item.chance, can_plan_chance)
    item.date, item.todo = date, todo.strip()
    item.full_clean(exclude=["chance"])
    item.save()
    return item


@transaction.atomic
def plan_delete(*, actor: User, item: PlanItem) -> None:
    _developing(actor, item.chance, can_plan_chance)
    item.delete()


@transaction.atomic
def plan_execute(*, actor: User, item: PlanItem, result: str) -> PlanItem:
    """Record what came of a plan item."""
    _developing(actor, item.chance)
    if not result.strip():
        raise ValidationError({"result": RESULT_REQUIRED})
    item.result = result.strip()
    item.executed_at = timezone.now()
    item.save(update_fields=["result", "executed_at", "updated_at"])
    return item


@transaction.atomic
def chance_win(*, actor: User, chance: SalesChance) -> Customer:
    """Status 3 and, in the same transaction, a customer managed by the assignee with a contact
    from the opportunity. A second attempt finds the opportunity won and changes nothing."""
    chance = _developing(actor, chance)
    assert chance.assignee is not None  # noqa: S101 - status 2 guarantees it (check constraint)
    customer = customer_create(actor=actor, name=chance.customer_name, manager=chance.assignee)
    if chance.contact:
        contact_create(
            actor=actor, customer=customer, name=chance.contact, phone=chance.contact_phone
        )
    chance.status = SalesChance.Status.SUCCEEDED
    chance.closed_at = timezone.now()
    chance.customer = customer
    chance.save(update_fields=["status", "closed_at", "customer", "updated_at"])
    return customer


@transaction.atomic
def chance_fail(*, actor: User, chance: SalesChance) -> SalesChance:
    chance = _developing(actor, chance)
    chance.status = SalesChance.Status.FAILED
    chance.closed_at = timezone.now()
    chance.save(update_fields=["status", "closed_at", "updated_at"])
    return chance

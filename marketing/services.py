"""Every write of the marketing module. Transitions lock the opportunity and re-check its status,
so acting twice, or two people at once, never skips a state or creates two customers."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import User
from accounts.services import notify, notify_many
from audit.history import update_with_history
from core.services import sequence_next
from documents.services import attachments_delete_of
from inventory.models import DictItem, DictType, Product
from marketing import pricing
from marketing.models import (
    Campaign,
    CampaignLog,
    ChanceAssignment,
    ChanceTag,
    PlanItem,
    Quote,
    QuoteEvent,
    QuoteLine,
    SalesChance,
    Stage,
    StageChange,
)
from marketing.permissions import (
    APPROVE_QUOTE_RIGHT,
    CANCELLABLE,
    LOGGABLE,
    PLAN_RIGHT,
    can_approve_campaign,
    can_approve_quote,
    can_assign_chance,
    can_cancel_campaign,
    can_change_quote,
    can_change_stages,
    can_copy_quote,
    can_create_campaign,
    can_create_chance,
    can_create_quote,
    can_develop_chance,
    can_edit_campaign,
    can_edit_chance,
    can_finish_campaign,
    can_log_campaign,
    can_move_chance,
    can_plan_chance,
    can_reassign_chance,
    can_start_campaign,
    can_tag_chance,
    chance_campaigns,
    visible_chances,
)
from sales.models import Customer, Tag
from sales.permissions import customer_holders, visible_customers, visible_groups
from sales.services import NewOrderLine, contact_create, customer_create, order_create

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
MOVE_DENIED = gettext_lazy("Only the assignee or a supervisor may move this opportunity.")
STAGE_INACTIVE = gettext_lazy("Choose an active stage.")
SAME_STAGE = gettext_lazy("The opportunity is in this stage already.")
NO_STAGE = gettext_lazy("There is no active stage: an administrator must add one first.")
LOST_REASON_REQUIRED = gettext_lazy("Choose why the opportunity was lost.")
WRONG_REASON = gettext_lazy("Choose a reason from the list.")
STAGES_DENIED = gettext_lazy("You may not change the stages.")
STAGE_IN_USE = gettext_lazy(
    "“%(stage)s” has opportunities in it; move them first, or make the stage inactive."
)

# The default stages (name, win probability %), seeded into an empty stage table.
DEFAULT_STAGES = (("初步接触", 10), ("需求分析", 30), ("方案提供", 60), ("谈判合同", 80))
STAGE_FIELDS = ("name", "order", "probability", "is_active")

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
    "probability",
    "campaign",
)


def _locked(chance: SalesChance, *statuses: int) -> SalesChance:
    """The opportunity, locked until the transaction ends, provided it is in one of `statuses`."""
    locked = SalesChance.objects.select_for_update().get(pk=chance.pk)
    if locked.status not in statuses:
        raise ValidationError(STATUS_CHANGED % {"status": locked.get_status_display()})
    return locked


def _check_fields(actor: User, chance: SalesChance) -> None:
    _check_chance_campaign(actor, chance)
    chance.full_clean(exclude=["creator", "assignee", "customer", "status", "campaign"])


@transaction.atomic
def chance_create(*, actor: User, **fields: Any) -> SalesChance:
    if not can_create_chance(actor):
        raise ValidationError(CREATE_DENIED)
    chance = SalesChance(creator=actor, status=SalesChance.Status.UNASSIGNED)
    for name in CHANCE_FIELDS:
        if name in fields:
            setattr(chance, name, fields[name])
    _check_fields(actor, chance)
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
    _check_fields(actor, chance)
    chance.save()
    return chance


@transaction.atomic
def chance_delete(*, actor: User, chance: SalesChance) -> None:
    chance = _locked(chance, SalesChance.Status.UNASSIGNED)
    if not can_edit_chance(actor, chance):
        raise ValidationError(DELETE_DENIED)
    attachments_delete_of(kind="chance", record=chance)
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
    now = timezone.now()
    if chance.status == SalesChance.Status.UNASSIGNED:
        stage = first_stage()
        StageChange.objects.create(
            chance=chance, to_stage=stage, status=SalesChance.Status.ASSIGNED, changed_by=actor
        )
        chance.stage, chance.stage_changed_at = stage, now
    chance.assignee = assignee
    chance.assigned_at = now
    chance.status = SalesChance.Status.ASSIGNED
    chance.save(
        update_fields=[
            "assignee",
            "assigned_at",
            "status",
            "stage",
            "stage_changed_at",
            "updated_at",
        ]
    )
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


BULK_ROW_FAILED = gettext_lazy("Nothing was assigned: “%(title)s” (no. %(pk)d): %(error)s")
BULK_NONE_CHOSEN = gettext_lazy("Tick the opportunities to assign first.")


@transaction.atomic
def chances_assign(*, actor: User, chances: list[SalesChance], assignee: User) -> int:
    """Assign several unassigned opportunities to one manager, all or nothing: each goes
    through `chance_assign` (its checks and lock) in one transaction; when one fails (assigned
    meanwhile…) nothing is assigned and the error names it and why."""
    if not chances:
        raise ValidationError(BULK_NONE_CHOSEN)
    for chance in sorted(chances, key=lambda chance: chance.pk):
        try:
            chance_assign(actor=actor, chance=chance, assignee=assignee)
        except ValidationError as error:
            raise ValidationError(
                BULK_ROW_FAILED
                % {"title": chance.title, "pk": chance.pk, "error": " ".join(error.messages)}
            ) from error
    return len(chances)


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


def _reason(reason: DictItem | None, type_: str) -> DictItem | None:
    if reason is not None and reason.type != type_:
        raise ValidationError({"reason": WRONG_REASON})
    return reason


def _close(actor: User, chance: SalesChance, status: int, reason: DictItem | None) -> None:
    """Leave the stage for won (3) or lost (4), recorded as the stage's last move."""
    StageChange.objects.create(
        chance=chance, from_stage=chance.stage, status=status, changed_by=actor
    )
    chance.status = status
    chance.closed_at = timezone.now()
    chance.stage, chance.stage_changed_at = None, chance.closed_at
    chance.close_reason = reason


CLOSE_FIELDS = ["status", "closed_at", "stage", "stage_changed_at", "close_reason", "updated_at"]


@transaction.atomic
def chance_win(*, actor: User, chance: SalesChance, reason: DictItem | None = None) -> Customer:
    """Status 3 and, in the same transaction, a customer managed by the assignee with a contact
    from the opportunity. A second attempt finds the opportunity won and changes nothing."""
    reason = _reason(reason, DictType.CHANCE_WON_REASON)
    chance = _developing(actor, chance)
    assert chance.assignee is not None  # noqa: S101 - status 2 guarantees it (check constraint)
    customer = customer_create(actor=actor, name=chance.customer_name, manager=chance.assignee)
    if chance.contact:
        contact_create(
            actor=actor, customer=customer, name=chance.contact, phone=chance.contact_phone
        )
    _close(actor, chance, SalesChance.Status.SUCCEEDED, reason)
    chance.customer = customer
    chance.save(update_fields=[*CLOSE_FIELDS, "customer"])
    return customer


@transaction.atomic
def chance_fail(*, actor: User, chance: SalesChance, reason: DictItem | None) -> SalesChance:
    """终止开发: status 4, with the reason from the dictionary (required)."""
    if reason is None:
        raise ValidationError({"reason": LOST_REASON_REQUIRED})
    reason = _reason(reason, DictType.CHANCE_LOST_REASON)
    chance = _developing(actor, chance)
    _close(actor, chance, SalesChance.Status.FAILED, reason)
    chance.save(update_fields=CLOSE_FIELDS)
    return chance


# Stages -----------------------------------------------------------------------------------------


def first_stage() -> Stage:
    stage = Stage.objects.filter(is_active=True).order_by("order", "id").first()
    if stage is None:
        raise ValidationError(NO_STAGE)
    return stage


@transaction.atomic
def chance_move_stage(*, actor: User, chance: SalesChance, stage: Stage) -> SalesChance:
    """Move a developing opportunity to another active stage; the move and its time are kept.
    The opportunity is locked, so two people moving it at once are applied one after the other."""
    chance = _locked(chance, SalesChance.Status.ASSIGNED)
    if not can_move_chance(actor, chance):
        raise ValidationError(MOVE_DENIED)
    if not stage.is_active or not Stage.objects.filter(pk=stage.pk, is_active=True).exists():
        raise ValidationError(STAGE_INACTIVE)
    if chance.stage_id == stage.pk:
        raise ValidationError(SAME_STAGE)
    StageChange.objects.create(
        chance=chance,
        from_stage_id=chance.stage_id,
        to_stage=stage,
        status=SalesChance.Status.ASSIGNED,
        changed_by=actor,
    )
    chance.stage = stage
    chance.stage_changed_at = timezone.now()
    chance.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    return chance


@transaction.atomic
def stage_seed_defaults(*, using: str = "default") -> None:
    """Fill an empty stage table with the default stages (a fresh or flushed database)."""
    stages = Stage.objects.using(using)
    if stages.exists():
        return
    stages.bulk_create(
        Stage(name=name, order=order, probability=probability)
        for order, (name, probability) in enumerate(DEFAULT_STAGES, 1)
    )


def _check_stage(stage: Stage) -> None:
    stage.full_clean()


@transaction.atomic
def stage_create(*, actor: User, **fields: Any) -> Stage:
    if not can_change_stages(actor):
        raise ValidationError(STAGES_DENIED)
    stage = Stage(**{name: fields[name] for name in STAGE_FIELDS if name in fields})
    _check_stage(stage)
    stage.save()
    return stage


@transaction.atomic
def stage_update(*, actor: User, stage: Stage, **fields: Any) -> Stage:
    """Rename, reorder, re-weigh or retire a stage; a retired stage keeps its opportunities
    until they are moved on, but takes no new ones."""
    if not can_change_stages(actor):
        raise ValidationError(STAGES_DENIED)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    changed = [name for name in STAGE_FIELDS if name in fields]
    for name in changed:
        setattr(stage, name, fields[name])
    _check_stage(stage)
    stage.save(update_fields=[*changed, "updated_at"])
    return stage


@transaction.atomic
def stage_delete(*, actor: User, stage: Stage) -> None:
    if not can_change_stages(actor):
        raise ValidationError(STAGES_DENIED)
    if (
        SalesChance.objects.filter(stage=stage).exists()
        or StageChange.objects.filter(Q(from_stage=stage) | Q(to_stage=stage)).exists()
    ):
        raise ValidationError(STAGE_IN_USE % {"stage": stage.name})
    stage.delete()


# Tags -------------------------------------------------------------------------------------------


# Quotes -----------------------------------------------------------------------------------------

QUOTE_SEQUENCE = "quote"
QUOTE_STATUS_CHANGED = gettext_lazy(
    "This quote is “%(status)s” now; the action was not carried out."
)
QUOTE_CREATE_DENIED = gettext_lazy("You may not write quotes.")
QUOTE_CHANGE_DENIED = gettext_lazy("Only its creator or a supervisor may change this quote.")
QUOTE_APPROVE_DENIED = gettext_lazy(
    "Only a supervisor other than its creator may approve or refuse this quote."
)
QUOTE_CUSTOMER_HIDDEN = gettext_lazy("Choose one of your customers.")
QUOTE_OPPORTUNITY_HIDDEN = gettext_lazy("Choose one of your opportunities.")
QUOTE_NO_LINES = gettext_lazy("A quote needs at least one line.")
QUOTE_LINE_QUANTITY = gettext_lazy("Line %(line)d: the quantity must be at least 1.")
QUOTE_LINE_PRICE = gettext_lazy("Line %(line)d: the unit price cannot be negative.")
QUOTE_LINE_DISCOUNT = gettext_lazy("Line %(line)d: the discount is between 0 and 100 %%.")
QUOTE_LINE_TAX = gettext_lazy("Line %(line)d: the tax rate is between 0 and 100 %%.")
QUOTE_LINE_PRODUCT = gettext_lazy("Line %(line)d: choose a product from the list.")
QUOTE_LINE_NO_PRICE = gettext_lazy("Line %(line)d: the product has no price; enter one.")
QUOTE_PAST_DATE = gettext_lazy("The quote's validity has passed; choose a later date.")
QUOTE_EXPIRED = gettext_lazy("This quote expired on %(date)s; copy it to a new version.")
QUOTE_COMMENT_REQUIRED = gettext_lazy("Say why the quote is refused.")

QUOTE_FIELDS = ("valid_until", "terms", "opportunity")
QUOTE_LINE_FIELDS = ("product", "quantity", "unit", "unit_price", "discount", "tax_rate")


def quote_numbers(count: int = 1) -> list[str]:
    """Reserve `count` quote numbers: BJ + yymmdd + a counter (locked like customer numbers)."""
    first = sequence_next(key=QUOTE_SEQUENCE, count=count)
    today = timezone.localdate()
    return [f"BJ{today:%y%m%d}{number:05d}" for number in range(first, first + count)]


def _locked_quote(quote: Quote, *statuses: int) -> Quote:
    """The quote, locked until the transaction ends, provided it is in one of `statuses`."""
    locked = Quote.objects.select_for_update().get(pk=quote.pk)
    if locked.status not in statuses:
        raise ValidationError(QUOTE_STATUS_CHANGED % {"status": locked.get_status_display()})
    return locked


def _quote_event(quote: Quote, actor: User | None, kind: str, comment: str = "") -> QuoteEvent:
    return QuoteEvent.objects.create(quote=quote, actor=actor, kind=kind, comment=comment)


def _check_customer(actor: User, customer: Customer, opportunity: SalesChance | None) -> None:
    if not visible_customers(actor).filter(pk=customer.pk).exists():
        raise ValidationError({"customer": QUOTE_CUSTOMER_HIDDEN})
    if opportunity is not None and not visible_chances(actor).filter(pk=opportunity.pk).exists():
        raise ValidationError({"opportunity": QUOTE_OPPORTUNITY_HIDDEN})


def _quote_lines(lines: Iterable[Mapping[str, Any]]) -> list[QuoteLine]:
    """The lines as unsaved `QuoteLine`s, numbered in order, each checked; the product's unit
    and price fill what a line leaves out. The first wrong line names itself."""
    rows = list(lines)
    if not rows:
        raise ValidationError(QUOTE_NO_LINES)
    wanted = {getattr(row.get("product"), "pk", row.get("product")) for row in rows}
    products = Product.objects.in_bulk([pk for pk in wanted if isinstance(pk, int)])
    built = []
    for index, row in enumerate(rows, 1):
        product_ref = row.get("product")
        product = products.get(getattr(product_ref, "pk", product_ref))
        if product is None:
            raise ValidationError(QUOTE_LINE_PRODUCT % {"line": index})
        price = row.get("unit_price")
        if price is None:
            price = product.price
        if price is None:
            raise ValidationError(QUOTE_LINE_NO_PRICE % {"line": index})
        quantity = row.get("quantity")
        discount = Decimal(row.get("discount") or 0)
        rate = row.get("tax_rate")
        rate = Decimal(settings.QUOTE_DEFAULT_TAX_RATE) if rate is None else Decimal(rate)
        if not isinstance(quantity, int) or quantity < 1:
            raise ValidationError(QUOTE_LINE_QUANTITY % {"line": index})
        if Decimal(price) < 0:
            raise ValidationError(QUOTE_LINE_PRICE % {"line": index})
        if not 0 <= discount <= 100:
            raise ValidationError(QUOTE_LINE_DISCOUNT % {"line": index})
        if not 0 <= rate <= 100:
            raise ValidationError(QUOTE_LINE_TAX % {"line": index})
        unit = row.get("unit")
        built.append(
            QuoteLine(
                product=product,
                quantity=quantity,
                unit=(product.unit if unit is None or unit == "" else str(unit)).strip()[:10],
                unit_price=Decimal(price),
                discount=discount,
                tax_rate=rate,
                position=index,
            )
        )
    return built


def _store_totals(quote: Quote, lines: list[QuoteLine]) -> None:
    """Set the quote's totals from its lines (`marketing.pricing`); saved by the caller."""
    result = pricing.totals(
        pricing.LineInput(line.quantity, line.unit_price, line.discount, line.tax_rate)
        for line in lines
    )
    quote.net_amount, quote.tax_amount, quote.gross_amount = result.net, result.tax, result.gross
    quote.max_discount = result.max_discount


def _write_lines(quote: Quote, lines: list[QuoteLine]) -> None:
    """Replace the quote's lines (the totals were stored with `_store_totals`)."""
    QuoteLine.objects.filter(quote=quote).delete()
    for line in lines:
        line.quote = quote
    QuoteLine.objects.bulk_create(lines)


def _check_quote_fields(quote: Quote) -> None:
    if quote.valid_until < timezone.localdate():
        raise ValidationError({"valid_until": QUOTE_PAST_DATE})
    quote.full_clean(
        exclude=["number", "customer", "opportunity", "creator", "original", "approver", "order"]
    )


@transaction.atomic
def quote_create(
    *,
    actor: User,
    customer: Customer,
    lines: Iterable[Mapping[str, Any]],
    valid_until: datetime.date,
    terms: str = "",
    opportunity: SalesChance | None = None,
) -> Quote:
    """A draft quote (version 1, a new BJ number) to a customer the actor may see."""
    if not can_create_quote(actor):
        raise ValidationError(QUOTE_CREATE_DENIED)
    _check_customer(actor, customer, opportunity)
    quote = Quote(
        customer=customer,
        opportunity=opportunity,
        creator=actor,
        valid_until=valid_until,
        terms=terms.strip(),
        status=Quote.Status.DRAFT,
    )
    built = _quote_lines(lines)
    _check_quote_fields(quote)
    _store_totals(quote, built)
    quote.number = quote_numbers()[0]
    quote.save()
    _write_lines(quote, built)
    return quote


TOTAL_FIELDS = ("net_amount", "tax_amount", "gross_amount", "max_discount")


@transaction.atomic
def quote_update(
    *,
    actor: User,
    quote: Quote,
    lines: Iterable[Mapping[str, Any]],
    customer: Customer | None = None,
    **fields: Any,
) -> Quote:
    """Change a draft: its fields and, replaced in full, its lines."""
    quote = _locked_quote(quote, Quote.Status.DRAFT)
    if not can_change_quote(actor, quote):
        raise ValidationError(QUOTE_CHANGE_DENIED)
    changed = [name for name in QUOTE_FIELDS if name in fields]
    for name in changed:
        value = fields[name]
        setattr(quote, name, value.strip() if name == "terms" else value)
    if customer is not None:
        quote.customer = customer
        changed.append("customer")
    _check_customer(actor, quote.customer, quote.opportunity)
    built = _quote_lines(lines)
    _check_quote_fields(quote)
    _store_totals(quote, built)
    _write_lines(quote, built)
    quote.save(update_fields=[*changed, *TOTAL_FIELDS, "updated_at"])
    return quote


def approvers() -> QuerySet[User]:
    """Who approves quotes: active users whose active role holds the approve right."""
    return User.objects.filter(
        is_active=True, role__is_active=True, role__rights__code=APPROVE_QUOTE_RIGHT
    ).distinct()


def _quote_notice(quote: Quote, text: str) -> Any:
    number = quote.number
    return lazy(lambda: _(text) % {"number": number}, str)()


# Marked for translation here, rendered in the recipient's language by `notify`.
NOTICE_PENDING = gettext_noop("Quote %(number)s waits for your approval.")
NOTICE_APPROVED = gettext_noop("Your quote %(number)s was approved.")
NOTICE_REFUSED = gettext_noop("Your quote %(number)s was sent back: approval refused.")


def needs_approval(quote: Quote) -> bool:
    """A quote needs a supervisor's approval when a line's discount exceeds the setting."""
    return quote.max_discount > Decimal(settings.QUOTE_APPROVAL_DISCOUNT)


@transaction.atomic
def quote_submit(*, actor: User, quote: Quote) -> Quote:
    """Draft → pending approval when a discount exceeds `QUOTE_APPROVAL_DISCOUNT` (every approver
    but the creator is notified); otherwise draft → approved at once."""
    quote = _locked_quote(quote, Quote.Status.DRAFT)
    if not can_change_quote(actor, quote):
        raise ValidationError(QUOTE_CHANGE_DENIED)
    if quote.valid_until < timezone.localdate():
        raise ValidationError(QUOTE_PAST_DATE)
    if not QuoteLine.objects.filter(quote=quote).exists():
        raise ValidationError(QUOTE_NO_LINES)
    _quote_event(quote, actor, QuoteEvent.Kind.SUBMITTED)
    if needs_approval(quote):
        quote.status = Quote.Status.PENDING
        quote.save(update_fields=["status", "updated_at"])
        link = reverse("marketing:quote-detail", args=[quote.pk])
        notice = _quote_notice(quote, NOTICE_PENDING)
        notify_many((user, notice, link) for user in approvers().exclude(pk=quote.creator_id))
        return quote
    quote.status = Quote.Status.APPROVED
    quote.approver, quote.approved_at = None, timezone.now()
    quote.save(update_fields=["status", "approver", "approved_at", "updated_at"])
    _quote_event(quote, None, QuoteEvent.Kind.APPROVED)
    return quote


@transaction.atomic
def quote_approve(*, actor: User, quote: Quote, comment: str = "") -> Quote:
    """Pending → approved, by an approver other than the creator; the creator is notified."""
    quote = _locked_quote(quote, Quote.Status.PENDING)
    if not can_approve_quote(actor, quote):
        raise ValidationError(QUOTE_APPROVE_DENIED)
    quote.status = Quote.Status.APPROVED
    quote.approver, quote.approved_at = actor, timezone.now()
    quote.save(update_fields=["status", "approver", "approved_at", "updated_at"])
    _quote_event(quote, actor, QuoteEvent.Kind.APPROVED, comment.strip())
    link = reverse("marketing:quote-detail", args=[quote.pk])
    notify(user=quote.creator, text=_quote_notice(quote, NOTICE_APPROVED), link=link)
    return quote


@transaction.atomic
def quote_reject_approval(*, actor: User, quote: Quote, comment: str) -> Quote:
    """Pending → back to draft, with the reason (required); the creator is notified."""
    if not comment.strip():
        raise ValidationError({"comment": QUOTE_COMMENT_REQUIRED})
    quote = _locked_quote(quote, Quote.Status.PENDING)
    if not can_approve_quote(actor, quote):
        raise ValidationError(QUOTE_APPROVE_DENIED)
    quote.status = Quote.Status.DRAFT
    quote.save(update_fields=["status", "updated_at"])
    _quote_event(quote, actor, QuoteEvent.Kind.REJECTED, comment.strip())
    link = reverse("marketing:quote-detail", args=[quote.pk])
    notify(user=quote.creator, text=_quote_notice(quote, NOTICE_REFUSED), link=link)
    return quote


def _check_not_expired(quote: Quote) -> None:
    if quote.valid_until < timezone.localdate():
        raise ValidationError(QUOTE_EXPIRED % {"date": quote.valid_until.isoformat()})


@transaction.atomic
def quote_send(*, actor: User, quote: Quote) -> Quote:
    """Approved → sent to the customer (while still valid)."""
    quote = _locked_quote(quote, Quote.Status.APPROVED)
    if not can_change_quote(actor, quote):
        raise ValidationError(QUOTE_CHANGE_DENIED)
    _check_not_expired(quote)
    quote.status = Quote.Status.SENT
    quote.save(update_fields=["status", "updated_at"])
    _quote_event(quote, actor, QuoteEvent.Kind.SENT)
    return quote


@transaction.atomic
def quote_accept(*, actor: User, quote: Quote, comment: str = "") -> Quote:
    """Sent → accepted by the customer, with the order created in the same transaction
    (`sales.services.order_create`: a `CRM…` number, each line at its net amount, exactly;
    monthly summaries, loss recovery). A quote past its date is refused, even before the
    expiry job marks it; a second acceptance finds it accepted and creates nothing."""
    quote = _locked_quote(quote, Quote.Status.SENT)
    if not can_change_quote(actor, quote):
        raise ValidationError(QUOTE_CHANGE_DENIED)
    _check_not_expired(quote)
    order_lines = [
        NewOrderLine(product_id=line.product_id, count=count, unit_price=price, unit=line.unit)
        for line in QuoteLine.objects.filter(quote=quote)
        for count, price in pricing.split_for_order(line.quantity, line.net_amount)
    ]
    order = order_create(actor=actor, customer=quote.customer, lines=order_lines)
    quote.status = Quote.Status.ACCEPTED
    quote.order = order
    quote.save(update_fields=["status", "order", "updated_at"])
    _quote_event(quote, actor, QuoteEvent.Kind.ACCEPTED, comment.strip())
    return quote


@transaction.atomic
def quote_decline(*, actor: User, quote: Quote, comment: str = "") -> Quote:
    """Sent → rejected by the customer (final; a copy starts a new version)."""
    quote = _locked_quote(quote, Quote.Status.SENT)
    if not can_change_quote(actor, quote):
        raise ValidationError(QUOTE_CHANGE_DENIED)
    quote.status = Quote.Status.REJECTED
    quote.save(update_fields=["status", "updated_at"])
    _quote_event(quote, actor, QuoteEvent.Kind.DECLINED, comment.strip())
    return quote


@transaction.atomic
def quote_copy(*, actor: User, quote: Quote, valid_until: datetime.date | None = None) -> Quote:
    """A new draft version of any quote, with its lines: number `<first number>-<version>`,
    version one more than the family's newest. The family's first version is locked, so two
    copies at once get different versions."""
    if not can_copy_quote(actor, quote):
        raise ValidationError(QUOTE_CREATE_DENIED)
    original = Quote.objects.select_for_update().get(pk=quote.original_id or quote.pk)
    source = Quote.objects.get(pk=quote.pk)
    _check_customer(actor, source.customer, None)
    newest = (
        Quote.objects.filter(Q(pk=original.pk) | Q(original=original))
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    version = (newest or 1) + 1
    today = timezone.localdate()
    copy = Quote(
        number=f"{original.number}-{version}",
        version=version,
        original=original,
        customer=source.customer,
        opportunity=source.opportunity,
        creator=actor,
        status=Quote.Status.DRAFT,
        valid_until=valid_until or max(source.valid_until, today + datetime.timedelta(days=30)),
        terms=source.terms,
        currency=source.currency,
    )
    lines = [
        QuoteLine(
            product_id=line.product_id,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            discount=line.discount,
            tax_rate=line.tax_rate,
            position=line.position,
        )
        for line in QuoteLine.objects.filter(quote=source)
    ]
    _store_totals(copy, lines)
    copy.save()
    _write_lines(copy, lines)
    _quote_event(source, actor, QuoteEvent.Kind.COPIED, copy.number)
    return copy


@transaction.atomic
def quotes_expire(*, today: datetime.date | None = None) -> int:
    """The daily job: sent quotes whose date has passed become expired (with their history and
    an event each). Idempotent: a second run finds none."""
    today = today or timezone.localdate()
    due = Quote.objects.filter(status=Quote.Status.SENT, valid_until__lt=today)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    count = update_with_history(
        Quote.objects.filter(pk__in=ids, status=Quote.Status.SENT), status=Quote.Status.EXPIRED
    )
    QuoteEvent.objects.bulk_create(
        QuoteEvent(quote_id=pk, kind=QuoteEvent.Kind.EXPIRED) for pk in ids
    )
    return count


def quotes_move_to_customer(*, source: Customer, target: Customer) -> int:
    """Give a merged customer's quotes to the survivor (called by the merge, inside its
    transaction and locks), with their history."""
    return update_with_history(Quote.objects.filter(customer=source), customer=target)


TAG_DENIED = gettext_lazy("You may not change the tags of this opportunity.")


@transaction.atomic
def chance_tags_set(*, actor: User, chance: SalesChance, tags: list[Tag]) -> SalesChance:
    """Make `tags` the opportunity's tags (those not listed come off)."""
    chance = SalesChance.objects.select_for_update().get(pk=chance.pk)
    if not can_tag_chance(actor, chance):
        raise ValidationError(TAG_DENIED)
    wanted = {tag.pk for tag in tags}
    current = set(ChanceTag.objects.filter(chance=chance).values_list("tag", flat=True))
    ChanceTag.objects.filter(chance=chance, tag__in=current - wanted).delete()
    ChanceTag.objects.bulk_create([ChanceTag(chance=chance, tag_id=pk) for pk in wanted - current])
    return chance


# Campaigns --------------------------------------------------------------------------------------

CAMPAIGN_CREATE_DENIED = gettext_lazy("You may not propose campaigns.")
CAMPAIGN_UPDATE_DENIED = gettext_lazy(
    "Only its owner or a supervisor may change this campaign, and only while it is planned."
)
CAMPAIGN_STATUS_CHANGED = gettext_lazy(
    "This campaign is “%(status)s” now; the action was not carried out."
)
CAMPAIGN_APPROVE_DENIED = gettext_lazy(
    "Only a supervisor other than its owner may approve this campaign."
)
CAMPAIGN_RUN_DENIED = gettext_lazy("Only its owner or a supervisor may do this.")
CAMPAIGN_KIND_WRONG = gettext_lazy("Choose a campaign type from the list.")
CAMPAIGN_GROUP_HIDDEN = gettext_lazy("Choose one of your customer groups or a shared one.")
CAMPAIGN_DATES = gettext_lazy("The end date cannot be before the start date.")
CAMPAIGN_BUDGET_NEGATIVE = gettext_lazy("The budget cannot be negative.")
CAMPAIGN_LOG_DENIED = gettext_lazy(
    "Only its owner or a supervisor may record the log of a running or finished campaign."
)
CAMPAIGN_COST_NEGATIVE = gettext_lazy("The cost cannot be negative.")
CAMPAIGN_NOTE_REQUIRED = gettext_lazy("Describe what was done.")
CHANCE_CAMPAIGN_WRONG = gettext_lazy("Choose a running or finished campaign.")

CAMPAIGN_FIELDS = (
    "name",
    "kind",
    "start_date",
    "end_date",
    "budget",
    "target_group",
    "description",
)


def _check_campaign(actor: User, campaign: Campaign) -> None:
    """The field rules a form cannot be trusted with: the type is a campaign type, the dates
    are in order, the budget is not negative, and both the actor and the owner may use the
    target group (a rep cannot aim at a group they cannot see)."""
    errors: dict[str, Any] = {}
    kind = campaign.kind if campaign.kind_id else None
    if kind is not None and kind.type != DictType.CAMPAIGN_KIND:
        errors["kind"] = CAMPAIGN_KIND_WRONG
    if campaign.start_date and campaign.end_date and campaign.end_date < campaign.start_date:
        errors["end_date"] = CAMPAIGN_DATES
    if campaign.budget is not None and campaign.budget < 0:
        errors["budget"] = CAMPAIGN_BUDGET_NEGATIVE
    if campaign.target_group_id is not None:
        for user in {actor, campaign.owner}:
            if not visible_groups(user).filter(pk=campaign.target_group_id).exists():
                errors["target_group"] = CAMPAIGN_GROUP_HIDDEN
    if errors:
        raise ValidationError(errors)
    campaign.full_clean(exclude=["owner", "approver", "status"])


@transaction.atomic
def campaign_create(*, actor: User, **fields: Any) -> Campaign:
    """A planned campaign owned by `actor`."""
    if not can_create_campaign(actor):
        raise ValidationError(CAMPAIGN_CREATE_DENIED)
    campaign = Campaign(owner=actor, status=Campaign.Status.PLANNED)
    for name in CAMPAIGN_FIELDS:
        if name in fields:
            setattr(campaign, name, fields[name])
    _check_campaign(actor, campaign)
    campaign.save()
    return campaign


def _campaign_locked(campaign: Campaign, *statuses: int) -> Campaign:
    """The campaign, locked until the transaction ends, provided it is in one of `statuses`."""
    locked = (
        Campaign.objects.select_for_update(of=("self",)).select_related("owner").get(pk=campaign.pk)
    )
    if locked.status not in statuses:
        raise ValidationError(CAMPAIGN_STATUS_CHANGED % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def campaign_update(*, actor: User, campaign: Campaign, **fields: Any) -> Campaign:
    campaign = _campaign_locked(campaign, Campaign.Status.PLANNED)
    if not can_edit_campaign(actor, campaign):
        raise ValidationError(CAMPAIGN_UPDATE_DENIED)
    for name in CAMPAIGN_FIELDS:
        if name in fields:
            setattr(campaign, name, fields[name])
    _check_campaign(actor, campaign)
    campaign.save()
    return campaign


@transaction.atomic
def campaign_approve(*, actor: User, campaign: Campaign) -> Campaign:
    """Planned → approved, by a supervisor who is not the owner; the owner is notified."""
    campaign = _campaign_locked(campaign, Campaign.Status.PLANNED)
    if not can_approve_campaign(actor, campaign):
        raise ValidationError(CAMPAIGN_APPROVE_DENIED)
    campaign.status = Campaign.Status.APPROVED
    campaign.approver = actor
    campaign.approved_at = timezone.now()
    campaign.save(update_fields=["status", "approver", "approved_at", "updated_at"])
    name = campaign.name
    notify(
        user=campaign.owner,
        text=lazy(lambda: _("Your campaign was approved: %(name)s") % {"name": name}, str)(),
        link=reverse("marketing:campaign-detail", args=[campaign.pk]),
    )
    return campaign


def _campaign_step(
    actor: User, campaign: Campaign, statuses: tuple[int, ...], rule: Any, to: int
) -> Campaign:
    campaign = _campaign_locked(campaign, *statuses)
    if not rule(actor, campaign):
        raise ValidationError(CAMPAIGN_RUN_DENIED)
    campaign.status = to
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


@transaction.atomic
def campaign_start(*, actor: User, campaign: Campaign) -> Campaign:
    """Approved → running: its owner or a supervisor."""
    return _campaign_step(
        actor, campaign, (Campaign.Status.APPROVED,), can_start_campaign, Campaign.Status.RUNNING
    )


@transaction.atomic
def campaign_finish(*, actor: User, campaign: Campaign) -> Campaign:
    """Running → finished: its owner or a supervisor."""
    return _campaign_step(
        actor, campaign, (Campaign.Status.RUNNING,), can_finish_campaign, Campaign.Status.FINISHED
    )


@transaction.atomic
def campaign_cancel(*, actor: User, campaign: Campaign) -> Campaign:
    """Planned, approved or running → cancelled: its owner or a supervisor."""
    return _campaign_step(
        actor, campaign, CANCELLABLE, can_cancel_campaign, Campaign.Status.CANCELLED
    )


@transaction.atomic
def campaign_log_add(
    *, actor: User, campaign: Campaign, date: datetime.date, note: str, cost: Decimal
) -> CampaignLog:
    """Record what a running or finished campaign did and what it cost (its actual cost is the
    sum of these costs)."""
    campaign = _campaign_locked(campaign, *LOGGABLE)
    if not can_log_campaign(actor, campaign):
        raise ValidationError(CAMPAIGN_LOG_DENIED)
    if cost is None or cost < 0:
        raise ValidationError({"cost": CAMPAIGN_COST_NEGATIVE})
    if not (note or "").strip():
        raise ValidationError({"note": CAMPAIGN_NOTE_REQUIRED})
    entry = CampaignLog(
        campaign=campaign,
        date=date,
        note=note.strip(),
        cost=Decimal(cost).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        author=actor,
    )
    entry.full_clean(exclude=["campaign", "author"])
    entry.save()
    return entry


def _check_chance_campaign(actor: User, chance: SalesChance) -> None:
    """An opportunity names a campaign its author may name (`chance_campaigns`): one they see
    that runs or has finished, or the one it already named."""
    if chance.campaign_id is None:
        return
    stored = (
        SalesChance.objects.filter(pk=chance.pk).values_list("campaign_id", flat=True).first()
        if chance.pk is not None
        else None
    )
    if not chance_campaigns(actor, current=stored).filter(pk=chance.campaign_id).exists():
        raise ValidationError({"campaign": CHANCE_CAMPAIGN_WRONG})

"""Quote services: every transition and every refused one, the approval rule, the order an
accepted quote creates, copies, and the daily expiry."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from accounts.models import Notification
from marketing import services
from marketing.models import Quote, QuoteEvent, QuoteLine
from marketing.tasks import expire_quotes
from sales.models import CustomerLoss, CustomerMonthSales, Order, ProductMonthSales
from sales.services import CRM_ORDER_PREFIX
from tests.factories import UserFactory, role
from tests.factories.inventory import ProductFactory
from tests.factories.marketing import QuoteFactory, SalesChanceFactory
from tests.factories.sales import CustomerFactory, CustomerLossFactory

pytestmark = pytest.mark.django_db

S = Quote.Status
D = Decimal
TODAY = timezone.localdate


def _refused(message, call, **kwargs) -> None:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert error.value.messages == [str(message)]


def _line(product=None, **values):
    return {"product": product or ProductFactory(), "quantity": 2, **values}


def _quote(manager, *, discount="0", customer=None, **lines) -> Quote:
    customer = customer or CustomerFactory(manager=manager)
    return services.quote_create(
        actor=manager,
        customer=customer,
        lines=[_line(unit_price=D("100.00"), discount=D(discount), **lines)],
        valid_until=TODAY() + datetime.timedelta(days=10),
    )


def _sent(manager, **kwargs) -> Quote:
    quote = services.quote_submit(actor=manager, quote=_quote(manager, **kwargs))
    return services.quote_send(actor=manager, quote=quote)


# Creation and edits -----------------------------------------------------------------------------


def test_create_numbers_the_quote_and_stores_its_totals(manager) -> None:
    customer = CustomerFactory(manager=manager)
    product = ProductFactory(unit="台", price=D("9800.00"))
    quote = services.quote_create(
        actor=manager,
        customer=customer,
        lines=[
            {"product": product, "quantity": 3, "discount": D("5")},  # price, unit from product
            {
                "product": ProductFactory(),
                "quantity": 1,
                "unit_price": D("0.03"),
                "discount": D("50"),
                "tax_rate": D("6"),
                "unit": "套",
            },
        ],
        valid_until=TODAY() + datetime.timedelta(days=30),
        terms="  款到发货  ",
    )
    assert quote.number == f"BJ{TODAY():%y%m%d}00001"
    assert quote.version == 1
    assert quote.status == S.DRAFT
    assert quote.creator == manager
    assert quote.terms == "款到发货"
    assert quote.currency == "CNY"
    first, second = quote.lines.order_by("position")
    assert (first.unit, first.unit_price, first.tax_rate) == ("台", D("9800.00"), D(13))
    assert (second.unit, second.position) == ("套", 2)
    # 3 × 9800 × 0.95 = 27930.00, tax 3630.90; 0.03 × 0.5 = 0.015 → 0.02, tax 0.0012 → 0.00
    assert quote.net_amount == D("27930.02")
    assert quote.tax_amount == D("3630.90")
    assert quote.gross_amount == D("31560.92")
    assert quote.max_discount == D(50)
    assert services.quote_numbers()[0].endswith("00002")


@override_settings(CURRENCY="USD", QUOTE_DEFAULT_TAX_RATE=D("6"))
def test_currency_and_default_tax_rate_come_from_the_settings(manager) -> None:
    quote = _quote(manager)
    assert quote.currency == "USD"
    assert quote.lines.get().tax_rate == D(6)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"quantity": 0}, services.QUOTE_LINE_QUANTITY),
        ({"quantity": None}, services.QUOTE_LINE_QUANTITY),
        ({"unit_price": D("-0.01")}, services.QUOTE_LINE_PRICE),
        ({"discount": D("100.01")}, services.QUOTE_LINE_DISCOUNT),
        ({"discount": D("-1")}, services.QUOTE_LINE_DISCOUNT),
        ({"tax_rate": D("101")}, services.QUOTE_LINE_TAX),
        ({"product": 999_999}, services.QUOTE_LINE_PRODUCT),
    ],
)
def test_create_refuses_a_wrong_line_and_names_it(manager, line, message) -> None:
    good = _line(unit_price=D(1))
    bad = {**_line(unit_price=D(1)), **line}
    _refused(
        message % {"line": 2},
        services.quote_create,
        actor=manager,
        customer=CustomerFactory(manager=manager),
        lines=[good, bad],
        valid_until=TODAY(),
    )
    assert not Quote.objects.exists()


def test_a_product_without_price_needs_one(manager) -> None:
    product = ProductFactory(price=None)
    _refused(
        services.QUOTE_LINE_NO_PRICE % {"line": 1},
        services.quote_create,
        actor=manager,
        customer=CustomerFactory(manager=manager),
        lines=[{"product": product, "quantity": 1}],
        valid_until=TODAY(),
    )


def test_create_refuses_no_lines_a_past_date_and_hidden_customers(manager, other_manager) -> None:
    mine = CustomerFactory(manager=manager)
    kwargs = {"actor": manager, "valid_until": TODAY()}
    _refused(services.QUOTE_NO_LINES, services.quote_create, customer=mine, lines=[], **kwargs)
    _refused(
        services.QUOTE_CUSTOMER_HIDDEN,
        services.quote_create,
        customer=CustomerFactory(manager=other_manager),
        lines=[_line()],
        **kwargs,
    )
    _refused(
        services.QUOTE_OPPORTUNITY_HIDDEN,
        services.quote_create,
        customer=mine,
        lines=[_line()],
        opportunity=SalesChanceFactory(creator=other_manager),
        **kwargs,
    )
    with pytest.raises(ValidationError) as error:
        services.quote_create(
            actor=manager,
            customer=mine,
            lines=[_line()],
            valid_until=TODAY() - datetime.timedelta(days=1),
        )
    assert error.value.message_dict == {"valid_until": [str(services.QUOTE_PAST_DATE)]}
    assert not Quote.objects.exists()


def test_only_holders_of_the_write_right_create(executive, admin_user) -> None:
    for user in (executive, admin_user):
        _refused(
            services.QUOTE_CREATE_DENIED,
            services.quote_create,
            actor=user,
            customer=CustomerFactory(),
            lines=[_line()],
            valid_until=TODAY(),
        )


def test_update_replaces_the_lines_and_totals_while_draft(manager) -> None:
    quote = _quote(manager)
    chance = SalesChanceFactory(creator=manager)
    product = ProductFactory()
    services.quote_update(
        actor=manager,
        quote=quote,
        lines=[_line(product, quantity=1, unit_price=D("10.00"), discount=D("15"))] * 2,
        valid_until=TODAY() + datetime.timedelta(days=3),
        terms="新条款",
        opportunity=chance,
    )
    quote.refresh_from_db()
    assert list(quote.lines.values_list("position", "unit_price")) == [(1, D(10)), (2, D(10))]
    assert (quote.net_amount, quote.tax_amount, quote.gross_amount) == (
        D(17),
        D("2.22"),
        D("19.22"),
    )
    assert quote.max_discount == D(15)
    assert (quote.terms, quote.opportunity) == ("新条款", chance)
    assert quote.history.count() == 2  # created (with its totals), updated


def test_update_only_by_creator_or_supervisor_and_only_while_draft(
    manager, other_manager, supervisor
) -> None:
    quote = _quote(manager)
    lines = [_line(unit_price=D(1))]
    _refused(services.QUOTE_CHANGE_DENIED, services.quote_update, actor=other_manager,
             quote=quote, lines=lines)  # fmt: skip
    services.quote_update(actor=supervisor, quote=quote, lines=lines)
    services.quote_submit(actor=manager, quote=quote)
    _refused(
        services.QUOTE_STATUS_CHANGED % {"status": S.APPROVED.label},
        services.quote_update,
        actor=manager,
        quote=quote,
        lines=lines,
    )


def test_update_may_move_the_quote_to_another_visible_customer(manager, other_manager) -> None:
    quote = _quote(manager)
    other = CustomerFactory(manager=manager)
    services.quote_update(actor=manager, quote=quote, customer=other, lines=[_line()])
    quote.refresh_from_db()
    assert quote.customer == other
    _refused(
        services.QUOTE_CUSTOMER_HIDDEN,
        services.quote_update,
        actor=manager,
        quote=quote,
        customer=CustomerFactory(manager=other_manager),
        lines=[_line()],
    )


# Submission and approval ------------------------------------------------------------------------


def test_a_discount_up_to_the_threshold_is_approved_at_once(manager, supervisor) -> None:
    quote = services.quote_submit(actor=manager, quote=_quote(manager, discount="10"))
    assert quote.status == S.APPROVED
    assert quote.approver is None
    assert quote.approved_at is not None
    assert list(quote.events.values_list("kind", "actor")) == [
        ("submitted", manager.pk),
        ("approved", None),
    ]
    assert not Notification.objects.filter(user=supervisor).exists()


def test_a_larger_discount_waits_for_approval_and_notifies_every_approver(
    manager, supervisor
) -> None:
    second = UserFactory(role=role("supervisor"))
    inactive = UserFactory(role=role("supervisor"), is_active=False)
    quote = services.quote_submit(actor=manager, quote=_quote(manager, discount="10.01"))
    assert quote.status == S.PENDING
    notified = set(Notification.objects.values_list("user", flat=True))
    assert notified == {supervisor.pk, second.pk}
    assert inactive.pk not in notified
    assert quote.number in Notification.objects.filter(user=supervisor).get().text


@override_settings(QUOTE_APPROVAL_DISCOUNT=D("20"))
def test_the_threshold_is_a_setting(manager) -> None:
    quote = services.quote_submit(actor=manager, quote=_quote(manager, discount="15"))
    assert quote.status == S.APPROVED


def test_a_supervisor_approves_and_the_creator_is_told(manager, supervisor) -> None:
    quote = services.quote_submit(actor=manager, quote=_quote(manager, discount="30"))
    quote = services.quote_approve(actor=supervisor, quote=quote, comment=" 同意 ")
    assert quote.status == S.APPROVED
    assert quote.approver == supervisor
    event = quote.events.get(kind="approved")
    assert (event.actor, event.comment) == (supervisor, "同意")
    assert Notification.objects.filter(user=manager, text__contains=quote.number).exists()


def test_refusing_an_approval_needs_a_reason_and_returns_to_draft(manager, supervisor) -> None:
    quote = services.quote_submit(actor=manager, quote=_quote(manager, discount="30"))
    with pytest.raises(ValidationError) as error:
        services.quote_reject_approval(actor=supervisor, quote=quote, comment="  ")
    assert error.value.message_dict == {"comment": [str(services.QUOTE_COMMENT_REQUIRED)]}
    quote = services.quote_reject_approval(actor=supervisor, quote=quote, comment="折扣太大")
    assert quote.status == S.DRAFT
    assert quote.events.get(kind="rejected").comment == "折扣太大"
    assert Notification.objects.filter(user=manager).exists()


def test_managers_and_the_creator_cannot_approve(manager, other_manager, supervisor) -> None:
    quote = services.quote_submit(actor=manager, quote=_quote(manager, discount="30"))
    for user in (manager, other_manager):
        _refused(services.QUOTE_APPROVE_DENIED, services.quote_approve, actor=user, quote=quote)
        _refused(services.QUOTE_APPROVE_DENIED, services.quote_reject_approval, actor=user,
                 quote=quote, comment="no")  # fmt: skip
    # A supervisor's own discounted quote needs another supervisor (four eyes).
    before = Notification.objects.filter(user=supervisor).count()
    own = services.quote_submit(
        actor=supervisor, quote=_quote(supervisor, discount="30", customer=CustomerFactory())
    )
    assert Notification.objects.filter(user=supervisor).count() == before  # not told of own
    _refused(services.QUOTE_APPROVE_DENIED, services.quote_approve, actor=supervisor, quote=own)
    other_supervisor = UserFactory(role=role("supervisor"))
    assert services.quote_approve(actor=other_supervisor, quote=own).status == S.APPROVED


def test_submit_refuses_others_a_past_date_and_a_quote_without_lines(manager, other_manager):
    quote = _quote(manager)
    _refused(services.QUOTE_CHANGE_DENIED, services.quote_submit, actor=other_manager,
             quote=quote)  # fmt: skip
    Quote.objects.filter(pk=quote.pk).update(valid_until=TODAY() - datetime.timedelta(days=1))
    _refused(services.QUOTE_PAST_DATE, services.quote_submit, actor=manager, quote=quote)
    Quote.objects.filter(pk=quote.pk).update(valid_until=TODAY())
    QuoteLine.objects.filter(quote=quote).delete()
    _refused(services.QUOTE_NO_LINES, services.quote_submit, actor=manager, quote=quote)


# Sending and the customer's answer --------------------------------------------------------------


def test_the_whole_way_to_an_accepted_quote_and_its_order(manager) -> None:
    customer = CustomerFactory(manager=manager, address="上海市浦东新区")
    loss = CustomerLossFactory(customer=customer)
    product = ProductFactory()
    quote = services.quote_create(
        actor=manager,
        customer=customer,
        lines=[
            {"product": product, "quantity": 3, "unit_price": D("33.34"), "discount": D("0")},
            {"product": product, "quantity": 7, "unit_price": D("1.15"), "discount": D("10")},
        ],
        valid_until=TODAY(),
    )
    quote = services.quote_submit(actor=manager, quote=quote)
    quote = services.quote_send(actor=manager, quote=quote)
    quote = services.quote_accept(actor=manager, quote=quote)

    assert quote.status == S.ACCEPTED
    order = quote.order
    assert order.number == f"{CRM_ORDER_PREFIX}{TODAY():%y%m%d}00001"
    assert (order.customer, order.date, order.address) == (customer, TODAY(), "上海市浦东新区")
    assert order.status == Order.Status.NEW
    # 100.02 + 7.245 → 7.25: the order's amount is the quote's net amount, to the cent.
    assert order.amount == quote.net_amount == D("107.27")
    lines = sorted((line.count, line.unit_price) for line in order.lines.all())
    assert lines == [(3, D("1.03")), (3, D("33.34")), (4, D("1.04"))]  # 3.09 + 4.16 = 7.25
    assert sum(count for count, _ in lines) == 10
    month = CustomerMonthSales.objects.get(customer=customer)
    assert (month.orders, month.amount, month.month) == (1, D("107.27"), TODAY().replace(day=1))
    assert ProductMonthSales.objects.get(product=product).amount == D("107.27")
    loss.refresh_from_db()
    assert loss.status == CustomerLoss.Status.RECOVERED
    assert [e.kind for e in quote.events.all()] == ["submitted", "approved", "sent", "accepted"]
    # A second acceptance finds it accepted and creates nothing.
    _refused(
        services.QUOTE_STATUS_CHANGED % {"status": S.ACCEPTED.label},
        services.quote_accept,
        actor=manager,
        quote=quote,
    )
    assert Order.objects.count() == 1


def test_the_customer_may_decline(manager) -> None:
    quote = services.quote_decline(actor=manager, quote=_sent(manager), comment="太贵")
    assert quote.status == S.REJECTED
    assert quote.events.get(kind="declined").comment == "太贵"
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("call", "allowed"),
    [
        (services.quote_submit, {S.DRAFT}),
        (services.quote_send, {S.APPROVED}),
        (services.quote_accept, {S.SENT}),
        (services.quote_decline, {S.SENT}),
        (services.quote_approve, {S.PENDING}),
    ],
)
def test_each_step_is_refused_in_every_other_status(call, allowed, manager, supervisor) -> None:
    actor = supervisor if call is services.quote_approve else manager
    for status in set(S) - allowed:
        quote = QuoteFactory(
            customer=CustomerFactory(manager=manager),
            status=status,
            order=Order.objects.create(
                number=f"X{status}{call.__name__}", customer=CustomerFactory(), date=TODAY(),
                address="-", status=1,
            ) if status == S.ACCEPTED else None,
        )  # fmt: skip
        _refused(
            services.QUOTE_STATUS_CHANGED % {"status": status.label}, call, actor=actor, quote=quote
        )


def test_reject_approval_is_refused_unless_pending(manager, supervisor) -> None:
    quote = _quote(manager)
    _refused(
        services.QUOTE_STATUS_CHANGED % {"status": S.DRAFT.label},
        services.quote_reject_approval,
        actor=supervisor,
        quote=quote,
        comment="x",
    )


def test_only_creator_or_supervisor_send_and_answer(manager, other_manager, supervisor) -> None:
    approved = services.quote_submit(actor=manager, quote=_quote(manager))
    _refused(services.QUOTE_CHANGE_DENIED, services.quote_send, actor=other_manager,
             quote=approved)  # fmt: skip
    sent = services.quote_send(actor=supervisor, quote=approved)
    for call in (services.quote_accept, services.quote_decline):
        _refused(services.QUOTE_CHANGE_DENIED, call, actor=other_manager, quote=sent)
    assert services.quote_accept(actor=supervisor, quote=sent).order is not None


def test_a_quote_past_its_date_is_neither_sent_nor_accepted(manager) -> None:
    approved = services.quote_submit(actor=manager, quote=_quote(manager))
    yesterday = TODAY() - datetime.timedelta(days=1)
    Quote.objects.filter(pk=approved.pk).update(valid_until=yesterday)
    expired = services.QUOTE_EXPIRED % {"date": yesterday.isoformat()}
    _refused(expired, services.quote_send, actor=manager, quote=approved)
    quote = _sent(manager)
    Quote.objects.filter(pk=quote.pk).update(valid_until=yesterday)
    _refused(expired, services.quote_accept, actor=manager, quote=quote)
    assert not Order.objects.exists()


# The daily expiry -------------------------------------------------------------------------------


def test_the_daily_job_expires_sent_quotes_past_their_date_once(manager) -> None:
    old, fresh = _sent(manager), _sent(manager)
    draft = _quote(manager)
    yesterday = TODAY() - datetime.timedelta(days=1)
    Quote.objects.filter(pk__in=[old.pk, draft.pk]).update(valid_until=yesterday)

    assert expire_quotes() == "1 quote(s) expired."
    assert expire_quotes() == "0 quote(s) expired."

    old.refresh_from_db()
    assert old.status == S.EXPIRED
    assert old.history.first().status == S.EXPIRED  # the change is in the history
    assert old.events.filter(kind="expired", actor=None).count() == 1
    assert Quote.objects.get(pk=fresh.pk).status == S.SENT
    assert Quote.objects.get(pk=draft.pk).status == S.DRAFT
    _refused(
        services.QUOTE_STATUS_CHANGED % {"status": S.EXPIRED.label},
        services.quote_accept,
        actor=manager,
        quote=old,
    )


# Copies -----------------------------------------------------------------------------------------


def test_copies_are_new_draft_versions_of_the_first_number(manager, supervisor) -> None:
    first = services.quote_decline(actor=manager, quote=_sent(manager, discount="5"))
    second = services.quote_copy(actor=manager, quote=first)
    third = services.quote_copy(actor=supervisor, quote=second)

    assert (second.number, second.version, second.original) == (f"{first.number}-2", 2, first)
    assert (third.number, third.version, third.original) == (f"{first.number}-3", 3, first)
    assert second.status == third.status == S.DRAFT
    assert third.creator == supervisor
    assert second.valid_until >= TODAY() + datetime.timedelta(days=30)
    assert (second.net_amount, second.max_discount) == (first.net_amount, first.max_discount)
    assert list(second.lines.values_list("product", "quantity", "unit_price", "discount")) == list(
        first.lines.values_list("product", "quantity", "unit_price", "discount")
    )
    assert first.events.get(kind="copied").comment == second.number
    assert services.quote_copy(actor=manager, quote=first).number == f"{first.number}-4"


def test_copy_needs_the_write_right(manager, executive) -> None:
    quote = _quote(manager)
    _refused(services.QUOTE_CREATE_DENIED, services.quote_copy, actor=executive, quote=quote)


def test_approvers_are_active_holders_of_the_right(supervisor, manager) -> None:
    assert list(services.approvers()) == [supervisor]
    assert services.needs_approval(Quote(max_discount=D("10.01")))
    assert not services.needs_approval(Quote(max_discount=D("10")))
    assert QuoteEvent.Kind.COPIED.label

"""Who sees and changes which quotes: the customer's visibility, the creator, the approvers."""

import pytest
from django.contrib.auth.models import AnonymousUser

from marketing.models import Quote
from marketing.permissions import (
    can_answer_quote,
    can_approve_quote,
    can_change_quote,
    can_copy_quote,
    can_create_quote,
    can_edit_quote,
    can_send_quote,
    visible_quotes,
)
from sales.services import customer_share
from tests.factories.marketing import QuoteFactory
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db
S = Quote.Status


def test_a_quote_is_visible_to_whoever_sees_its_customer(
    manager, other_manager, supervisor, executive, admin_user
) -> None:
    quote = QuoteFactory(customer=CustomerFactory(manager=manager))
    for user in (manager, supervisor, executive):
        assert list(visible_quotes(user)) == [quote]
    assert not visible_quotes(other_manager).exists()
    customer_share(actor=supervisor, customers=[quote.customer], user=other_manager, can_edit=False)
    assert list(visible_quotes(other_manager)) == [quote]
    assert not visible_quotes(AnonymousUser()).exists()
    manager.is_active = False
    assert not visible_quotes(manager).exists()


def test_deleted_customers_hide_their_quotes(supervisor, manager) -> None:
    quote = QuoteFactory(customer=CustomerFactory(manager=manager, status=3))
    assert quote not in visible_quotes(supervisor)
    assert quote not in visible_quotes(manager)


def test_the_creator_and_the_approvers_change_a_quote(
    manager, other_manager, supervisor, executive
) -> None:
    quote = QuoteFactory(customer=CustomerFactory(manager=manager), creator=manager)
    assert can_change_quote(manager, quote)
    assert can_edit_quote(manager, quote)
    assert can_change_quote(supervisor, quote)
    assert not can_change_quote(other_manager, quote)
    assert not can_change_quote(executive, quote)
    manager.is_active = False
    assert not can_change_quote(manager, quote)


def test_each_step_is_allowed_in_its_status_only(manager, supervisor) -> None:
    quote = QuoteFactory(customer=CustomerFactory(manager=manager), creator=manager)
    rules = {
        can_edit_quote: (S.DRAFT, manager),
        can_approve_quote: (S.PENDING, supervisor),
        can_send_quote: (S.APPROVED, manager),
        can_answer_quote: (S.SENT, manager),
    }
    for rule, (allowed, user) in rules.items():
        for status in S:
            quote.status = status
            assert rule(user, quote) is (status == allowed), (rule.__name__, status)


def test_nobody_approves_their_own_quote(supervisor) -> None:
    quote = QuoteFactory(creator=supervisor, status=S.PENDING)
    assert not can_approve_quote(supervisor, quote)


def test_writers_create_and_copy(manager, supervisor, executive, admin_user) -> None:
    quote = QuoteFactory()
    for user in (manager, supervisor):
        assert can_create_quote(user)
        assert can_copy_quote(user, quote)
    for user in (executive, admin_user):
        assert not can_create_quote(user)
        assert not can_copy_quote(user, quote)

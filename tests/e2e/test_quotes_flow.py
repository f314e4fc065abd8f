"""A quote from a rep to an order: a discount above the limit, a supervisor's approval, sent,
accepted, and the order on the customer's page (issue 21)."""

from decimal import Decimal

import pytest

from marketing.models import Quote
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.inventory import ProductFactory
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_discounted_quote_is_approved_sent_accepted_and_ordered(open_page):
    UserFactory(username="wangcai", first_name="旺财", role=role("supervisor"))
    manager = UserFactory(username="xiaoming", first_name="小明", role=role("manager"))
    customer = CustomerFactory(manager=manager, name="聪海信息科技有限公司")
    laptop = ProductFactory(name="海龙笔记本电脑", model="i60", price=Decimal("9800.00"))
    printer = ProductFactory(name="激光打印机", model="P1", price=Decimal("1200.00"))

    # The rep writes the quote from the customer's page: two lines, one 15 % off.
    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    page.goto(f"/customers/{customer.number}/")
    page.click("[data-testid=customer-new-quote]")
    assert page.input_value("input[name=customer]") == customer.number
    page.select_option("select[name=lines-0-product]", str(laptop.pk))
    page.fill("input[name=lines-0-quantity]", "2")
    page.fill("input[name=lines-0-discount]", "15")
    page.click("[data-testid=add-line]")
    page.select_option("select[name=lines-1-product]", str(printer.pk))
    page.fill("input[name=lines-1-quantity]", "1")
    page.click("[data-testid=recalculate]")
    # 2 × 9800 × 0.85 = 16660.00; + 1200.00 = 17860.00, tax 13 %: 2321.80
    assert page.inner_text("[data-testid=total-gross]") == "20181.80"
    page.click("[data-testid=save-quote]")
    page.wait_for_selector("text=was saved")
    quote = Quote.objects.get()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit-quote]")
    page.wait_for_selector("text=submitted for approval")
    assert page.inner_text("[data-testid=quote-status]") == "Pending approval"

    # The supervisor approves it.
    boss = open_page("en-US")
    login(boss, "wangcai", PASSWORD)
    boss.goto(f"/marketing/quotes/{quote.pk}/")
    boss.click("[data-testid=approve-quote]")
    boss.fill("textarea[name=comment]", "同意")
    boss.click("button:has-text('Save')")
    boss.wait_for_selector("text=was approved")

    # The rep sends it, and the customer accepts: the order is created.
    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=send-quote]")
    page.wait_for_selector("text=marked as sent")
    page.click("[data-testid=accept-quote]")
    assert "cannot be undone" in page.inner_text("[data-testid=step-explanation]")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=was accepted")
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED
    order = quote.order
    assert order.amount == Decimal("17860.00")
    assert page.inner_text("[data-testid=quote-order]") == order.number

    # The order is on the customer's page, beside the quote.
    page.goto(f"/customers/{customer.number}/")
    assert order.number in page.content()
    assert page.locator("[data-testid=customer-quotes]").inner_text().count(quote.number) == 1
    assert page.console_errors == []

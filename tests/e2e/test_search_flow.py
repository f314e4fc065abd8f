import pytest

from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.sales import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_finds_a_contact_by_the_last_four_phone_digits_from_the_top_bar(open_page):
    manager = UserFactory(username="xiaoming", role=role("manager"))
    other = UserFactory(username="xiaomei", role=role("manager"))
    customer = CustomerFactory(manager=manager, name="瑞丰电子有限公司")
    ContactFactory(customer=customer, name="王芳", mobile="13912344321", phone="")
    theirs = CustomerFactory(manager=other, name="别人的客户")
    ContactFactory(customer=theirs, name="李四", mobile="13700004321", phone="")

    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    box = page.locator("#global-search-q")
    box.fill("4321")
    results = page.locator("#global-search-results")
    results.locator("text=王芳").wait_for()
    assert "李四" not in results.inner_text()
    # The keyboard: down from the box to the first result, Enter opens it.
    box.press("ArrowDown")
    focused = page.evaluate("document.activeElement.textContent")
    assert "王芳" in focused or "瑞丰" in focused
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/customers/{customer.number}/**")
    assert page.console_errors == []

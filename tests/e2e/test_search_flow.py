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


def test_supervisor_merges_a_duplicate_pair_choosing_one_field(open_page):
    manager = UserFactory(username="xiaoming", role=role("manager"))
    UserFactory(username="zhangjing", role=role("supervisor"))
    older = CustomerFactory(manager=manager, name="瑞丰电子有限公司", phone="010-11112222")
    newer = CustomerFactory(manager=manager, name="瑞丰电子", phone="010-33334444")
    ContactFactory(customer=newer, name="王芳")

    page = open_page("en-US")
    login(page, "zhangjing", PASSWORD)
    page.goto("/customers/")
    page.locator("[data-testid=duplicates-link]").click()
    page.locator("[data-testid=merge-link]").first.click()
    page.wait_for_url(f"**/search/merge/{older.number}/{newer.number}/")
    page.locator("input[name=phone][value=second]").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-testid=merge-submit]").click()
    page.wait_for_url(f"**/customers/{older.number}/")
    assert "010-33334444" in page.content()
    assert "王芳" in page.content()
    assert page.console_errors == []

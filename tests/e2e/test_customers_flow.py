import pytest

from sales.models import Activity, Contact
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_adds_a_contact_and_an_interaction(open_page):
    manager = UserFactory(username="xiaoming", role=role("manager"))
    customer = CustomerFactory(manager=manager, name="聪海信息科技有限公司")

    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    page.click("[data-right='sales.view_customer']")
    page.click(f"text={customer.number}")
    page.click("[data-testid=add-contact]")
    page.fill("input[name=name]", "王经理")
    page.fill("input[name=position]", "采购经理")
    page.fill("input[name=phone]", "010-62345678")
    page.fill("input[name=birthday]", "1980-05-04")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Contact “王经理” was saved.")
    page.click("[data-testid=add-activity]")
    page.fill("input[name=occurred_at]", "2026-11-20T10:00")
    page.fill("input[name=place]", "客户公司")
    page.fill("input[name=title]", "年度拜访")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Interaction “年度拜访” was saved.")

    assert page.locator("[data-testid=contacts]").inner_text().count("王经理") == 1
    assert "年度拜访" in page.locator("[data-testid=activities]").inner_text()
    assert Contact.objects.get(customer=customer).birthday.isoformat() == "1980-05-04"
    assert Activity.objects.filter(customer=customer, title="年度拜访").exists()
    assert page.console_errors == []


def test_supervisor_transfers_a_customer_and_the_new_manager_sees_it(open_page):
    supervisor = UserFactory(username="wangcai", role=role("supervisor"))
    old = UserFactory(username="xiaoming", first_name="小明", role=role("manager"))
    new = UserFactory(username="sunxiaomei", first_name="孙小美", role=role("manager"))
    customer = CustomerFactory(manager=old, name="太阳药业")
    assert supervisor.has_perm("sales.transfer_customer")

    page = open_page("en-US")
    login(page, "wangcai", PASSWORD)
    page.goto("/customers/")
    page.check(f"input[name=customer][value='{customer.number}']")
    page.click("[data-testid=transfer]")
    page.select_option("select[name=to_manager]", str(new.pk))
    page.click("[data-testid=apply]")
    page.wait_for_selector("text=transferred to")

    receiver = open_page("zh-CN")
    login(receiver, "sunxiaomei", PASSWORD)
    receiver.goto("/customers/")
    assert "太阳药业" in receiver.locator("[data-testid=customer-table]").inner_text()
    previous = open_page("en-US")
    login(previous, "xiaoming", PASSWORD)
    previous.goto("/customers/")
    assert previous.locator("[data-testid=customer-table]").count() == 0

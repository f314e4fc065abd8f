import pytest

from marketing.models import SalesChance
from sales.models import Customer
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_assigns_and_the_manager_wins_a_customer(open_page):
    UserFactory(username="wangcai", role=role("supervisor"))
    manager = UserFactory(username="xiaoming", first_name="小明", role=role("manager"))

    boss = open_page("en-US")
    login(boss, "wangcai", PASSWORD)
    boss.goto("/marketing/chances/")
    boss.click("[data-testid=new-chance]")
    boss.fill("input[name=customer_name]", "睿智电子科技有限公司")
    boss.fill("input[name=rate]", "70")
    boss.fill("input[name=title]", "采购笔记本电脑")
    boss.fill("input[name=contact]", "刘先生")
    boss.fill("input[name=contact_phone]", "13729239239")
    boss.fill("textarea[name=description]", "客户有意向")
    boss.click("button:has-text('Save')")
    boss.wait_for_selector("text=was saved")
    chance = SalesChance.objects.get()
    boss.click(f"[data-testid=assign-{chance.pk}]")
    boss.select_option("select[name=assignee]", str(manager.pk))
    boss.click("[data-testid=save-assign]")
    boss.wait_for_selector("text=was assigned to")

    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    page.goto("/marketing/development/")
    page.click(f"[data-testid=develop-{chance.pk}]")
    page.fill("[data-testid=new-date]", "2026-11-25")
    page.fill("[data-testid=new-todo]", "上门演示")
    page.click("[data-testid=add-plan]")
    page.wait_for_selector("text=The plan item was added.")
    page.fill("[data-testid=result-1]", "客户满意")
    page.click("[data-testid=execute-1]")
    page.wait_for_selector("text=The result was recorded.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=win]")
    page.wait_for_selector("text=Development succeeded")

    customer = Customer.objects.get()
    assert customer.manager == manager
    page.goto("/customers/")
    assert "睿智电子科技有限公司" in page.locator("[data-testid=customer-table]").inner_text()
    assert page.console_errors == []

import pytest
from playwright.sync_api import expect

from tasks.models import Task
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_rep_adds_a_task_for_a_customer_and_marks_it_done_in_one_click(open_page):
    manager = UserFactory(username="xiaoming", first_name="小明", role=role("manager"))
    customer = CustomerFactory(manager=manager, name="聪海信息科技有限公司")

    page = open_page("zh-CN")
    login(page, "xiaoming", PASSWORD)
    page.goto(f"/tasks/new/?customer={customer.number}")
    assert page.input_value("input[name=customer]") == customer.number
    page.fill("input[name=title]", "拜访聪海")
    page.select_option("select[name=kind]", "visit")
    page.fill("input[name=place]", "北京市海淀区")
    page.fill("input[name=due_date]", "2030-03-04")
    page.fill("input[name=due_time]", "14:30")
    page.fill("input[name=remind_value]", "1")
    page.select_option("select[name=remind_unit]", "hours")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已创建")
    task = Task.objects.get()
    assert task.customer == customer

    page.goto("/tasks/?tab=open")
    row = page.locator(f"#task-{task.pk}")
    assert "拜访聪海" in row.inner_text()
    row.locator("[data-testid=task-done]").click()
    # The button's own label reads 已完成 too: wait for the swapped row, which has no button.
    expect(page.locator(f"#task-{task.pk} [data-testid=task-done]")).to_have_count(0)
    expect(page.locator(f"#task-{task.pk}")).to_contain_text("已完成")
    assert page.url.endswith("/tasks/?tab=open")  # swapped in place, no reload
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert page.console_errors == []

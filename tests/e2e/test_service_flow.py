import pytest

from service.models import ServiceRequest
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _feedback(page, ticket, satisfaction: int) -> None:
    page.goto("/service/feedback/")
    page.click(f"[data-testid=feedback-{ticket.pk}]")
    page.fill("input[name=result]", "客户反馈")
    page.check(f"input[name=satisfaction][value='{satisfaction}']")
    page.click("[data-testid=save-step]")
    page.wait_for_selector("text=Feedback saved")


def _handle(page, ticket, text: str) -> None:
    page.goto("/service/handle/")
    page.click(f"[data-testid=handle-{ticket.pk}]")
    page.fill("textarea[name=handling]", text)
    page.click("[data-testid=save-step]")
    page.wait_for_selector("text=was handled")


def test_ticket_life_cycle_across_roles(open_page):
    UserFactory(username="wangcai", role=role("supervisor"))
    manager = UserFactory(username="xiaoming", first_name="小明", role=role("manager"))
    customer = CustomerFactory(manager=manager, name="聪海信息科技有限公司")

    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    page.goto("/service/new/")
    page.select_option("select[name=type]", label="投诉")
    page.fill("input[name=title]", "送货延迟")
    page.fill("input[name=customer]", "聪海")
    # A locator wait, not wait_for_function: the site's CSP (no unsafe-eval) refuses evaluated
    # strings, as it should.
    page.locator("#customer-options option").first.wait_for(state="attached")
    page.fill("input[name=customer]", customer.number)
    page.fill("textarea[name=request]", "上批订单晚到三天")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=was created")
    ticket = ServiceRequest.objects.get()

    boss = open_page("en-US")
    login(boss, "wangcai", PASSWORD)
    boss.goto("/service/allocate/")
    boss.select_option(f"[data-testid=assignee-{ticket.pk}]", str(manager.pk))
    boss.click(f"[data-testid=allocate-{ticket.pk}]")
    boss.wait_for_selector("text=was allocated to")

    _handle(page, ticket, "已电话道歉")
    _feedback(page, ticket, 2)
    ticket.refresh_from_db()
    assert ticket.status == ServiceRequest.Status.ALLOCATED
    _handle(page, ticket, "补发赠品并致歉")
    _feedback(page, ticket, 5)

    page.goto(f"/service/{ticket.pk}/")
    assert page.locator("[data-testid=ticket-status]").inner_text() == "Archived"
    history = page.locator("[data-testid=history]").inner_text()
    assert history.index("已电话道歉") < history.index("补发赠品并致歉")
    assert page.console_errors == []

"""The opportunity flow with the keyboard only: skip link, a failed submit, create, assign."""

import pytest

from marketing.models import SalesChance
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{selector} not reached with {limit} Tabs")


def test_supervisor_creates_and_assigns_an_opportunity_with_the_keyboard(open_page):
    UserFactory(username="wangcai", role=role("supervisor"))
    manager = UserFactory(
        username="xiaoming", first_name="小明", last_name="王", role=role("manager")
    )
    page = open_page("en-US")
    login(page, "wangcai", PASSWORD)

    # The skip link is the first stop and moves the focus to the main content.
    page.goto("/marketing/chances/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    tab_to(page, "[data-testid=new-chance]", limit=10)
    page.keyboard.press("Enter")
    page.wait_for_url("**/marketing/chances/new/")

    # A failed submit: the focus lands on the error summary, which links to the fields, and each
    # field in error is described by its message.
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-error-summary]")
    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    assert summary.evaluate("e => e === document.activeElement")
    name = page.locator("input[name=customer_name]")
    assert name.get_attribute("aria-invalid") == "true"
    assert name.get_attribute("required") is not None
    described = name.get_attribute("aria-describedby").split()
    error_text = page.locator(f"[id='{described[-1]}']").inner_text()
    assert error_text
    assert error_text in summary.inner_text()
    # The summary's link leads to the field.
    tab_to(page, "[data-error-summary] a[href='#id_customer_name']", limit=3)
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#id_customer_name"

    for field, value in [
        ("customer_name", "睿智电子科技有限公司"),
        ("rate", "70"),
        ("title", "采购笔记本电脑"),
        ("contact", "刘先生"),
        ("contact_phone", "13729239239"),
        ("description", "客户有意向"),
    ]:
        tab_to(page, f"[name={field}]")
        page.keyboard.type(value)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=was saved")
    chance = SalesChance.objects.get()

    tab_to(page, f"[data-testid=assign-{chance.pk}]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/marketing/chances/{chance.pk}/assign/")
    tab_to(page, "select[name=assignee]")
    select = page.locator("select[name=assignee]")
    for _ in range(10):
        if select.input_value() == str(manager.pk):
            break
        page.keyboard.press("ArrowDown")
    assert select.input_value() == str(manager.pk)
    tab_to(page, "[data-testid=save-assign]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=was assigned to")

    chance.refresh_from_db()
    assert chance.assignee == manager
    assert page.console_errors == []

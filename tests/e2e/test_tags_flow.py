"""Tagging customers in bulk from the list, filtering by the tag, saving the filter as a group."""

import pytest

from sales.models import CustomerGroup, CustomerTag
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.sales import CustomerFactory, TagFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_tags_customers_in_bulk_then_filters_and_saves_a_group(open_page):
    manager = UserFactory(username="xiaoming", role=role("manager"))
    picked = [CustomerFactory(manager=manager, name=f"展会客户{n}") for n in range(2)]
    CustomerFactory(manager=manager, name="其他客户")
    tag = TagFactory(name="展会", colour="orange")

    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    page.goto("/customers/")
    for customer in picked:
        page.check(f"input[name=customer][value='{customer.number}']")
    page.click("[data-testid=bulk-tag]")
    page.wait_for_selector("text=Tag customers")
    page.check(f"input[name=tags][value='{tag.pk}']")
    page.click("[data-testid=apply]")
    page.wait_for_selector("text=2 customers were tagged 展会.")
    assert CustomerTag.objects.filter(tag=tag).count() == 2

    page.select_option("[data-testid=filter-form] select[name=tags]", str(tag.pk))
    page.click("[data-testid=filter-form] button[type=submit]")
    page.wait_for_selector("[data-testid=customer-table] .tag-orange")
    table = page.locator("[data-testid=customer-table]").inner_text()
    assert "展会客户0" in table
    assert "展会客户1" in table
    assert "其他客户" not in table

    page.click("[data-testid=save-group]")
    page.fill("input[name='group-name']", "展会客户群")
    page.click("button:has-text('Save')")
    page.wait_for_selector("[data-testid=group-banner]")
    assert "展会客户群" in page.locator("[data-testid=group-banner]").inner_text()
    assert CustomerGroup.objects.get(name="展会客户群").filters["tags"] == [str(tag.pk)]
    page.goto("/customers/groups/")
    page.wait_for_selector("[data-testid=group-table] td:has-text('2')")
    assert page.console_errors == []

"""Campaigns in the browser: tag customers in bulk from the list, save a view of the list
filtered by the tag, make it a customer group, and propose a campaign aimed at that group; a
supervisor approves it."""

import pytest

from accounts.models import SavedView
from marketing.models import Campaign
from sales.models import CustomerGroup
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.sales import CustomerFactory, TagFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_tag_save_a_view_make_a_group_and_aim_a_campaign_at_it(open_page):
    manager = UserFactory(username="xiaoming", role=role("manager"))
    UserFactory(username="wangcai", role=role("supervisor"))
    picked = [CustomerFactory(manager=manager, name=f"展会客户{n}") for n in range(2)]
    CustomerFactory(manager=manager, name="其他客户")
    tag = TagFactory(name="展会", colour="orange")

    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    page.goto("/customers/")
    for customer in picked:
        page.check(f"input[name=customer][value='{customer.number}']")
    page.click("[data-testid=bulk-tag]")
    page.check(f"input[name=tags][value='{tag.pk}']")
    page.click("[data-testid=apply]")
    page.wait_for_selector("text=2 customers were tagged 展会.")

    # The list filtered by the tag, saved as a view that opens the list from now on.
    page.select_option("[data-testid=filter-form] select[name=tags]", str(tag.pk))
    page.click("[data-testid=filter-form] button[type=submit]")
    page.wait_for_selector("[data-testid=customer-table] .tag-orange")
    page.click("[data-testid=saved-views-toggle]")
    page.fill("#save-view-name", "展会客户")
    page.check("#save-view-default")
    page.click("[data-testid=save-view]")
    page.wait_for_selector("text=The view “展会客户” was saved.")
    view = SavedView.objects.get(user=manager)
    assert (view.list_key, view.query, view.is_default) == (
        "sales:customer-list",
        f"tags={tag.pk}&tags_mode=any",
        True,
    )
    page.goto("/customers/")  # no query: the default view applies
    table = page.locator("[data-testid=customer-table]").inner_text()
    assert "展会客户0" in table
    assert "其他客户" not in table
    page.goto("/customers/?view=all")
    assert "其他客户" in page.locator("[data-testid=customer-table]").inner_text()

    # The same filter as a customer group, then a campaign aimed at it.
    page.goto(f"/customers/?tags={tag.pk}")
    page.click("[data-testid=save-group]")
    page.fill("input[name='group-name']", "展会客户群")
    page.click("form button[type=submit]:has-text('Save')")
    page.wait_for_selector("[data-testid=group-banner]")
    group = CustomerGroup.objects.get(name="展会客户群")

    page.goto("/marketing/campaigns/")
    page.click("[data-testid=new-campaign]")
    page.fill("input[name=name]", "春季展会邀约")
    page.select_option("select[name=kind]", label="展会")
    page.fill("input[name=start_date]", "2026-05-01")
    page.fill("input[name=end_date]", "2026-05-03")
    page.fill("input[name=budget]", "20000")
    page.select_option("select[name=target_group]", str(group.pk))
    page.click("form button[type=submit]:has-text('Save')")
    page.wait_for_selector("text=Campaign “春季展会邀约” was saved.")
    campaign = Campaign.objects.get()
    assert (campaign.owner, campaign.target_group, campaign.status) == (manager, group, 1)
    assert "2 customers" in page.locator("[data-testid=campaign-group]").inner_text()
    assert page.locator("[data-testid=campaign-approve]").count() == 0  # not one's own
    assert page.console_errors == []

    supervisor_page = open_page("en-US")
    login(supervisor_page, "wangcai", PASSWORD)
    supervisor_page.goto(f"/marketing/campaigns/{campaign.pk}/")
    supervisor_page.once("dialog", lambda dialog: dialog.accept())
    supervisor_page.click("[data-testid=campaign-approve]")
    supervisor_page.wait_for_selector("text=Campaign “春季展会邀约” was approved.")
    campaign.refresh_from_db()
    assert (campaign.status, campaign.approver.username) == (2, "wangcai")

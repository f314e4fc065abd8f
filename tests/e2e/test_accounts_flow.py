import pytest
from django.utils import translation

from accounts.models import User
from config.navigation import build_menu
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_creates_a_manager_who_sees_the_managers_menu_in_chinese(open_page):
    UserFactory(username="root", role=role("admin"))

    admin_page = open_page("en-US")
    login(admin_page, "root", PASSWORD)
    admin_page.click("[data-right='accounts.manage_users']")
    admin_page.click("text=New user")
    admin_page.fill("input[name=username]", "xiaobao")
    admin_page.fill("input[name=first_name]", "小宝")
    admin_page.select_option("select[name=role]", label="Customer manager")
    admin_page.fill("input[name=password1]", "xiaobao-secret-1")
    admin_page.fill("input[name=password2]", "xiaobao-secret-1")
    admin_page.click("button:has-text('Save')")
    admin_page.wait_for_selector("text=User “xiaobao” was created.")
    assert User.objects.get(username="xiaobao").role == role("manager")
    assert admin_page.console_errors == []

    manager_page = open_page("zh-CN")
    login(manager_page, "xiaobao", "xiaobao-secret-1")
    shown = manager_page.locator("[data-testid=menu] [data-right]")
    perms = User.objects.get(username="xiaobao").get_all_permissions()
    with translation.override("zh-hans"):
        expected = [
            (item.code, item.label) for folder in build_menu(perms, "/") for item in folder.items
        ]
    assert [
        (shown.nth(i).get_attribute("data-right"), shown.nth(i).inner_text().strip())
        for i in range(shown.count())
    ] == expected
    assert "accounts.manage_users" not in [code for code, _ in expected]
    assert manager_page.locator("[data-testid=menu]").inner_text().strip().startswith("首页")
    assert "退出系统" in manager_page.content()
    assert "客户经理" in manager_page.locator("[data-testid=current-user]").inner_text()
    assert manager_page.console_errors == []

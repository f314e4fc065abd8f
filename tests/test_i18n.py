"""The Simplified Chinese catalog covers every translatable string of the current source."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.urls import reverse
from django.utils import translation

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from core.forms import BooleanSelect
from jobs.scheduling import run_now
from marketing.models import PlanItem, SalesChance
from sales.filters import CustomerFilter
from sales.importers import CustomerImporter
from sales.models import Contact, Customer, Order
from service.forms import FeedbackForm
from service.models import ServiceRequest
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import CustomerFactory
from tests.factories.service import ServiceRequestFactory

SOURCES = (
    "manage.py",
    "core",
    "audit",
    "jobs",
    "documents",
    "config",
    "devtools",
    "accounts",
    "inventory",
    "sales",
    "marketing",
    "service",
    "tasks",
    "reports",
    "search",
    "api",
    "templates",
    "locale",
)


def test_chinese_catalog_is_complete_and_current(tmp_path: Path) -> None:
    root = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1"},
        check=True,
    )
    catalog = polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not missing, (
        f"Strings without a Chinese translation (run makemessages and translate): {missing}"
    )
    assert not fuzzy, f"Fuzzy translations to review: {fuzzy}"


# The site's default language ----------------------------------------------------------------


@pytest.mark.site_language
def test_a_fresh_visitor_without_accept_language_gets_chinese(client) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="zh-hans"' in page
    assert "登录" in page


@pytest.mark.site_language
def test_the_browser_and_the_profile_still_win(client, manager) -> None:
    assert (
        'lang="en"'
        in client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    manager.language = "en"
    manager.save()
    client.force_login(manager)
    assert 'lang="en"' in client.get(reverse("home")).content.decode()


@pytest.mark.site_language
@pytest.mark.django_db
def test_the_demo_of_make_run_shows_chinese(client) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    username = DEMO_USERS[0][0]
    assert client.login(username=username, password=DEMO_PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert 'lang="zh-hans"' in page
    assert "首页" in page


# The seed's Chinese terms (SEED_SPEC §6), where one English word means different things -------


def _zh(render):
    with translation.override("zh-hans"):
        return str(render())


def test_the_seed_terms_of_labels_and_statuses() -> None:
    assert _zh(lambda: Contact._meta.get_field("position").verbose_name) == "职位"
    assert _zh(lambda: Contact._meta.get_field("name").verbose_name) == "姓名"
    assert _zh(lambda: Customer._meta.get_field("name").verbose_name) == "名称"
    assert _zh(lambda: CustomerFilter.base_filters["name"].label) == "名称"
    assert _zh(lambda: ServiceRequest.Status.NEW.label) == "新创建"
    assert _zh(lambda: Order.Status.NEW.label) == "新创建"
    assert _zh(lambda: ServiceRequest._meta.get_field("result").verbose_name) == "处理结果"
    assert _zh(lambda: FeedbackForm.base_fields["result"].label) == "处理结果"
    assert _zh(lambda: SalesChance._meta.get_field("description").verbose_name) == "机会描述"
    assert _zh(lambda: SalesChance.Status.FAILED.label) == "开发失败"
    assert _zh(lambda: CustomerImporter.title) == "导入客户"
    # The plan's result on an opportunity keeps the seed's 执行效果.
    assert _zh(lambda: PlanItem._meta.get_field("result").verbose_name) == "执行效果"


def test_strings_of_django_and_django_filter_are_translated() -> None:
    assert _zh(lambda: BLANK_CHOICE_LABEL) == "- 请选择 -"
    with translation.override("zh-hans"):
        assert [str(label) for _value, label in BooleanSelect().choices] == ["未知", "是", "否"]


@pytest.mark.site_language
@pytest.mark.django_db
def test_the_seed_terms_on_the_pages(client, admin_user, supervisor, manager) -> None:
    def page(user, name, *args):
        client.force_login(user)
        return client.get(reverse(name, args=args)).content.decode()

    SalesChanceFactory(creator=supervisor)
    ServiceRequestFactory(customer=CustomerFactory(manager=manager), creator=manager)
    composition = page(supervisor, "reports:composition")
    assert "客户数量" in composition
    assert "占比" in composition
    assert "占比" in page(supervisor, "reports:contribution")
    assert "服务数量" in page(supervisor, "reports:service")
    roles = page(admin_user, "accounts:role-list")
    assert "用户数" in roles
    assert "分配权限" in roles
    assert "创建时间" in page(supervisor, "marketing:chance-list")
    assert "创建日期" in page(supervisor, "service:archive-list")
    required_select = page(manager, "service:create")
    assert "- 请选择 -" in required_select
    assert "Select an option" not in required_select
    run_now(name="detect-customer-loss", user=admin_user)
    jobs = page(admin_user, "jobs:scheduled")
    assert "Celery" not in jobs
    assert "已生成 0 条流失预警。" in jobs

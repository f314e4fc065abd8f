import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import CustomerFactory, OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_executive_dashboard_charts_and_a_pdf_export(open_page):
    UserFactory(username="zhoujie", role=role("executive"))
    manager = UserFactory(username="xiaoming", role=role("manager"))
    customer = CustomerFactory(manager=manager, name="聪海信息科技有限公司")
    for months in range(3):
        OrderLineFactory(
            order__customer=customer,
            order__date=timezone.localdate() - datetime.timedelta(days=30 * months),
            unit_price=Decimal(1000),
        )
    SalesChanceFactory(creator=manager)

    page = open_page("zh-CN")
    login(page, "zhoujie", PASSWORD)
    for chart in ("chart-trend", "chart-funnel", "chart-composition"):
        page.wait_for_selector(f"[data-testid={chart}][data-rendered='1'] svg")
    assert page.console_errors == []

    page.goto("/reports/contribution/")
    page.wait_for_selector("[data-chart][data-rendered='1'] svg")
    with page.expect_download() as download:
        page.click("[data-testid=export-pdf]")
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith(".pdf")
    assert page.console_errors == []

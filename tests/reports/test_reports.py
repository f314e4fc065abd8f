"""The four reports: numbers equal a hand computation, exports match the screen, safe filters."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.builders.contribution import abc_class
from reports.builders.loss import LOSS_ROWS
from reports.registry import build_report
from sales import services as sales_services
from sales.models import Customer, CustomerLoss
from service import services as service_services
from service.models import ServiceRequest
from tests.factories import UserFactory, role
from tests.factories.inventory import level
from tests.factories.sales import (
    CustomerFactory,
    CustomerLossFactory,
    OrderFactory,
    OrderLineFactory,
)
from tests.factories.service import ServiceRequestFactory

pytestmark = pytest.mark.django_db


def _order(customer, date, *amounts):
    order = OrderFactory(customer=customer, date=date)
    for count, price in amounts:
        OrderLineFactory(order=order, count=count, unit_price=Decimal(price))
    return order


@pytest.fixture
def book(manager, other_manager):
    big = CustomerFactory(manager=manager, name="聪海信息科技有限公司")
    mid = CustomerFactory(manager=manager, name="北京明科科技有限公司")
    small = CustomerFactory(manager=other_manager, name="太阳药业")
    CustomerFactory(manager=manager, name="无订单公司")  # no orders at all
    gone = CustomerFactory(manager=manager, name="已删除公司", status=Customer.Status.DELETED)
    _order(big, datetime.date(2025, 3, 1), (10, "700"), (1, "1000"))  # 8000
    _order(big, datetime.date(2025, 12, 31), (1, "2000"))  # 2000, last day of the year
    _order(big, datetime.date(2026, 1, 1), (1, "99999"))  # next year: not in 2025
    _order(mid, datetime.date(2025, 6, 1), (3, "500"))  # 1500
    _order(small, datetime.date(2025, 1, 1), (1, "500"))  # 500, first day of the year
    _order(gone, datetime.date(2025, 5, 1), (1, "100000"))  # deleted: never counted
    return {"big": big, "mid": mid, "small": small}


def _rows(report, table=1):
    return report.tables[table].rows


def test_contribution_for_a_year(supervisor, book) -> None:
    report = build_report("contribution", user=supervisor, params={"year": "2025"})
    rows = _rows(report)
    assert [(r["name"], r["amount"]) for r in rows] == [
        ("聪海信息科技有限公司", Decimal(10000)),
        ("北京明科科技有限公司", Decimal(1500)),
        ("太阳药业", Decimal(500)),
    ]
    assert report.tables[1].totals["amount"] == Decimal(12000)
    assert [round(r["share"], 4) for r in rows] == [0.8333, 0.125, 0.0417]
    assert [round(r["cumulative"], 4) for r in rows] == [0.8333, 0.9583, 1.0]
    assert [r["class"] for r in rows] == ["A", "B", "C"]


def test_contribution_date_range_and_filters(supervisor, manager, book) -> None:
    report = build_report(
        "contribution",
        user=supervisor,
        params={"date_from": "2025-12-01", "date_to": "2026-01-31", "customer": "聪海"},
    )
    assert [(r["name"], r["amount"]) for r in _rows(report)] == [
        ("聪海信息科技有限公司", Decimal(101999))
    ]
    by_manager = build_report(
        "contribution", user=supervisor, params={"year": "2025", "manager": manager.username}
    )
    assert {r["name"] for r in _rows(by_manager)} == {
        "聪海信息科技有限公司",
        "北京明科科技有限公司",
    }


def test_a_managers_report_excludes_other_managers_customers(manager, book) -> None:
    report = build_report("contribution", user=manager, params={"year": "2025"})
    assert "太阳药业" not in {r["name"] for r in _rows(report)}
    composition = build_report("composition", user=manager, params={})
    assert composition.tables[0].totals["count"] == 3  # own customers, deleted one excluded


def test_abc_classes() -> None:
    assert [abc_class(Decimal(x)) for x in ("0", "0.79", "0.80", "0.94", "0.95")] == [
        "A",
        "A",
        "B",
        "B",
        "C",
    ]


def test_composition_by_level_credit_satisfaction(supervisor, manager) -> None:
    CustomerFactory.create_batch(2, manager=manager, level=level(1), credit=5, satisfaction=None)
    CustomerFactory(manager=manager, level=level(3), credit=2, satisfaction=4)
    CustomerFactory(manager=manager, level=level(3), status=Customer.Status.DELETED)

    by_level = build_report("composition", user=supervisor, params={"by": "level"}).tables[0]
    by_credit = build_report("composition", user=supervisor, params={"by": "credit"}).tables[0]
    by_satisfaction = build_report(
        "composition", user=supervisor, params={"by": "satisfaction"}
    ).tables[0]

    assert {r["group"]: r["count"] for r in by_level.rows} == {"普通客户": 2, "大客户": 1}
    assert {r["group"]: r["count"] for r in by_credit.rows} == {"★★★★★": 2, "★★": 1}
    assert {r["group"]: r["count"] for r in by_satisfaction.rows} == {"Not specified": 2, "★★★★": 1}


def test_service_report_counts_types_satisfaction_and_time(supervisor, manager) -> None:
    customer = CustomerFactory(manager=manager)
    tickets = ServiceRequestFactory.create_batch(2, customer=customer, creator=manager)
    ServiceRequestFactory(customer=customer, creator=manager)  # new, never handled
    for ticket, satisfaction in zip(tickets, (5, 4), strict=True):
        service_services.request_allocate(actor=supervisor, ticket=ticket, assignee=manager)
        ticket.refresh_from_db()
        service_services.request_handle(actor=manager, ticket=ticket, handling="ok")
        ticket.refresh_from_db()
        service_services.request_feedback(
            actor=manager, ticket=ticket, result="ok", satisfaction=satisfaction
        )
    report = build_report("service", user=supervisor, params={})  # this year by default

    by_type = report.tables[0]
    assert by_type.rows[0]["count"] == 3
    assert by_type.rows[0]["archived"] == 2
    assert by_type.rows[0]["satisfaction"] == 4.5
    assert by_type.rows[0]["handle_hours"] is not None
    by_assignee = {r["group"]: r["count"] for r in report.tables[1].rows}
    assert by_assignee == {manager.first_name: 2, "Not allocated": 1}
    last_year = build_report(
        "service", user=supervisor, params={"year": str(timezone.localdate().year - 1)}
    )
    assert last_year.is_empty


def test_service_report_periods_follow_local_midnight(supervisor, manager) -> None:
    """The year is the company's (TIME_ZONE), not UTC's: Shanghai's new year starts at 16:00 UTC
    on 31 December."""
    customer = CustomerFactory(manager=manager)
    local = timezone.get_current_timezone()
    for moment in (
        datetime.datetime(2024, 12, 31, 23, 59, 59, tzinfo=local),
        datetime.datetime(2025, 1, 1, 0, 0, tzinfo=local),
        datetime.datetime(2025, 12, 31, 23, 59, 59, tzinfo=local),
        datetime.datetime(2026, 1, 1, 0, 0, tzinfo=local),
    ):
        ticket = ServiceRequestFactory(customer=customer, creator=manager)
        ServiceRequest.objects.filter(pk=ticket.pk).update(created_at=moment)

    def total(params: dict[str, str]) -> int:
        return build_report("service", user=supervisor, params=params).tables[0].totals["count"]

    assert total({"year": "2025"}) == 2
    assert total({"date_from": "2025-12-31", "date_to": "2026-01-01"}) == 2
    assert total({"date_from": "2025-01-01"}) == 3
    assert total({"date_to": "2024-12-31"}) == 1
    # The extreme dates a date field accepts bound nothing rather than overflowing.
    assert total({"date_from": "0001-01-01", "date_to": "9999-12-31"}) == 4
    assert total({"date_to": "9999-12-31"}) == 4


def test_loss_report_lists_confirmed_losses(supervisor, manager, other_manager) -> None:
    confirmed = CustomerLossFactory(
        customer=CustomerFactory(manager=manager, name="云南天河烟草公司"),
        status=CustomerLoss.Status.CONFIRMED,
        reason="价格",
        confirmed_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )
    CustomerLossFactory(
        customer=CustomerFactory(manager=other_manager),
        status=CustomerLoss.Status.CONFIRMED,
        reason="倒闭",
        confirmed_at=timezone.now(),
    )
    CustomerLossFactory(customer=CustomerFactory(manager=manager))  # a warning: not listed

    report = build_report("loss", user=supervisor, params={"customer": "天河"})
    assert report.tables[2].rows == [
        {
            "year": 2025,
            "customer": confirmed.customer.name,
            "manager": manager.first_name,
            "reason": "价格",
        }
    ]
    everyone = build_report("loss", user=supervisor, params={})
    assert {r["group"]: r["count"] for r in everyone.tables[0].rows} == {
        2025: 1,
        timezone.now().year: 1,
    }
    mine = build_report("loss", user=manager, params={})
    assert len(mine.tables[2].rows) == 1
    by_manager = build_report("loss", user=supervisor, params={"manager": manager.username})
    assert [row["reason"] for row in by_manager.tables[2].rows] == ["价格"]
    assert by_manager.tables[1].rows == [{"group": manager.first_name, "count": 1}]


def test_exports_hold_what_the_screen_shows(client, supervisor, book) -> None:
    client.force_login(supervisor)
    query = {"year": "2025"}
    page = client.get(reverse("reports:contribution"), query)
    assert "聪海信息科技有限公司" in page.content.decode()

    xlsx = client.get(reverse("reports:export", args=["contribution", "xlsx"]), query)
    workbook = load_workbook(io.BytesIO(xlsx.content))
    sheet = workbook.worksheets[1]
    values = [
        row for row in sheet.iter_rows(values_only=True) if row and row[2] == "聪海信息科技有限公司"
    ]
    assert values[0][4] == 10000
    assert workbook.worksheets[0]._charts  # a native chart

    pdf = client.get(reverse("reports:export", args=["contribution", "pdf"]), query)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "聪海信息科技有限公司" in text
    assert "12,000.00" in text

    raw = b"".join(
        client.get(reverse("reports:export", args=["contribution", "csv"]), query).streaming_content
    )
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    big = next(row for row in rows if len(row) > 4 and row[2] == "聪海信息科技有限公司")
    assert Decimal(big[4]) == 10000


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"date_from": "2025-12-01", "date_to": "2025-01-01"},
        {"date_from": "32/13/2025"},
        {"top": "7"},
    ],
)
def test_bad_filters_give_a_clear_message(client, supervisor, book, query) -> None:
    client.force_login(supervisor)
    response = client.get(reverse("reports:contribution"), query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'data-testid="report-defaults"' in response.content.decode()
    assert (
        client.get(reverse("reports:export", args=["contribution", "pdf"]), query).status_code
        == 200
    )


@pytest.mark.parametrize("slug", ["contribution", "service"])
def test_extreme_dates_answer_without_an_error(client, supervisor, book, slug) -> None:
    client.force_login(supervisor)
    query = {"date_from": "0001-01-01", "date_to": "9999-12-31"}
    response = client.get(reverse(f"reports:{slug}"), query)
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert client.get(reverse("reports:export", args=[slug, "csv"]), query).status_code == 200


def test_the_page_draws_charts_from_json(client, supervisor, book) -> None:
    client.force_login(supervisor)
    page = client.get(reverse("reports:composition")).content.decode()
    assert 'data-chart="chart-0"' in page
    assert '<script id="chart-0" type="application/json">' in page


@pytest.mark.parametrize("size", [2, 20])
def test_query_counts_do_not_grow(
    client, supervisor, manager, django_assert_max_num_queries, size
) -> None:
    for index in range(size):
        customer = CustomerFactory(manager=manager)
        _order(customer, datetime.date(2025, 1 + index % 12, 1), (1, "100"))
        CustomerLossFactory(
            customer=customer, status=CustomerLoss.Status.CONFIRMED, confirmed_at=timezone.now()
        )
        ServiceRequestFactory(customer=customer, creator=manager)
    client.force_login(supervisor)
    for name, limit in (("contribution", 9), ("composition", 9), ("service", 10), ("loss", 10)):
        with django_assert_max_num_queries(limit):
            assert client.get(reverse(f"reports:{name}"), {"year": "2025"}).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("home")).status_code == 200


def test_reports_group_people_by_user_and_show_full_names(supervisor) -> None:
    zhang_wei = UserFactory(username="zw1", first_name="伟", last_name="张", role=role("manager"))
    wang_wei = UserFactory(username="ww2", first_name="伟", last_name="王", role=role("manager"))
    nameless = UserFactory(username="nobody", first_name="", last_name="", role=role("manager"))
    for user, count in ((zhang_wei, 2), (wang_wei, 1), (nameless, 1)):
        for customer in CustomerFactory.create_batch(count, manager=user):
            CustomerLossFactory(
                customer=customer, status=CustomerLoss.Status.CONFIRMED, confirmed_at=timezone.now()
            )
            ServiceRequestFactory(
                customer=customer,
                creator=user,
                assignee=user,
                status=ServiceRequest.Status.ALLOCATED,
                allocated_at=timezone.now(),
            )
    expected = {str(zhang_wei): 2, str(wang_wei): 1, "nobody": 1}
    assert str(zhang_wei) != str(wang_wei)

    composition = build_report("composition", user=supervisor, params={}).tables[2]
    assert {row["group"]: row["count"] for row in composition.rows} == expected
    service = build_report("service", user=supervisor, params={}).tables[1]
    assert {row["group"]: row["count"] for row in service.rows} == expected
    loss = build_report("loss", user=supervisor, params={}).tables[1]
    assert {row["group"]: row["count"] for row in loss.rows} == expected


def test_the_loss_report_keeps_the_manager_of_the_loss_and_is_paged(
    client, supervisor, manager, other_manager
) -> None:
    customers = CustomerFactory.create_batch(3, manager=manager)
    for customer in customers:
        loss = CustomerLossFactory(customer=customer)
        sales_services.loss_confirm(actor=manager, loss=loss, reason="价格")
    sales_services.customer_transfer(
        actor=supervisor, customers=customers, to_manager=other_manager, note=""
    )
    report = build_report("loss", user=supervisor, params={})
    assert {row["manager"] for row in report.tables[2].rows} == {str(manager)}
    assert report.tables[1].rows == [{"group": str(manager), "count": 3}]
    mine = build_report("loss", user=supervisor, params={"manager": manager.username})
    assert len(mine.tables[2].rows) == 3

    more = LOSS_ROWS + 5
    for customer in CustomerFactory.create_batch(more, manager=manager):
        CustomerLossFactory(
            customer=customer, status=CustomerLoss.Status.CONFIRMED, confirmed_at=timezone.now()
        )
    first = build_report("loss", user=supervisor, params={})
    assert len(first.tables[2].rows) == LOSS_ROWS
    second = build_report("loss", user=supervisor, params={"page": "2"})
    assert len(second.tables[2].rows) == more + 3 - LOSS_ROWS
    client.force_login(supervisor)
    page = client.get(reverse("reports:loss")).content.decode()
    assert 'data-testid="pager"' in page
    assert "page=2" in page


def test_the_migration_fills_the_manager_of_existing_losses(manager) -> None:
    from importlib import import_module

    from django.apps import apps

    loss = CustomerLossFactory(customer=CustomerFactory(manager=manager), manager=None)
    import_module("sales.migrations.0008_loss_manager").fill_from_the_current_manager(apps, None)
    loss.refresh_from_db()
    assert loss.manager == manager

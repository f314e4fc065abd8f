"""A customer group as the scope of the customer-based reports and their e-mails."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.forms import GROUP_NOT_FOR_REPORT, GROUP_NOT_SHARED
from reports.models import ReportSubscription
from reports.registry import build_report
from sales import services as sales_services
from tests.factories.sales import CustomerFactory, CustomerGroupFactory, OrderLineFactory

pytestmark = pytest.mark.django_db


def _counts(report) -> dict[str, int]:
    return {row["group"]: row["count"] for row in report.tables[2].rows}  # by manager


def test_composition_by_group_counts_the_viewers_members_only(supervisor, manager, other_manager):
    CustomerFactory(manager=manager, name="北京甲")
    CustomerFactory(manager=other_manager, name="北京乙")
    CustomerFactory(manager=manager, name="上海丙")
    group = sales_services.group_save(
        actor=supervisor, name="北京", shared=True, filters={"name": "北京"}
    )
    everyone = build_report("composition", user=supervisor, params={"group": str(group.pk)})
    assert _counts(everyone) == {str(manager): 1, str(other_manager): 1}
    assert ("Customer group", "北京") in everyone.filters
    mine = build_report("composition", user=manager, params={"group": str(group.pk)})
    assert _counts(mine) == {str(manager): 1}
    unscoped = build_report("composition", user=manager, params={})
    assert sum(_counts(unscoped).values()) == 2
    # Another rep's personal group is out of reach: the report is empty, never unscoped.
    personal = CustomerGroupFactory(owner=other_manager, filters={"name": "北京"})
    hidden = build_report("composition", user=manager, params={"group": str(personal.pk)})
    assert _counts(hidden) == {}


def test_contribution_by_group(supervisor, manager):
    year = timezone.localdate().year - 1
    inside = CustomerFactory(manager=manager, name="北京甲")
    outside = CustomerFactory(manager=manager, name="上海丙")
    for customer in (inside, outside):
        OrderLineFactory(order__customer=customer, order__date=datetime.date(year, 5, 1))
    group = sales_services.group_save(actor=manager, name="北京", filters={"name": "北京"})
    report = build_report(
        "contribution", user=manager, params={"year": str(year), "group": str(group.pk)}
    )
    names = [row["name"] for row in report.tables[1].rows]
    assert names == ["北京甲"]


def test_a_subscription_takes_a_group_for_customer_reports_only(client, supervisor, manager):
    personal = sales_services.group_save(actor=supervisor, name="我的", filters={})
    shared = sales_services.group_save(actor=supervisor, name="团队", shared=True, filters={})
    client.force_login(supervisor)
    base = {
        "name": "构成",
        "report": "composition",
        "filters": "by=credit",
        "format": "csv",
        "recipients": [manager.pk],
        "frequency": "weekly",
        "weekday": "0",
        "send_time": "08:00",
        "is_active": "on",
    }
    url = reverse("reports:subscription-create")
    refused = client.post(url, {**base, "group": personal.pk})
    assert GROUP_NOT_SHARED in refused.context["form"].errors["group"]
    refused = client.post(url, {**base, "report": "service", "group": shared.pk})
    assert GROUP_NOT_FOR_REPORT in refused.context["form"].errors["group"]
    assert client.post(url, {**base, "group": shared.pk}).status_code == 302
    subscription = ReportSubscription.objects.get()
    assert subscription.params == {"by": "credit", "group": str(shared.pk)}
    edit = client.get(reverse("reports:subscription-edit", args=[subscription.pk]))
    assert edit.context["form"]["group"].initial == str(shared.pk)

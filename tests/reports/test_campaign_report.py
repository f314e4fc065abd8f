"""The campaign report: responses, won, won amount, actual cost, ROI; filters, exports, the
query count and the report e-mails."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from marketing.models import Campaign, SalesChance
from reports import services
from reports.models import ReportSubscription
from reports.registry import REPORTS, build_report
from tests.factories.marketing import (
    CampaignFactory,
    CampaignLogFactory,
    SalesChanceFactory,
    campaign_kind,
)

pytestmark = pytest.mark.django_db

WON = SalesChance.Status.SUCCEEDED
MAY = datetime.date(2026, 5, 1)


def _won(campaign, creator, amount) -> SalesChance:
    return SalesChanceFactory(
        creator=creator,
        assignee=creator,
        status=WON,
        expected_amount=Decimal(amount),
        campaign=campaign,
    )


def _world(supervisor, manager):
    """An exhibition that cost 2,000 + 500.50 and won 4,000 + 1,250.25 (one lost besides, one
    open); an e-mail campaign that cost nothing and won 800."""
    fair = CampaignFactory(
        name="春季展会", owner=manager, status=Campaign.Status.FINISHED, start_date=MAY
    )
    CampaignLogFactory(campaign=fair, cost=Decimal("2000.00"))
    CampaignLogFactory(campaign=fair, cost=Decimal("500.50"))
    _won(fair, manager, "4000.00")
    _won(fair, supervisor, "1250.25")
    SalesChanceFactory(creator=manager, campaign=fair)
    SalesChanceFactory(
        creator=manager, assignee=manager, status=SalesChance.Status.FAILED, campaign=fair
    )
    mail = CampaignFactory(
        name="邮件推广",
        kind=campaign_kind("e-mail"),
        owner=manager,
        status=Campaign.Status.RUNNING,
        start_date=MAY + datetime.timedelta(days=40),
    )
    _won(mail, manager, "800.00")
    return fair, mail


def _rows(report):
    return {row["name"]: row for row in report.tables[0].rows}


def test_the_figures_and_roi(supervisor, manager) -> None:
    _world(supervisor, manager)
    report = build_report("campaign", user=supervisor, params={"year": "2026"})
    rows = _rows(report)
    fair = rows["春季展会"]
    cost = Decimal("2000.00") + Decimal("500.50")
    won = Decimal("4000.00") + Decimal("1250.25")
    assert (fair["responses"], fair["won"]) == (4, 2)
    assert fair["cost"] == cost
    assert fair["won_amount"] == won
    # (5250.25 − 2500.50) / 2500.50 = 1.09968…, to 4 places
    assert fair["roi"] == ((won - cost) / cost).quantize(Decimal("0.0001"))
    assert fair["roi"] == Decimal("1.0997")
    assert rows["邮件推广"]["roi"] is None  # it cost nothing
    totals = report.tables[0].totals
    assert totals["won_amount"] == won + Decimal("800.00")
    assert totals["roi"] == ((won + 800 - cost) / cost).quantize(Decimal("0.0001"))


def test_a_rep_counts_only_the_opportunities_they_see(supervisor, manager) -> None:
    _world(supervisor, manager)
    fair = _rows(build_report("campaign", user=manager, params={"year": "2026"}))["春季展会"]
    assert (fair["responses"], fair["won"], fair["won_amount"]) == (3, 1, Decimal("4000.00"))
    assert fair["roi"] == Decimal("0.5997")  # (4000 − 2500.50) / 2500.50


def test_filters_period_kind_status(supervisor, manager) -> None:
    _world(supervisor, manager)

    def names(**params):
        return set(_rows(build_report("campaign", user=supervisor, params=params)))

    assert names(year="2025") == set()
    assert names(date_from="2026-06-05", date_to="2026-12-31") == {"邮件推广"}
    assert names(year="", kind=str(campaign_kind("e-mail").pk)) == {"邮件推广"}
    assert names(year="", status=str(Campaign.Status.FINISHED)) == {"春季展会"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_exports(client, supervisor, manager, fmt) -> None:
    _world(supervisor, manager)
    client.force_login(supervisor)
    answer = client.get(reverse("reports:export", kwargs={"slug": "campaign", "fmt": fmt}))
    assert answer.status_code == 200
    body = b"".join(answer.streaming_content if answer.streaming else [answer.content])
    if fmt == "csv":
        assert "春季展会".encode() in body


def test_page_print_and_query_count(
    client, supervisor, manager, django_assert_max_num_queries
) -> None:
    for _ in range(5):
        _world(supervisor, manager)
    client.force_login(supervisor)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reports:campaign") + "?year=2026")
    assert response.status_code == 200
    assert client.get(reverse("reports:print", kwargs={"slug": "campaign"})).status_code == 200


def test_it_is_in_the_catalogue_and_the_subscriptions(
    supervisor, manager, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    assert REPORTS["campaign"].permission == "reports.view_campaign"
    _world(supervisor, manager)
    supervisor.email = "boss@example.com"
    supervisor.save()
    subscription = services.subscription_save(
        actor=supervisor,
        subscription=ReportSubscription(),
        recipients=[supervisor],
        name="活动周报",
        report="campaign",
        format="csv",
        frequency="weekly",
        weekday=0,
        send_time=datetime.time(8, 0),
        skip_if_empty=False,
        filters="year=2026",
    )
    moment = datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)
    ReportSubscription.objects.filter(pk=subscription.pk).update(next_run_at=moment)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.dispatch_due(now=moment) == 1
    _name, content, _type = mailoutbox[0].attachments[0]
    assert "春季展会" in (content if isinstance(content, str) else content.decode("utf-8-sig"))

"""`seed_volume --scale 0.01` produces a small, consistent benchmark data set."""

import datetime

import pytest
from django.core.management import call_command
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from devtools.management.commands.seed_volume import BUSY_MONTH_TASKS
from inventory.models import Product
from marketing.models import SalesChance
from sales.models import Activity, Customer, CustomerLoss, Order, OrderLine
from service.models import ServiceRequest
from tasks.models import Task


@pytest.fixture
def volume(db):
    call_command("seed_volume", scale=0.01, seed=7, verbosity=0)


def test_counts_follow_the_scale(volume):
    assert Customer.objects.count() == 1000
    assert Order.objects.count() == 2000
    assert OrderLine.objects.count() == 10_000
    assert SalesChance.objects.count() == 500
    assert ServiceRequest.objects.count() == 1000
    assert Activity.objects.count() == 10_000
    assert Task.objects.count() == 5000 + BUSY_MONTH_TASKS


def test_tasks_and_interactions_are_consistent(volume):
    assert not Activity.objects.exclude(author=models.F("customer__manager")).exists()
    linked = Task.objects.filter(customer__isnull=False)
    assert linked.exists()
    assert not linked.exclude(owner=models.F("customer__manager")).exists()
    # No reminder of the past is left to send: the first tick must not flood anyone.
    assert not Task.objects.filter(
        status=Task.Status.OPEN, reminded_at__isnull=True, remind_at__lte=timezone.now()
    ).exists()
    month = timezone.localdate().replace(day=1)
    busy = Task.objects.filter(owner__username="vol_manager01", due_at__date__gte=month)
    assert busy.filter(due_at__date__lt=month + datetime.timedelta(days=32)).count() >= 2000
    assert Task.objects.filter(due_at__gt=timezone.now()).exists()


def test_references_are_consistent(volume):
    assert not OrderLine.objects.exclude(product__in=Product.objects.all()).exists()
    assert not Customer.objects.filter(manager__isnull=True).exists()
    assert not Order.objects.filter(lines__isnull=True).exists()
    numbers = list(Customer.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("KH") and len(n) <= 17 for n in numbers)
    won = SalesChance.objects.filter(status=SalesChance.Status.SUCCEEDED)
    assert not won.filter(customer__isnull=True).exists()
    assert not SalesChance.objects.filter(status__gt=1, assignee__isnull=True).exists()
    archived = ServiceRequest.objects.filter(status=ServiceRequest.Status.ARCHIVED)
    assert not archived.filter(Q(satisfaction__isnull=True) | Q(handled_at__isnull=True)).exists()


def test_loss_records_follow_the_rule(volume):
    """Every normal customer without an order in six months has an open record, no other has."""
    limit = timezone.localdate() - datetime.timedelta(days=182)
    customers = Customer.objects.annotate(last=Max("orders__date"))
    qualifying = {c.pk for c in customers if (c.last or timezone.localdate(c.created_at)) < limit}
    recorded = set(CustomerLoss.objects.values_list("customer_id", flat=True))
    assert recorded == qualifying
    lost = set(Customer.objects.filter(status=Customer.Status.LOST).values_list("pk", flat=True))
    confirmed = set(
        CustomerLoss.objects.filter(status=CustomerLoss.Status.CONFIRMED).values_list(
            "customer_id", flat=True
        )
    )
    assert lost == confirmed
    assert CustomerLoss.objects.filter(status=CustomerLoss.Status.WARNING).exists()


def _volume_snapshot() -> list[tuple[str, str, int]]:
    return list(
        Customer.objects.order_by("id", "orders__id", "orders__lines__id").values_list(
            "name", "manager__username", "orders__lines__count"
        )
    )


def _delete_volume() -> None:
    from marketing.models import PlanItem, Quote
    from sales.models import Activity, Contact, LossMeasure
    from service.models import ServiceEvent

    for model in (
        Quote,
        ServiceEvent,
        ServiceRequest,
        PlanItem,
        SalesChance,
        LossMeasure,
        CustomerLoss,
    ):
        model.objects.all().delete()
    for model in (OrderLine, Order, Activity, Contact, Customer, Product):
        model.objects.all().delete()


def test_the_same_seed_gives_the_same_data(db):
    call_command("seed_volume", scale=0.002, seed=3, verbosity=0)
    first = _volume_snapshot()
    _delete_volume()
    call_command("seed_volume", scale=0.002, seed=3, verbosity=0)
    assert _volume_snapshot() == first
    _delete_volume()
    call_command("seed_volume", scale=0.002, seed=4, verbosity=0)
    assert _volume_snapshot() != first


def test_quotes_follow_the_scale_and_add_up(volume):
    from django.db.models import Count

    from marketing import pricing
    from marketing.models import Quote, QuoteLine

    assert Quote.objects.count() == 1000
    per_quote = Quote.objects.annotate(n=Count("lines")).values_list("n", flat=True)
    assert set(per_quote) <= {2, 3, 4}
    assert 2.5 <= QuoteLine.objects.count() / 1000 <= 3.5
    assert not Quote.objects.exclude(creator=models.F("customer__manager")).exists()
    assert not Quote.objects.filter(status=Quote.Status.ACCEPTED).exists()
    assert not Quote.objects.filter(status=Quote.Status.PENDING, max_discount__lte=10).exists()
    for quote in Quote.objects.prefetch_related("lines")[:50]:
        totals = pricing.totals(
            pricing.LineInput(line.quantity, line.unit_price, line.discount, line.tax_rate)
            for line in quote.lines.all()
        )
        assert (quote.net_amount, quote.tax_amount, quote.gross_amount) == totals[:3]


def test_campaigns_with_logs_and_opportunities(volume):
    from marketing.models import Campaign, CampaignLog

    assert Campaign.objects.count() == 3
    assert not Campaign.objects.filter(end_date__lt=models.F("start_date")).exists()
    assert not Campaign.objects.filter(approver=models.F("owner")).exists()
    started = Campaign.objects.filter(status__in=[3, 4])
    assert set(CampaignLog.objects.values_list("campaign", flat=True)) <= set(
        started.values_list("pk", flat=True)
    )
    if started.exists():
        assert SalesChance.objects.filter(campaign__in=started).count() == 50


def test_the_campaign_pages_of_the_bench_answer_within_the_query_budget(volume, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from devtools.management.commands.bench import PAGES, _bench_users

    users = _bench_users()
    pages = [page for page in PAGES if "campaign" in page.label]
    assert len(pages) >= 9
    for page in pages:
        for role in page.roles:
            client.force_login(users[role])
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.url(users[role]))
            assert response.status_code == 200, (page.label, role)
            if page.kind == "list":
                assert len(queries.captured_queries) <= 12, (page.label, role)

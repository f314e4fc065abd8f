"""The forecast, sales performance, product sales and stage conversion reports: each number
equals one computed here from the records the test made."""

import datetime
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.models import DictItem, DictType
from marketing import services as marketing_services
from marketing.models import SalesChance, Stage
from reports.builders.forecast import period_label
from reports.builders.product_sales import previous_period
from reports.dashboards import dashboard
from reports.registry import build_report
from tests.factories.inventory import ProductFactory
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import CustomerFactory, OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

YEAR = 2026


def _stages() -> list[Stage]:
    return list(Stage.objects.filter(is_active=True).order_by("order"))


def _developing(supervisor, assignee, *, amount, close, stage=0, probability=None):
    chance = SalesChanceFactory(
        creator=supervisor, expected_amount=Decimal(amount), expected_close_date=close,
        probability=probability,
    )  # fmt: skip
    marketing_services.chance_assign(actor=supervisor, chance=chance, assignee=assignee)
    if stage:
        marketing_services.chance_move_stage(
            actor=supervisor, chance=chance, stage=_stages()[stage]
        )
    chance.refresh_from_db()
    return chance


@pytest.fixture
def pipeline(supervisor, manager, other_manager):
    """Random developing opportunities over the year, with and without their own probability."""
    generator = random.Random(20)
    chances = []
    for _ in range(40):
        chances.append(
            _developing(
                supervisor,
                generator.choice([manager, other_manager]),
                amount=generator.randrange(1000, 90000),
                close=datetime.date(YEAR, generator.randrange(1, 13), generator.randrange(1, 29)),
                stage=generator.randrange(0, 4),
                probability=generator.choice([None, None, 5, 45, 95]),
            )
        )
    # Outside the year: never forecast for it.
    _developing(supervisor, manager, amount=77777, close=datetime.date(YEAR + 1, 1, 1))
    return chances


def _expected(chance: SalesChance) -> Decimal:
    chance.refresh_from_db()
    probability = chance.probability if chance.probability is not None else chance.stage.probability
    return chance.expected_amount * probability / 100


@pytest.mark.parametrize("grain", ["month", "quarter", "year"])
def test_the_forecast_equals_amount_times_probability(supervisor, pipeline, grain) -> None:
    report = build_report("forecast", user=supervisor, params={"year": str(YEAR), "grain": grain})
    by_period = {row["period"]: row for row in report.tables[0].rows}
    expected: dict[str, Decimal] = {}
    for chance in pipeline:
        key = period_label(chance.expected_close_date, grain)
        expected[key] = expected.get(key, Decimal(0)) + _expected(chance)
    for key, value in expected.items():
        assert by_period[key]["expected"] == pytest.approx(value, abs=Decimal("0.05"))
    assert sum(r["expected"] for r in by_period.values()) == pytest.approx(
        sum(expected.values()), abs=Decimal("0.5")
    )
    assert len(by_period) == {"month": 12, "quarter": 4, "year": 1}[grain]


def test_the_forecast_per_rep_and_what_was_won(supervisor, manager, other_manager, pipeline):
    won = pipeline[0]
    won.refresh_from_db()
    marketing_services.chance_win(actor=won.assignee, chance=won)
    report = build_report("forecast", user=supervisor, params={"year": str(YEAR)})
    reps = {row["rep"]: row for row in report.tables[1].rows}
    for user in (manager, other_manager):
        mine = [c for c in pipeline[1:] if c.assignee_id == user.pk]  # the won one is closed
        assert reps[str(user)]["expected"] == pytest.approx(
            sum((_expected(c) for c in mine), Decimal(0)), abs=Decimal("0.5")
        )
    assert reps[str(won.assignee)]["won"] == won.expected_amount
    this_month = period_label(timezone.localdate(), "month")
    if timezone.localdate().year == YEAR:
        months = {row["period"]: row for row in report.tables[0].rows}
        assert months[this_month]["won"] == won.expected_amount


def test_a_manager_forecasts_only_their_own(manager, pipeline) -> None:
    report = build_report("forecast", user=manager, params={"year": str(YEAR)})
    assert {row["rep"] for row in report.tables[1].rows} <= {str(manager)}


def test_the_forecast_is_on_the_supervisor_and_executive_dashboards(
    supervisor, executive, manager
) -> None:
    assert "forecast" in dashboard(supervisor).sections
    assert "forecast" in dashboard(executive).sections
    assert "forecast" not in dashboard(manager).sections


def test_the_home_page_shows_the_forecast_block(client, supervisor, manager) -> None:
    today = timezone.localdate()
    _developing(supervisor, manager, amount=1000, close=today, probability=50)
    client.force_login(supervisor)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="forecast-view"' in page
    assert "500.00" in page


def test_sales_performance_per_rep(supervisor, manager, other_manager) -> None:
    lost = DictItem.objects.filter(type=DictType.CHANCE_LOST_REASON).first()
    for _ in range(3):
        chance = _developing(supervisor, manager, amount=100, close=None)
        marketing_services.chance_win(actor=manager, chance=chance)
    chance = _developing(supervisor, manager, amount=100, close=None)
    marketing_services.chance_fail(actor=manager, chance=chance, reason=lost)
    customer = CustomerFactory(manager=other_manager)
    order = OrderFactory(customer=customer, date=timezone.localdate())
    OrderLineFactory(order=order, count=2, unit_price=Decimal("50"))
    report = build_report("performance", user=supervisor, params={})
    rows = {row["rep"]: row for row in report.tables[0].rows}
    assert (rows[str(manager)]["won"], rows[str(manager)]["lost"]) == (3, 1)
    assert rows[str(manager)]["conversion"] == pytest.approx(0.75)
    assert rows[str(manager)]["cycle"] == pytest.approx(0, abs=0.1)
    # The won opportunities made customers of the manager, without orders.
    assert rows[str(other_manager)]["orders"] == 1
    assert rows[str(other_manager)]["amount"] == Decimal("100")
    assert report.tables[0].totals["won"] == 3


def test_product_sales_and_rising_and_falling_products(supervisor, manager) -> None:
    rising, falling, steady, new = (ProductFactory() for _ in range(4))
    customer = CustomerFactory(manager=manager)

    def sell(product, day, count):
        order = OrderFactory(customer=customer, date=day)
        OrderLineFactory(order=order, product=product, count=count, unit_price=Decimal("10"))

    this, last = datetime.date(2025, 6, 1), datetime.date(2024, 6, 1)
    sell(rising, last, 10)
    sell(rising, this, 15)  # +50 %
    sell(falling, last, 10)
    sell(falling, this, 5)  # -50 %
    sell(steady, last, 10)
    sell(steady, this, 11)  # +10 %: below the 20 % threshold
    sell(new, this, 3)
    report = build_report("product-sales", user=supervisor, params={"year": "2025"})
    summary = {row["product"]: row for row in report.tables[0].rows}
    assert summary[rising.name] == {
        "product": rising.name,
        "model": rising.model,
        "quantity": 15,
        "amount": Decimal("150"),
    }
    assert report.tables[0].totals["quantity"] == 15 + 5 + 11 + 3
    assert {row["product"] for row in report.tables[1].rows} == {rising.name, new.name}
    assert [row["product"] for row in report.tables[2].rows] == [falling.name]
    assert report.tables[2].rows[0]["change"] == Decimal("-0.5")


def test_the_previous_period_has_the_same_length() -> None:
    assert previous_period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )
    assert previous_period(datetime.date(2025, 3, 11), datetime.date(2025, 3, 20)) == (
        datetime.date(2025, 3, 1),
        datetime.date(2025, 3, 10),
    )


def test_stage_conversion_counts_entries_and_moves_on(supervisor, manager) -> None:
    lost = DictItem.objects.filter(type=DictType.CHANCE_LOST_REASON).first()
    a = _developing(supervisor, manager, amount=1, close=None, stage=1)  # 1 → 2
    b = _developing(supervisor, manager, amount=1, close=None, stage=2)  # 1 → 3
    marketing_services.chance_move_stage(actor=supervisor, chance=b, stage=_stages()[1])  # back
    c = _developing(supervisor, manager, amount=1, close=None)  # stays in 1
    marketing_services.chance_win(actor=manager, chance=a)  # 2 → won
    marketing_services.chance_fail(actor=manager, chance=c, reason=lost)  # 1 → lost: not on
    report = build_report("stage-funnel", user=supervisor, params={"year": ""})
    rows = {row["stage"]: row for row in report.tables[0].rows}
    first, second, third, _fourth = (s.name for s in _stages())
    assert (rows[first]["entered"], rows[first]["moved_on"]) == (3, 2)
    assert (rows[second]["entered"], rows[second]["moved_on"]) == (2, 1)
    assert (rows[third]["entered"], rows[third]["moved_on"]) == (1, 0)
    assert rows[first]["rate"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("slug", ["forecast", "performance", "product-sales", "stage-funnel"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_the_new_reports_export(client, supervisor, manager, slug, fmt) -> None:
    _developing(supervisor, manager, amount=1000, close=timezone.localdate())
    client.force_login(supervisor)
    answer = client.get(reverse("reports:export", kwargs={"slug": slug, "fmt": fmt}))
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content if answer.streaming else [answer.content])


@pytest.mark.parametrize("slug", ["forecast", "performance", "product-sales", "stage-funnel"])
def test_report_query_counts(client, supervisor, manager, django_assert_max_num_queries, slug):
    for _ in range(5):
        _developing(supervisor, manager, amount=1000, close=timezone.localdate(), stage=1)
    client.force_login(supervisor)
    with django_assert_max_num_queries(14):
        assert client.get(reverse(f"reports:{slug}")).status_code == 200

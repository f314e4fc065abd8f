"""Two people acting on one quote at once: the row lock lets exactly one through (PostgreSQL)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from marketing import services
from marketing.models import Quote
from sales.models import CustomerMonthSales, Order
from tests.factories import UserFactory, role
from tests.factories.inventory import ProductFactory
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")


def _race(*calls) -> list[str]:
    """Run the calls in threads released together; "ok" or the refusal of each."""
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait()
            call()
            outcomes[index] = "ok"
        except ValidationError as error:
            outcomes[index] = " ".join(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _quote(manager, discount: str) -> Quote:
    return services.quote_create(
        actor=manager,
        customer=CustomerFactory(manager=manager),
        lines=[{"product": ProductFactory(), "quantity": 2, "unit_price": Decimal(50),
                "discount": Decimal(discount)}],
        valid_until=timezone.localdate() + datetime.timedelta(days=5),
    )  # fmt: skip


def test_two_acceptances_at_once_create_exactly_one_order(manager, supervisor) -> None:
    quote = services.quote_submit(actor=manager, quote=_quote(manager, "0"))
    quote = services.quote_send(actor=manager, quote=quote)

    outcomes = _race(
        lambda: services.quote_accept(actor=manager, quote=quote),
        lambda: services.quote_accept(actor=supervisor, quote=quote),
    )

    assert sorted(outcomes)[-1] == "ok"
    assert outcomes.count("ok") == 1
    assert Order.objects.count() == 1
    assert CustomerMonthSales.objects.get().orders == 1
    assert Quote.objects.get(pk=quote.pk).order == Order.objects.get()


def test_two_approvals_at_once_approve_once(manager, supervisor) -> None:
    other = UserFactory(role=role("supervisor"))
    quote = services.quote_submit(actor=manager, quote=_quote(manager, "40"))

    outcomes = _race(
        lambda: services.quote_approve(actor=supervisor, quote=quote),
        lambda: services.quote_approve(actor=other, quote=quote),
    )

    assert outcomes.count("ok") == 1
    assert Quote.objects.get(pk=quote.pk).events.filter(kind="approved").count() == 1

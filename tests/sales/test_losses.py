"""Customer loss: detection, pause with measures, confirmation, recovery by a new order."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jobs.models import JobRun
from sales import services
from sales.models import Customer, CustomerLoss
from tests.factories.sales import CustomerFactory, CustomerLossFactory, OrderFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)


def _aged(customer: Customer, days: int) -> Customer:
    Customer.objects.filter(pk=customer.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    return customer


def test_detection_opens_one_warning_per_qualifying_customer_and_is_idempotent() -> None:
    stale = CustomerFactory()
    OrderFactory(customer=stale, date=datetime.date(2026, 5, 1))
    fresh = CustomerFactory()
    OrderFactory(customer=fresh, date=datetime.date(2026, 10, 1))
    never_old = _aged(CustomerFactory(), 400)  # never ordered, created long ago
    _aged(CustomerFactory(), 30)  # never ordered, but new
    _aged(CustomerFactory(status=Customer.Status.DELETED), 400)
    _aged(CustomerFactory(status=Customer.Status.LOST), 400)
    paused = _aged(CustomerFactory(), 400)
    CustomerLossFactory(customer=paused, status=CustomerLoss.Status.PAUSED)

    assert services.detect_customer_loss(today=TODAY) == 2
    assert services.detect_customer_loss(today=TODAY) == 0

    warnings = CustomerLoss.objects.filter(status=CustomerLoss.Status.WARNING)
    assert set(warnings.values_list("customer", flat=True)) == {stale.pk, never_old.pk}
    assert warnings.get(customer=stale).last_order_date == datetime.date(2026, 5, 1)
    # The loss remembers the manager of its time, whatever happens to the customer later.
    assert warnings.get(customer=stale).manager == stale.manager


def test_cutoff_is_six_calendar_months() -> None:
    assert services.loss_cutoff(datetime.date(2026, 8, 31)) == datetime.date(2026, 2, 28)
    assert services.loss_cutoff(datetime.date(2026, 3, 15)) == datetime.date(2025, 9, 15)


def test_command_and_task_run_the_detection(admin_user) -> None:
    _aged(CustomerFactory(), 400)
    call_command("detect_customer_loss")
    assert CustomerLoss.objects.count() == 1

    from sales.tasks import detect_customer_loss

    _aged(CustomerFactory(), 400)
    assert (
        detect_customer_loss.delay(triggered_by=admin_user.pk).get() == "1 loss warning(s) opened."
    )
    assert JobRun.objects.get(name="detect-customer-loss").status == "succeeded"


def test_pause_appends_measures_and_earlier_ones_stay(client, manager) -> None:
    loss = CustomerLossFactory(customer=CustomerFactory(manager=manager))
    client.force_login(manager)
    client.post(reverse("sales:loss-pause", args=[loss.pk]), {"measure": "打折促销"})
    client.post(reverse("sales:loss-pause", args=[loss.pk]), {"measure": "上门拜访"})

    loss.refresh_from_db()
    assert loss.status == CustomerLoss.Status.PAUSED
    assert [m.text for m in loss.measures.all()] == ["打折促销", "上门拜访"]
    page = client.get(reverse("sales:loss-pause", args=[loss.pk])).content.decode()
    assert page.index("打折促销") < page.index("上门拜访")


def test_confirm_needs_a_reason_and_marks_the_customer_lost(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    loss = CustomerLossFactory(customer=customer)
    client.force_login(manager)

    empty = client.post(reverse("sales:loss-confirm", args=[loss.pk]), {"reason": " "})
    assert "reason" in empty.context["form"].errors
    client.post(reverse("sales:loss-confirm", args=[loss.pk]), {"reason": "转向竞争对手"})

    loss.refresh_from_db()
    customer.refresh_from_db()
    assert (loss.status, loss.reason) == (CustomerLoss.Status.CONFIRMED, "转向竞争对手")
    assert loss.confirmed_at is not None
    assert customer.status == Customer.Status.LOST
    # A confirmed record is closed: no further pause or confirm.
    assert client.get(reverse("sales:loss-pause", args=[loss.pk])).status_code == 403


def test_recovery_closes_only_the_open_records_of_the_given_customers() -> None:
    customer = CustomerFactory()
    warning = CustomerLossFactory(customer=customer)
    confirmed = CustomerLossFactory(
        customer=CustomerFactory(), status=CustomerLoss.Status.CONFIRMED
    )
    other = CustomerLossFactory(customer=CustomerFactory())

    assert services.recover_losses(customer_ids=[customer.pk, confirmed.customer_id]) == 1

    warning.refresh_from_db()
    assert warning.status == CustomerLoss.Status.RECOVERED
    assert warning.recovered_at is not None
    for untouched, status in (
        (confirmed, CustomerLoss.Status.CONFIRMED),
        (other, CustomerLoss.Status.WARNING),
    ):
        untouched.refresh_from_db()
        assert untouched.status == status


def test_loss_list_visibility_and_filters(client, manager, other_manager, supervisor) -> None:
    mine = CustomerLossFactory(customer=CustomerFactory(manager=manager, name="太阳药业"))
    CustomerLossFactory(customer=CustomerFactory(manager=other_manager))
    client.force_login(manager)
    assert [loss.pk for loss in client.get(reverse("sales:loss-list")).context["object_list"]] == [
        mine.pk
    ]
    client.force_login(supervisor)
    assert len(client.get(reverse("sales:loss-list")).context["object_list"]) == 2
    filtered = client.get(reverse("sales:loss-list"), {"customer": "太阳", "status": "1"})
    assert [loss.pk for loss in filtered.context["object_list"]] == [mine.pk]
    bad = client.get(reverse("sales:loss-list"), {"status": "9"})
    assert bad.status_code == 200
    assert bad.context["filter"].errors

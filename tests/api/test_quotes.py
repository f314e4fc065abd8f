"""The quote endpoints: drafts written through the services, each step an action, the rights
and the states of the pages."""

import pytest
from django.urls import reverse

from marketing.models import Quote
from sales.models import Order
from tests.api.conftest import token_client
from tests.factories.inventory import ProductFactory
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db


def _body(customer, discount: str = "0", **extra) -> dict:
    return {
        "customer": customer.number,
        "valid_until": "2099-12-31",
        "terms": "款到发货",
        "lines": [
            {"product": ProductFactory(unit="台").pk, "quantity": 3, "unit_price": "33.34",
             "discount": discount},
            {"product": ProductFactory(price="9.99").pk, "quantity": 1},
        ],
        **extra,
    }  # fmt: skip


def test_a_quote_goes_from_draft_to_order_through_the_api(manager, supervisor) -> None:
    customer = CustomerFactory(manager=manager)
    rep, boss = token_client(manager), token_client(supervisor)
    created = rep.post(reverse("api:quote-list"), _body(customer, "20"), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["number"].startswith("BJ")
    assert data["status"] == Quote.Status.DRAFT
    # 3 × 33.34 × 0.8 = 80.016 → 80.02; + 9.99; tax 10.40 + 1.30
    assert (data["net_amount"], data["tax_amount"], data["gross_amount"]) == (
        "90.01", "11.70", "101.71",
    )  # fmt: skip
    assert [line["unit"] for line in data["lines"]] == ["台", "台"]
    assert data["lines"][1]["unit_price"] == "9.99"
    pk = data["id"]

    patched = rep.patch(
        reverse("api:quote-detail", args=[pk]), {"terms": "货到付款"}, format="json"
    )
    assert patched.json()["terms"] == "货到付款"
    assert len(patched.json()["lines"]) == 2  # kept when not sent

    assert rep.post(reverse("api:quote-submit", args=[pk])).json()["status"] == Quote.Status.PENDING
    refused = rep.post(reverse("api:quote-approve", args=[pk]), {}, format="json")
    assert refused.status_code == 403  # the approve right
    approved = boss.post(
        reverse("api:quote-approve", args=[pk]), {"comment": "可以"}, format="json"
    )
    assert approved.json()["approver"] == supervisor.pk
    assert rep.post(reverse("api:quote-send", args=[pk])).json()["status"] == Quote.Status.SENT
    accepted = rep.post(reverse("api:quote-accept", args=[pk]), {}, format="json").json()
    assert accepted["status"] == Quote.Status.ACCEPTED
    order = Order.objects.get()
    assert accepted["order"] == order.number
    assert order.number.startswith("CRM")
    assert order.amount.to_eng_string() == "90.01"


def test_the_lines_are_replaced_and_checked(manager) -> None:
    rep = token_client(manager)
    pk = rep.post(reverse("api:quote-list"), _body(CustomerFactory(manager=manager)),
                  format="json").json()["id"]  # fmt: skip
    product = ProductFactory()
    url = reverse("api:quote-detail", args=[pk])
    response = rep.patch(
        url, {"lines": [{"product": product.pk, "quantity": 1, "unit_price": "5"}]}, format="json"
    )
    assert [line["product"] for line in response.json()["lines"]] == [product.pk]
    assert response.json()["net_amount"] == "5.00"
    for bad in ({"quantity": 0}, {"discount": "101"}, {"unit_price": "-1"}):
        line = {"product": product.pk, "quantity": 1, **bad}
        assert rep.patch(url, {"lines": [line]}, format="json").status_code == 400
    assert rep.patch(url, {"lines": []}, format="json").status_code == 400
    assert rep.patch(url, {"colour": "red"}, format="json").status_code == 400  # unknown field


def test_refusals_are_400_with_the_services_message(manager, supervisor, other_manager) -> None:
    rep = token_client(manager)
    hidden = rep.post(
        reverse("api:quote-list"), _body(CustomerFactory(manager=other_manager)), format="json"
    )
    assert hidden.status_code == 400
    pk = rep.post(reverse("api:quote-list"), _body(CustomerFactory(manager=manager)),
                  format="json").json()["id"]  # fmt: skip
    rep.post(reverse("api:quote-submit", args=[pk]))  # approved at once (no discount)
    again = rep.patch(reverse("api:quote-detail", args=[pk]), {"terms": "x"}, format="json")
    assert again.status_code == 400
    assert "now" in str(again.json())
    assert rep.post(reverse("api:quote-submit", args=[pk])).status_code == 400
    body = rep.post(reverse("api:quote-send", args=[pk]), {"x": 1}, format="json")
    assert body.status_code == 400  # a bodiless step refuses a body


def test_refusing_approval_needs_a_comment(manager, supervisor) -> None:
    rep, boss = token_client(manager), token_client(supervisor)
    pk = rep.post(reverse("api:quote-list"), _body(CustomerFactory(manager=manager), "50"),
                  format="json").json()["id"]  # fmt: skip
    rep.post(reverse("api:quote-submit", args=[pk]))
    url = reverse("api:quote-reject", args=[pk])
    assert boss.post(url, {}, format="json").status_code == 400
    response = boss.post(url, {"comment": "太低"}, format="json")
    assert response.json()["status"] == Quote.Status.DRAFT


def test_the_list_filters_and_hides_others(manager, other_manager) -> None:
    rep = token_client(manager)
    rep.post(reverse("api:quote-list"), _body(CustomerFactory(manager=manager)), format="json")
    token_client(other_manager).post(
        reverse("api:quote-list"), _body(CustomerFactory(manager=other_manager)), format="json"
    )
    assert len(rep.get(reverse("api:quote-list")).json()["results"]) == 1
    assert len(rep.get(reverse("api:quote-list"), {"status": 1}).json()["results"]) == 1
    assert rep.get(reverse("api:quote-list"), {"status": 5}).json()["results"] == []
    assert rep.get(reverse("api:quote-list"), {"status": "x"}).status_code == 400
    fields = rep.get(reverse("api:quote-list"), {"fields": "number,customer"}).json()
    assert set(fields["results"][0]) == {"number", "customer"}

"""`?fields=` on every list and detail: only those fields, never more queries; a name that is
not a field is a 400 naming the valid ones."""

import pytest
from django.urls import reverse

from api.base import UNKNOWN_FIELDS
from api.serializers import CustomerSerializer
from tests.api.conftest import token_client
from tests.api.test_lists import LISTS, _world
from tests.factories.sales import CustomerFactory, OrderFactory

pytestmark = pytest.mark.django_db


def test_a_list_answers_only_the_named_fields(manager_api, manager) -> None:
    CustomerFactory.create_batch(2, manager=manager)
    response = manager_api.get(reverse("api:customer-list") + "?fields=number, name")
    assert response.status_code == 200
    assert [set(row) for row in response.json()["results"]] == [{"number", "name"}] * 2


def test_a_detail_answers_only_the_named_fields(manager_api, manager) -> None:
    order = OrderFactory(customer=CustomerFactory(manager=manager))
    url = reverse("api:order-detail", args=[order.pk])
    assert set(manager_api.get(url + "?fields=number,amount").json()) == {"number", "amount"}
    assert "lines" in manager_api.get(url).json()


def test_an_unknown_field_is_a_400_naming_the_valid_ones(manager_api) -> None:
    response = manager_api.get(reverse("api:customer-list") + "?fields=name,nmae,secret")
    assert response.status_code == 400
    valid = ", ".join(CustomerSerializer().fields)
    assert response.json() == {
        "fields": [str(UNKNOWN_FIELDS % {"unknown": "nmae, secret", "valid": valid})]
    }
    assert manager_api.get(reverse("api:customer-list") + "?fields=,").status_code == 400


def test_fields_do_not_touch_writes(manager_api) -> None:
    response = manager_api.post(
        reverse("api:customer-list") + "?fields=number", {"name": "新公司"}, format="json"
    )
    assert response.status_code == 201
    assert "name" in response.json()


def test_fields_is_not_a_filter(manager_api, manager) -> None:
    CustomerFactory(manager=manager)
    assert len(manager_api.get(reverse("api:customer-list") + "?fields=name").json()["results"])


def test_the_description_documents_the_parameter(manager_api) -> None:
    schema = manager_api.get(reverse("api:schema") + "?format=json").json()
    for path in ("/api/v1/customers/", "/api/v1/customers/{number}/", "/api/v1/stock/"):
        names = {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}
        assert "fields" in names, path
    post = schema["paths"]["/api/v1/customers/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in post["parameters"]}


@pytest.mark.parametrize("name", LISTS)
def test_one_field_costs_no_more_queries_than_all(
    manager, name, django_assert_max_num_queries
) -> None:
    """Each field alone (its relation loaded or not) within the queries of the whole row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _world(manager, 3)
    client = token_client(manager)
    url = reverse(name) + "?page_size=100"
    with CaptureQueriesContext(connection) as everything:
        rows = client.get(url).json()["results"]
    assert rows, name
    for field in rows[0]:
        with django_assert_max_num_queries(len(everything)):
            response = client.get(f"{url}&fields={field}")
        assert [set(row) for row in response.json()["results"]] == [{field}] * len(rows)


def test_dropping_the_related_field_drops_its_join(manager_api) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.inventory import StockFactory

    StockFactory()
    url = reverse("api:stock-list")
    with CaptureQueriesContext(connection) as joined:
        assert manager_api.get(url + "?fields=id,product_name").json()["results"][0]["product_name"]
    with CaptureQueriesContext(connection) as plain:
        manager_api.get(url + "?fields=id,count")
    assert "JOIN" in joined[-1]["sql"]
    assert "JOIN" not in plain[-1]["sql"]

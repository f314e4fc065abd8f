"""The endpoints do what the pages do, through the same services."""

import pytest
from django.urls import reverse

from marketing.models import SalesChance
from sales.models import Customer
from service.models import ServiceRequest
from tasks.models import Task
from tests.api.conftest import token_client
from tests.factories.sales import ContactFactory, CustomerFactory, OrderFactory
from tests.factories.service import ServiceRequestFactory

pytestmark = pytest.mark.django_db


def test_an_opportunity_from_creation_to_success(manager, supervisor) -> None:
    rep, boss = token_client(manager), token_client(supervisor)
    created = rep.post(
        reverse("api:opportunity-list"),
        {"customer_name": "北京明科", "title": "采购", "rate": 60, "description": "意向",
         "contact": "王经理"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == SalesChance.Status.UNASSIGNED
    assigned = boss.post(
        reverse("api:opportunity-assign", args=[pk]), {"assignee": manager.pk}, format="json"
    )
    assert assigned.json()["assignee"] == manager.pk
    plan = rep.post(
        reverse("api:plan-item-list"),
        {"chance": pk, "date": "2026-12-10", "todo": "回访"},
        format="json",
    )
    assert plan.status_code == 201
    executed = rep.post(
        reverse("api:plan-item-execute", args=[plan.json()["id"]]), {"result": "好"}, format="json"
    )
    assert executed.json()["result"] == "好"
    won = rep.post(reverse("api:opportunity-win", args=[pk]))
    assert won.status_code == 200
    customer = Customer.objects.get(number=won.json()["customer"])
    assert customer.manager == manager
    assert customer.contacts.get().name == "王经理"


def test_unknown_assignee_is_a_field_error(supervisor) -> None:
    from tests.factories.marketing import SalesChanceFactory

    chance = SalesChanceFactory(creator=supervisor)
    response = token_client(supervisor).post(
        reverse("api:opportunity-assign", args=[chance.pk]), {"assignee": 999999}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"assignee"}


def test_a_ticket_from_creation_to_archive(manager, supervisor) -> None:
    customer = CustomerFactory(manager=manager)
    type_id = ServiceRequestFactory(customer=customer, creator=manager).type_id
    rep, boss = token_client(manager), token_client(supervisor)
    created = rep.post(
        reverse("api:ticket-list"),
        {"type": type_id, "title": "咨询", "customer": customer.number, "request": "问题"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    boss.post(reverse("api:ticket-allocate", args=[pk]), {"assignee": manager.pk}, format="json")
    rep.post(reverse("api:ticket-handle", args=[pk]), {"handling": "已处理"}, format="json")
    done = rep.post(
        reverse("api:ticket-feedback", args=[pk]),
        {"result": "满意", "satisfaction": 4},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == ServiceRequest.Status.ARCHIVED


def test_a_task_created_and_completed(manager) -> None:
    client = token_client(manager)
    created = client.post(
        reverse("api:task-list"),
        {"title": "打电话", "due_at": "2026-12-03T10:00:00+08:00"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["owner"] == manager.pk
    done = client.post(reverse("api:task-complete", args=[created.json()["id"]]))
    assert done.json()["status"] == Task.Status.DONE
    again = client.post(reverse("api:task-complete", args=[created.json()["id"]]))
    assert again.status_code == 400


def test_contacts_and_orders_are_those_of_visible_customers(manager, other_manager) -> None:
    mine = CustomerFactory(manager=manager)
    theirs = CustomerFactory(manager=other_manager)
    ContactFactory(customer=mine, name="甲")
    ContactFactory(customer=theirs, name="乙")
    OrderFactory(customer=theirs)
    client = token_client(manager)
    contacts = client.get(reverse("api:contact-list")).json()["results"]
    assert [row["name"] for row in contacts] == ["甲"]
    assert client.get(reverse("api:order-list")).json()["results"] == []
    assert client.get(reverse("api:customer-detail", args=[theirs.number])).status_code == 404


def test_a_report_takes_the_report_pages_filters(manager) -> None:
    customer = CustomerFactory(manager=manager, name="华信")
    OrderFactory(customer=customer, date="2025-03-01", amount="100.00")
    client = token_client(manager)
    url = reverse("api:report-detail", args=["contribution"])
    in_year = client.get(url + "?year=2025").json()
    other_year = client.get(url + "?year=2024").json()
    assert in_year["slug"] == "contribution"
    assert any(row.get("name") == "华信" for row in in_year["tables"][0]["rows"]), in_year
    assert not any(row.get("name") == "华信" for row in other_year["tables"][0]["rows"])
    listed = client.get(reverse("api:report-list")).json()
    from reports.registry import REPORTS

    readable = {slug for slug, spec in REPORTS.items() if manager.has_perm(spec.permission)}
    assert {"contribution", "composition", "service", "loss"} <= readable
    assert {entry["slug"] for entry in listed} == readable


def test_the_documentation_is_served_from_our_static_files(client, manager) -> None:
    client.force_login(manager)
    page = client.get(reverse("api:docs")).content.decode()
    assert "drf_spectacular_sidecar" in page
    assert "cdn" not in page.lower()
    schema = client.get(reverse("api:schema") + "?format=json")
    assert schema.json()["openapi"].startswith("3.")


def test_the_schema_describes_the_error_answers(client, manager) -> None:
    client.force_login(manager)
    paths = client.get(reverse("api:schema") + "?format=json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "429"} <= codes, (method, path)
            assert ("404" in codes) == ("{" in path), (method, path)
            if method == "post" and "{" not in path:
                assert "422" in codes, path  # Idempotency-Key reused with another body
            schema = operation["responses"]["400"]["content"]["application/json"]["schema"]
            assert schema["type"] == "object"

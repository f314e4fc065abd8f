"""Customers: create, edit, delete, contacts, interactions, export, transfer and sharing."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Notification
from sales.models import Activity, Contact, Customer, CustomerTransfer
from tests.factories.inventory import level, region
from tests.factories.sales import (
    ActivityFactory,
    ContactFactory,
    CustomerFactory,
    OrderLineFactory,
)

pytestmark = pytest.mark.django_db

CUSTOMER_DATA = {
    "name": "北京明科科技有限公司",
    "satisfaction": "4",
    "credit": "3",
    "address": "北京市海淀区",
    "zip_code": "100080",
    "phone": "010-62345678",
    "legal_person": "李四",
    "bank": "中国银行",
    "bank_account": "6222000011112222",
}


def _data(**changes):
    return {**CUSTOMER_DATA, "region": region("北京").pk, "level": level(2).pk, **changes}


def test_manager_creates_a_customer_with_a_kh_number(client, manager) -> None:
    client.force_login(manager)
    response = client.post(reverse("sales:customer-create"), _data())
    customer = Customer.objects.get(name="北京明科科技有限公司")
    assert response["Location"] == reverse("sales:customer-detail", args=[customer.number])
    assert customer.number.startswith("KH")
    assert len(customer.number) <= 17
    assert customer.manager == manager


@pytest.mark.parametrize(
    "field",
    [
        "name",
        "region",
        "level",
        "satisfaction",
        "credit",
        "address",
        "zip_code",
        "phone",
        "legal_person",
        "bank",
        "bank_account",
    ],
)
def test_each_required_customer_field_is_validated(client, manager, field) -> None:
    client.force_login(manager)
    response = client.post(reverse("sales:customer-create"), _data(**{field: ""}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Customer.objects.exists()


def test_post_code_must_have_six_digits(client, manager) -> None:
    client.force_login(manager)
    response = client.post(reverse("sales:customer-create"), _data(zip_code="12ab"))
    assert "zip_code" in response.context["form"].errors


def test_edit_keeps_number_and_manager(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(manager)
    client.post(reverse("sales:customer-edit", args=[customer.number]), _data(name="新名称"))
    customer.refresh_from_db()
    assert customer.name == "新名称"
    assert customer.manager == manager


def test_supervisor_reads_but_cannot_edit(client, supervisor, manager) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(supervisor)
    page = client.get(reverse("sales:customer-detail", args=[customer.number]))
    assert reverse("sales:customer-edit", args=[customer.number]) not in page.content.decode()
    response = client.post(reverse("sales:customer-edit", args=[customer.number]), _data())
    assert response.status_code == 403


def test_delete_is_soft_and_asks_first(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(manager)
    confirm = client.get(reverse("sales:customer-delete", args=[customer.number]))
    assert confirm.status_code == 200
    client.post(reverse("sales:customer-delete", args=[customer.number]))
    customer.refresh_from_db()
    assert customer.status == Customer.Status.DELETED
    assert client.get(reverse("sales:customer-detail", args=[customer.number])).status_code == 404


def test_contacts_and_interactions_are_kept_under_the_customer(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(manager)
    client.post(
        reverse("sales:contact-create", args=[customer.number]),
        {
            "name": "王经理",
            "gender": "F",
            "position": "采购",
            "phone": "010-1",
            "birthday": "1980-02-29",
        },
    )
    client.post(
        reverse("sales:activity-create", args=[customer.number]),
        {
            "kind": "visit",
            "occurred_at": "2026-11-01T10:30",
            "place": "客户公司",
            "title": "年度拜访",
            "description": "谈续约",
        },
    )
    contact = Contact.objects.get(customer=customer)
    activity = Activity.objects.get(customer=customer)
    assert (contact.name, str(contact.birthday)) == ("王经理", "1980-02-29")
    page = client.get(reverse("sales:customer-detail", args=[customer.number])).content.decode()
    assert "王经理" in page
    assert "年度拜访" in page

    client.post(reverse("sales:contact-delete", args=[customer.number, contact.pk]))
    client.post(reverse("sales:activity-delete", args=[customer.number, activity.pk]))
    assert not Contact.objects.exists()
    assert not Activity.objects.exists()


def test_contact_and_interaction_required_fields(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(manager)
    contact = client.post(reverse("sales:contact-create", args=[customer.number]), {"gender": "M"})
    activity = client.post(reverse("sales:activity-create", args=[customer.number]), {})
    assert set(contact.context["form"].errors) == {"name", "position", "phone"}
    assert set(activity.context["form"].errors) == {"kind", "occurred_at", "place", "title"}


def test_a_contact_of_another_customer_is_not_found(client, manager) -> None:
    mine = CustomerFactory(manager=manager)
    other = ContactFactory()
    client.force_login(manager)
    url = reverse("sales:contact-edit", args=[mine.number, other.pk])
    assert client.get(url).status_code == 404


def test_sub_pages_of_another_managers_customer_answer_404(client, manager, other_manager) -> None:
    theirs = CustomerFactory(manager=other_manager)
    contact = ContactFactory(customer=theirs)
    activity = ActivityFactory(customer=theirs)
    order = OrderLineFactory(order__customer=theirs).order
    client.force_login(manager)
    for name, args in [
        ("sales:customer-detail", [theirs.number]),
        ("sales:customer-edit", [theirs.number]),
        ("sales:customer-delete", [theirs.number]),
        ("sales:contact-create", [theirs.number]),
        ("sales:contact-edit", [theirs.number, contact.pk]),
        ("sales:activity-edit", [theirs.number, activity.pk]),
        ("sales:order-list", [theirs.number]),
        ("sales:order-detail", [theirs.number, order.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_order_detail_shows_lines_and_total(client, manager) -> None:
    line = OrderLineFactory(order__customer=CustomerFactory(manager=manager), count=2)
    OrderLineFactory(order=line.order, count=1, unit_price=100)
    client.force_login(manager)
    response = client.get(
        reverse("sales:order-detail", args=[line.order.customer.number, line.order.pk])
    )
    assert response.context["order"].total == 2 * line.unit_price + 100
    assert line.product.label in response.content.decode()


def test_export_holds_exactly_the_filtered_visible_customers(
    client, manager, other_manager
) -> None:
    CustomerFactory(manager=manager, name="甲公司")
    CustomerFactory(manager=manager, name="乙公司")
    CustomerFactory(manager=other_manager, name="甲丙公司")
    client.force_login(manager)

    csv_text = b"".join(
        client.get(
            reverse("sales:customer-export"), {"name": "甲", "format": "csv"}
        ).streaming_content
    ).decode("utf-8")
    xlsx = client.get(reverse("sales:customer-export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active

    assert csv_text.startswith("\ufeff")
    assert "甲公司" in csv_text
    assert "乙公司" not in csv_text
    assert "甲丙公司" not in csv_text
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "乙公司",
        "甲公司",
    ]


def test_supervisor_transfers_customers_and_access_moves(
    client, supervisor, manager, other_manager
) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(supervisor)
    page = client.get(reverse("sales:customer-transfer"), {"customer": customer.number})
    assert customer.name in page.content.decode()
    client.post(
        reverse("sales:customer-transfer"),
        {"customer": customer.number, "to_manager": other_manager.pk, "note": "调整"},
    )

    customer.refresh_from_db()
    assert customer.manager == other_manager
    assert CustomerTransfer.objects.get().from_manager == manager
    assert Notification.objects.filter(user=other_manager).exists()
    client.force_login(manager)
    assert client.get(reverse("sales:customer-detail", args=[customer.number])).status_code == 404
    client.force_login(other_manager)
    assert client.get(reverse("sales:customer-detail", args=[customer.number])).status_code == 200


def test_managers_cannot_transfer(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(manager)
    response = client.post(
        reverse("sales:customer-transfer"), {"customer": customer.number, "to_manager": manager.pk}
    )
    assert response.status_code == 403


def test_sharing_grants_view_or_edit_and_can_be_taken_back(client, manager, other_manager) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(manager)
    client.post(
        reverse("sales:customer-share"), {"customer": customer.number, "user": other_manager.pk}
    )

    client.force_login(other_manager)
    assert client.get(reverse("sales:customer-detail", args=[customer.number])).status_code == 200
    assert client.get(reverse("sales:customer-edit", args=[customer.number])).status_code == 403

    client.force_login(manager)
    client.post(
        reverse("sales:customer-share"),
        {"customer": customer.number, "user": other_manager.pk, "can_edit": "on"},
    )
    client.force_login(other_manager)
    assert client.get(reverse("sales:customer-edit", args=[customer.number])).status_code == 200
    # A shared customer cannot be re-shared by the one it was shared with.
    assert (
        client.get(reverse("sales:customer-share"), {"customer": customer.number}).status_code
        == 404
    )

    client.force_login(manager)
    client.post(reverse("sales:customer-unshare", args=[customer.number, other_manager.pk]))
    client.force_login(other_manager)
    assert client.get(reverse("sales:customer-detail", args=[customer.number])).status_code == 404


@pytest.mark.parametrize("size", [2, 25])
def test_list_and_detail_query_counts_do_not_grow(
    client, manager, django_assert_max_num_queries, size
) -> None:
    customers = CustomerFactory.create_batch(size, manager=manager)
    target = customers[0]
    ContactFactory.create_batch(size, customer=target)
    ActivityFactory.create_batch(size, customer=target)
    for _ in range(size):
        OrderLineFactory(order__customer=target)
    client.force_login(manager)
    with django_assert_max_num_queries(11):
        client.get(reverse("sales:customer-list"), {"o": "-name", "name": "公司"})
    with django_assert_max_num_queries(12):
        client.get(reverse("sales:customer-detail", args=[target.number]))
    with django_assert_max_num_queries(9):
        client.get(reverse("sales:order-list", args=[target.number]))


def test_a_large_export_runs_as_a_job_with_a_download(
    client, manager, other_manager, settings, django_capture_on_commit_callbacks
) -> None:
    from jobs.models import Job

    settings.EXPORT_ASYNC_ROWS = 3
    CustomerFactory.create_batch(5, manager=manager, name="甲公司")
    CustomerFactory(manager=other_manager, name="甲别人")
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("sales:customer-export"), {"name": "甲", "format": "xlsx"})

    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.written) == ("export", "done", 5)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:result", args=[job.pk]) in page
    download = client.get(reverse("jobs:result", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["甲公司"] * 5
    assert Notification.objects.filter(
        user=manager, link=reverse("jobs:detail", args=[job.pk])
    ).exists()
    client.force_login(other_manager)
    assert client.get(reverse("jobs:result", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_customer_numbers_stay_unique_under_concurrent_creation(manager) -> None:
    import threading

    from django.db import close_old_connections, connection

    from sales.services import customer_create

    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def create(index: int) -> None:
        try:
            barrier.wait()
            for n in range(5):
                customer_create(actor=manager, name=f"并发客户{index}-{n}", manager=manager)
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=create, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = list(Customer.objects.values_list("number", flat=True))
    assert len(numbers) == 20
    assert len(set(numbers)) == 20


def test_a_background_export_keeps_only_the_validated_filters(
    client, manager, settings, django_capture_on_commit_callbacks
) -> None:
    from jobs.models import Job

    settings.EXPORT_ASYNC_ROWS = 1
    customer = CustomerFactory(manager=manager, name="乙公司")
    CustomerFactory(manager=manager, name="乙公司二", level=customer.level, region=customer.region)
    client.force_login(manager)
    query = {
        "name": "乙",
        "level": customer.level.pk,
        "o": "-name",
        "format": "csv",
        "evil": "\\u0000; DROP",
        "page": "3",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("sales:customer-export"), query)

    job = Job.objects.get()
    assert job.params["filters"] == {"name": "乙", "level": str(customer.level.pk), "o": "-name"}
    assert job.written == 2

"""Duplicate detection on customer creation: the form's warning, the importer's, the selector."""

import pytest
from django.urls import reverse

from sales.models import Customer
from sales.selectors import name_core, similar_customers
from tests.factories.inventory import level, region
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "北京瑞丰科技有限公司",
    "satisfaction": 3,
    "credit": 3,
    "address": "北京市海淀区",
    "zip_code": "100080",
    "phone": "010-88776655",
    "legal_person": "李四",
    "bank": "中国银行",
    "bank_account": "6222000011112222",
}


def _form(**changes):
    return {**FORM, "region": region("北京").pk, "level": level(2).pk, **changes}


def test_name_core_drops_company_words() -> None:
    assert name_core("北京瑞丰科技有限公司") == "北京瑞丰"
    assert name_core("ＡＢＣ Co., Ltd.") == "abc"


def test_same_normalised_name_is_a_duplicate(manager) -> None:
    existing = CustomerFactory(manager=manager, name="ＡＢＣ贸易有限公司", phone="")
    found = similar_customers(user=manager, name="abc贸易有限公司")
    assert [(d.customer, d.visible, d.reason) for d in found] == [(existing, True, "name")]


def test_similar_name_sharing_most_bigrams_is_a_duplicate(manager) -> None:
    existing = CustomerFactory(manager=manager, name="北京瑞丰科技有限公司", phone="")
    CustomerFactory(manager=manager, name="上海瑞丰贸易", phone="")
    found = similar_customers(user=manager, name="北京瑞丰有限公司")
    assert [d.customer for d in found] == [existing]


def test_company_words_inside_a_name_do_not_hide_the_duplicate(manager) -> None:
    # The core (北京明科二部) is not a substring of the name: the key finds it.
    existing = CustomerFactory(manager=manager, name="北京明科科技有限公司二部", phone="")
    found = similar_customers(user=manager, name="北京明科科技有限公司二部")
    assert [(d.customer, d.reason) for d in found] == [(existing, "name")]


def test_same_phone_in_another_format_is_a_duplicate(manager) -> None:
    existing = CustomerFactory(manager=manager, name="甲乙丙", phone="010-8877 6655")
    found = similar_customers(user=manager, name="完全不同", phone="０１０８８７７６６５５")
    assert [(d.customer, d.reason) for d in found] == [(existing, "phone")]


def test_unrelated_and_deleted_customers_are_not_duplicates(manager) -> None:
    CustomerFactory(manager=manager, name="北京瑞丰科技", status=Customer.Status.DELETED)
    CustomerFactory(manager=manager, name="海通证券", phone="021-11112222")
    assert similar_customers(user=manager, name="北京瑞丰科技", phone="010-33334444") == []


def test_another_managers_customer_is_reported_without_its_details(manager, other_manager) -> None:
    CustomerFactory(manager=other_manager, name="北京瑞丰科技有限公司", phone="")
    (found,) = similar_customers(user=manager, name="北京瑞丰科技有限公司")
    assert found.visible is False


def test_the_form_warns_and_creates_only_when_asked(client, manager, other_manager) -> None:
    mine = CustomerFactory(manager=manager, name="北京瑞丰科技有限公司", phone="")
    CustomerFactory(manager=other_manager, name="某某", phone="010-88776655")
    client.force_login(manager)
    url = reverse("sales:customer-create")
    warned = client.post(url, _form())
    body = warned.content.decode()
    assert warned.status_code == 200
    assert 'data-testid="duplicate-warning"' in body
    assert reverse("sales:customer-detail", args=[mine.number]) in body
    assert "某某" not in body  # the other manager's customer is shown without its details
    assert Customer.objects.filter(name=FORM["name"]).count() == 1
    created = client.post(url, _form(create_anyway="on"))
    assert created.status_code == 302
    assert Customer.objects.filter(name=FORM["name"]).count() == 2


def test_the_form_does_not_warn_without_duplicates(client, manager) -> None:
    client.force_login(manager)
    response = client.post(reverse("sales:customer-create"), _form())
    assert response.status_code == 302


def test_the_duplicate_check_is_a_few_queries(manager, django_assert_max_num_queries) -> None:
    CustomerFactory(manager=manager, name="北京瑞丰科技有限公司", phone="010-88776655")
    with django_assert_max_num_queries(3):
        assert similar_customers(user=manager, name="北京瑞丰科技", phone="010-88776655")

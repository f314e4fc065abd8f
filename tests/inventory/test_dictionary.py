import pytest
from django.urls import reverse

from inventory.models import DictItem, DictType
from tests.factories.inventory import DictItemFactory, level, region
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db


def test_admin_creates_an_entry_and_types_are_suggested(client, admin_user) -> None:
    client.force_login(admin_user)
    page = client.get(reverse("inventory:dict-create"))
    assert f'<option value="{DictType.REGION}"></option>' in page.content.decode()

    response = client.post(
        reverse("inventory:dict-create"),
        {"type": DictType.REGION, "item": "华南", "value": "华南", "is_editable": "on"},
        follow=True,
    )

    assert DictItem.objects.filter(type=DictType.REGION, value="华南", is_editable=True).exists()
    assert "was created" in response.content.decode()


def test_type_and_value_are_unique(client, admin_user) -> None:
    client.force_login(admin_user)
    before = DictItem.objects.count()

    response = client.post(
        reverse("inventory:dict-create"),
        {"type": DictType.REGION, "item": "北京2", "value": "北京", "is_editable": "on"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert DictItem.objects.count() == before


def test_missing_fields_are_reported(client, admin_user) -> None:
    client.force_login(admin_user)
    response = client.post(reverse("inventory:dict-create"), {"type": "", "item": "", "value": ""})
    assert set(response.context["form"].errors) == {"type", "item", "value"}


def test_fixed_entries_show_no_actions_and_refuse_a_forged_post(client, admin_user) -> None:
    client.force_login(admin_user)
    fixed = level(1)
    listing = client.get(reverse("inventory:dict-list"), {"type": DictType.CUSTOMER_LEVEL})
    assert reverse("inventory:dict-edit", args=[fixed.pk]) not in listing.content.decode()

    edit = client.post(
        reverse("inventory:dict-edit", args=[fixed.pk]),
        {"type": fixed.type, "item": "改名", "value": fixed.value, "is_editable": "on"},
    )
    delete = client.post(reverse("inventory:dict-delete", args=[fixed.pk]))

    assert edit.status_code == 403
    assert delete.status_code == 403
    fixed.refresh_from_db()
    assert fixed.item == "普通客户"
    assert not fixed.is_editable


def test_an_entry_in_use_cannot_be_deleted(client, admin_user) -> None:
    CustomerFactory(region=region("上海"))
    client.force_login(admin_user)
    entry = region("上海")

    response = client.post(reverse("inventory:dict-delete", args=[entry.pk]), follow=True)

    assert DictItem.objects.filter(pk=entry.pk).exists()
    assert "cannot be deleted" in response.content.decode()


def test_an_unused_entry_is_deleted_after_confirmation(client, admin_user) -> None:
    entry = DictItemFactory()
    client.force_login(admin_user)
    confirm = client.get(reverse("inventory:dict-delete", args=[entry.pk]))
    assert "Delete" in confirm.content.decode()

    client.post(reverse("inventory:dict-delete", args=[entry.pk]))

    assert not DictItem.objects.filter(pk=entry.pk).exists()


def test_edit_changes_the_entry(client, admin_user) -> None:
    entry = DictItemFactory(item="西南", value="西南")
    client.force_login(admin_user)
    client.post(
        reverse("inventory:dict-edit", args=[entry.pk]),
        {"type": entry.type, "item": "西南区", "value": "西南", "is_editable": "on"},
    )
    entry.refresh_from_db()
    assert entry.item == "西南区"


@pytest.mark.parametrize("size", [5, 40])
def test_list_filters_and_query_count(
    client, admin_user, django_assert_max_num_queries, size
) -> None:
    DictItemFactory.create_batch(size)
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("inventory:dict-list"), {"value": "北京", "o": "-type"})
    assert [entry.value for entry in response.context["object_list"]] == ["北京"]

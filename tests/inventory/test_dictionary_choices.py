"""The filter forms' dictionary selects come from one cached read of the dictionary, which
every write of an entry drops; the chosen value is still checked against the table."""

import pytest
from django.urls import reverse

from inventory.models import DictItem, DictType
from inventory.selectors import dictionary_choices
from inventory.services import dict_item_delete, dict_item_update
from sales.filters import CustomerFilter
from sales.models import Customer
from service.filters import TicketFilter
from service.models import ServiceRequest
from tests.factories.inventory import DictItemFactory, region, service_type
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db


def _options(filterset, name: str) -> str:
    return str(filterset.form[name])


def test_the_choices_are_the_entries_of_the_type_in_stored_order() -> None:
    expected = list(
        DictItem.objects.filter(type=DictType.REGION).order_by("id").values_list("pk", "item")
    )
    assert expected
    assert dictionary_choices(DictType.REGION) == expected
    assert dictionary_choices("no such type") == []


def test_a_second_read_and_the_select_need_no_query(django_assert_num_queries) -> None:
    dictionary_choices(DictType.REGION)
    with django_assert_num_queries(0):
        html = _options(CustomerFilter({}, queryset=Customer.objects.none()), "region")
    assert f'<option value="{region().pk}">{region().item}</option>' in html
    assert '<option value="" selected>All</option>' in html


def test_a_new_changed_or_deleted_entry_shows_at_once(admin_user) -> None:
    dictionary_choices(DictType.REGION)  # cached
    added = DictItemFactory(type=DictType.REGION, item="华南新区", value="华南新区")
    assert (added.pk, "华南新区") in dictionary_choices(DictType.REGION)

    dict_item_update(
        actor=admin_user,
        entry=added,
        type=DictType.REGION,
        item="华南",
        value="华南",
        is_editable=True,
    )
    assert (added.pk, "华南") in dictionary_choices(DictType.REGION)

    dict_item_delete(actor=admin_user, entry=added)
    assert added.pk not in dict(dictionary_choices(DictType.REGION))


def test_the_chosen_entry_is_selected_and_checked_against_the_table() -> None:
    beijing = region()
    CustomerFactory(region=beijing)
    CustomerFactory(region=region("上海"))
    chosen = CustomerFilter({"region": str(beijing.pk)}, queryset=Customer.objects.all())
    assert f'<option value="{beijing.pk}" selected>' in _options(chosen, "region")
    assert [c.region for c in chosen.qs] == [beijing]

    # An entry of another type (a service type's id) is not a region, cached or not.
    wrong = CustomerFilter({"region": str(service_type().pk)}, queryset=Customer.objects.all())
    assert not wrong.is_valid()
    assert "region" in wrong.errors


def test_the_ticket_lists_offer_the_service_types(manager, client) -> None:
    types = TicketFilter({}, queryset=ServiceRequest.objects.none())
    html = _options(types, "type")
    for pk, item in dictionary_choices(DictType.SERVICE_TYPE):
        assert f'<option value="{pk}">{item}</option>' in html

    client.force_login(manager)
    page = client.get(reverse("service:handle-list"), {"type": "not a number"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()

"""The filter forms' tag selects come from one cached read of the tags, which every write of a
tag drops."""

import pytest

from sales import services
from sales.filters import CustomerFilter, tag_options
from sales.models import Customer, Tag

pytestmark = pytest.mark.django_db


def _select(data: dict | None = None) -> str:
    return str(CustomerFilter(data, queryset=Customer.objects.none()).form["tags"])


def test_a_second_read_and_the_select_need_no_query(django_assert_num_queries) -> None:
    tag = Tag.objects.create(name="重点", colour="red")
    assert tag_options() == [(tag.pk, "重点")]
    with django_assert_num_queries(0):
        html = _select()
    assert f'<option value="{tag.pk}">重点</option>' in html


def test_a_new_renamed_or_deleted_tag_shows_at_once(admin_user) -> None:
    assert tag_options() == []  # cached: no tags
    tag = services.tag_save(actor=admin_user, name="华南", colour="blue")
    assert tag_options() == [(tag.pk, "华南")]
    services.tag_save(actor=admin_user, tag=tag, name="华南大客户", colour="blue")
    assert tag_options() == [(tag.pk, "华南大客户")]
    services.tag_delete(actor=admin_user, tag=tag)
    assert tag_options() == []

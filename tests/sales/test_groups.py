"""Customer groups: saved filters whose members are the viewer's own visible customers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sales import services
from sales.models import CustomerGroup, CustomerTag
from sales.selectors import group_member_count, group_members
from tests.factories.inventory import region
from tests.factories.sales import CustomerFactory, CustomerGroupFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_a_shared_group_shows_each_viewer_only_their_customers(
    supervisor, manager, other_manager, executive
):
    tag = TagFactory()
    mine = CustomerFactory(manager=manager, name="北京甲")
    theirs = CustomerFactory(manager=other_manager, name="北京乙")
    CustomerFactory(manager=manager, name="上海丙")
    for customer in (mine, theirs):
        CustomerTag.objects.create(customer=customer, tag=tag)
    group = services.group_save(
        actor=supervisor, name="北京", shared=True, filters={"name": "北京"}
    )
    assert set(group_members(user=manager, group=group)) == {mine}
    assert set(group_members(user=other_manager, group=group)) == {theirs}
    assert set(group_members(user=supervisor, group=group)) == {mine, theirs}
    assert set(group_members(user=executive, group=group)) == {mine, theirs}
    assert group_member_count(user=manager, group=group) == 1
    assert group_member_count(user=supervisor, group=group, cap=1) == 2  # cap + 1: "more than"


def test_personal_groups_are_seen_by_their_owner_only(client, manager, other_manager):
    group = services.group_save(actor=manager, name="我的", filters={"status": "1"})
    client.force_login(other_manager)
    assert client.get(reverse("sales:group-count", args=[group.pk])).status_code == 404
    listed = client.get(reverse("sales:customer-list"), {"group": group.pk})
    assert listed.context["filter"].form.errors  # not a choice for them
    client.force_login(manager)
    assert client.get(reverse("sales:group-list")).context["object_list"][0] == group


def test_the_filter_is_validated_when_saved_and_again_when_used(manager):
    with pytest.raises(ValidationError) as error:
        services.group_save(actor=manager, name="坏", filters={"status": "9"})
    assert "Status" in str(error.value)
    area = region("华北")
    CustomerFactory(manager=manager, region=area)
    group = services.group_save(actor=manager, name="华北", filters={"region": str(area.pk)})
    assert group.filters == {"region": str(area.pk)}
    assert group_member_count(user=manager, group=group) == 1
    # The saved filter no longer validates (the region was removed): the group finds nobody.
    CustomerGroup.objects.filter(pk=group.pk).update(filters={"region": "999999"})
    group.refresh_from_db()
    assert group_member_count(user=manager, group=group) == 0


def test_only_sharers_share_and_owners_change(manager, other_manager, supervisor):
    with pytest.raises(ValidationError, match=str(services.GROUP_SHARE_DENIED)):
        services.group_save(actor=manager, name="共享", shared=True, filters={})
    own = services.group_save(actor=manager, name="我的", filters={})
    with pytest.raises(ValidationError, match=str(services.GROUP_DENIED)):
        services.group_save(actor=other_manager, group=own, name="改")
    with pytest.raises(ValidationError, match=str(services.GROUP_DENIED)):
        services.group_delete(actor=supervisor, group=own)  # personal: only the owner
    with pytest.raises(ValidationError):
        services.group_save(actor=manager, name="我的", filters={})  # same name twice
    shared = CustomerGroupFactory(owner=manager, shared=True)
    services.group_save(actor=supervisor, group=shared, name="团队", shared=True)
    services.group_delete(actor=supervisor, group=shared)
    assert not CustomerGroup.objects.filter(pk=shared.pk).exists()


def test_save_the_current_filter_as_a_group_then_open_it(client, manager):
    CustomerFactory(manager=manager, name="北京甲")
    CustomerFactory(manager=manager, name="上海乙")
    client.force_login(manager)
    url = reverse("sales:group-create")
    assert client.get(url, {"name": "北京", "o": "-name"}).status_code == 200
    response = client.post(url, {"group-name": "北京客户", "name": "北京"})
    assert response.status_code == 302, response.context["form"].errors
    group = CustomerGroup.objects.get(name="北京客户")
    listed = client.get(response["Location"])
    assert [c.name for c in listed.context["object_list"]] == ["北京甲"]
    assert "北京客户" in listed.content.decode()
    count = client.get(reverse("sales:group-count", args=[group.pk]))
    assert count.content.decode().strip() == "1"
    assert client.get(reverse("sales:group-list")).status_code == 200
    edit = reverse("sales:group-edit", args=[group.pk])
    assert client.post(edit, {"group-name": "北京的客户"}).status_code == 302
    group.refresh_from_db()
    assert group.name == "北京的客户"
    assert group.filters == {"name": "北京"}
    client.post(reverse("sales:group-delete", args=[group.pk]))
    assert not CustomerGroup.objects.exists()


def test_customer_list_by_two_tags_and_a_group_in_fixed_queries(
    client, supervisor, django_assert_max_num_queries
):
    a, b = TagFactory(), TagFactory()
    for _ in range(15):
        customer = CustomerFactory(name="北京某")
        CustomerTag.objects.bulk_create([CustomerTag(customer=customer, tag=t) for t in (a, b)])
    group = services.group_save(actor=supervisor, name="北京", filters={"name": "北京"})
    client.force_login(supervisor)
    query = {"tags": [a.pk, b.pk], "tags_mode": "all", "group": group.pk}
    with django_assert_max_num_queries(12):
        response = client.get(reverse("sales:customer-list"), query)
    assert len(response.context["object_list"]) == 10

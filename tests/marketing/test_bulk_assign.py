"""Assigning several opportunities at once: all or nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from marketing import services
from marketing.models import ChanceAssignment, ChanceTag, SalesChance
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import TagFactory

pytestmark = pytest.mark.django_db


def test_all_are_assigned_in_one_go(client, supervisor, manager):
    chances = [SalesChanceFactory() for _ in range(3)]
    client.force_login(supervisor)
    url = reverse("marketing:chance-bulk-assign")
    ids = [chance.pk for chance in chances]
    assert client.get(url, {"chance": ids}).status_code == 200
    response = client.post(url, {"chance": ids, "assignee": manager.pk})
    assert response.status_code == 302
    assert SalesChance.objects.filter(assignee=manager, status=2).count() == 3
    listed = client.get(reverse("marketing:chance-list")).content.decode()
    assert "3 opportunities were assigned to" in listed


def test_one_bad_row_assigns_nothing_and_names_it(client, supervisor, manager, other_manager):
    good = SalesChanceFactory()
    taken = SalesChanceFactory(
        title="已被分配", status=SalesChance.Status.ASSIGNED, assignee=other_manager
    )
    with pytest.raises(ValidationError) as error:
        services.chances_assign(actor=supervisor, chances=[good, taken], assignee=manager)
    assert "已被分配" in str(error.value)
    assert "Developing" in str(error.value)
    good.refresh_from_db()
    assert good.status == SalesChance.Status.UNASSIGNED
    assert good.assignee is None
    assert not ChanceAssignment.objects.exists()
    client.force_login(supervisor)
    page = client.post(
        reverse("marketing:chance-bulk-assign"),
        {"chance": [good.pk, taken.pk], "assignee": manager.pk},
    )
    assert page.status_code == 200
    assert "已被分配" in page.content.decode()
    assert not ChanceAssignment.objects.exists()


def test_reps_may_not_assign_in_bulk(client, manager):
    chance = SalesChanceFactory(creator=manager)
    with pytest.raises(ValidationError):
        services.chances_assign(actor=manager, chances=[chance], assignee=manager)
    with pytest.raises(ValidationError, match=str(services.BULK_NONE_CHOSEN)):
        services.chances_assign(actor=manager, chances=[], assignee=manager)
    client.force_login(manager)
    assert (
        client.get(reverse("marketing:chance-bulk-assign"), {"chance": chance.pk}).status_code
        == 403
    )


def test_opportunity_tags_and_filters(client, manager, other_manager, supervisor):
    red, blue = TagFactory(), TagFactory()
    mine = SalesChanceFactory(creator=manager, title="both")
    other = SalesChanceFactory(creator=manager, title="red only")
    client.force_login(manager)
    url = reverse("marketing:chance-tags", args=[mine.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"tags": [red.pk, blue.pk]}).status_code == 302
    services.chance_tags_set(actor=manager, chance=other, tags=[red])
    assert set(mine.tags.all()) == {red, blue}
    with pytest.raises(ValidationError, match=str(services.TAG_DENIED)):
        services.chance_tags_set(actor=other_manager, chance=mine, tags=[])
    listed = client.get(
        reverse("marketing:chance-list"), {"tags": [red.pk, blue.pk], "tags_mode": "all"}
    )
    assert [c.title for c in listed.context["object_list"]] == ["both"]
    listed = client.get(reverse("marketing:chance-list"), {"tags": [red.pk, blue.pk]})
    assert {c.title for c in listed.context["object_list"]} == {"both", "red only"}
    services.chance_tags_set(actor=supervisor, chance=mine, tags=[blue])
    assert set(ChanceTag.objects.filter(chance=mine).values_list("tag", flat=True)) == {blue.pk}

"""Interactions, complete: kinds, date-times, the two lists, the superiors' comments."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from sales import services
from sales.models import Activity
from sales.services import ACTIVITY_COMMENT_DENIED, ACTIVITY_COMMENT_EMPTY
from tests.factories.sales import ActivityFactory, CustomerFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, tzinfo=SHANGHAI)


def test_a_new_interaction_is_logged_by_its_author_at_a_date_time(manager) -> None:
    customer = CustomerFactory(manager=manager)
    activity = services.activity_save(
        actor=manager,
        activity=Activity(customer=customer),
        kind=Activity.Kind.CALL,
        occurred_at=_at(3, 15),
        place="电话",
        title="电话回访",
    )
    activity.refresh_from_db()
    assert (activity.author, activity.kind) == (manager, "call")
    assert timezone.localtime(activity.occurred_at).hour == 15


def test_the_customer_list_of_interactions_reaches_every_one_of_them(
    client, manager, django_assert_max_num_queries
) -> None:
    customer = CustomerFactory(manager=manager)
    for day in range(1, 15):  # 14: the customer page shows 10, the list all of them
        ActivityFactory(customer=customer, occurred_at=_at(day), title=f"第{day}次")
    ActivityFactory(title="别家的")  # another customer's
    client.force_login(manager)
    url = reverse("sales:customer-activity-list", args=[customer.number])
    with django_assert_max_num_queries(12):
        first = client.get(url, {"per_page": 10})
    assert [a.title for a in first.context["object_list"]][:2] == ["第14次", "第13次"]
    second = client.get(url, {"per_page": 10, "page": 2})
    assert [a.title for a in second.context["object_list"]] == ["第4次", "第3次", "第2次", "第1次"]
    oldest = list(second.context["object_list"])[-1]
    assert (
        client.get(reverse("sales:activity-detail", args=[customer.number, oldest.pk])).status_code
        == 200
    )
    detail = client.get(reverse("sales:customer-detail", args=[customer.number])).content.decode()
    assert url in detail


def test_a_deep_page_of_a_rep_s_interactions_is_the_same_page_either_way(
    client, manager, other_manager, django_assert_max_num_queries, monkeypatch
) -> None:
    """Past `two_step_from` rows the list finds the page's ids in its other form (the rep's
    customers hashed once): the same rows, in the list's order, filters applied."""
    from core.views import CappedPaginator
    from sales.selectors import activity_rows
    from sales.services import customer_share

    mine, theirs = CustomerFactory(manager=manager), CustomerFactory(manager=other_manager)
    shared = CustomerFactory(manager=other_manager)
    customer_share(actor=other_manager, customers=[shared], user=manager, can_edit=False)
    for n in range(130):
        customer = (mine, theirs, shared)[n % 3]
        kind = "visit" if n % 2 else "call"
        ActivityFactory(customer=customer, kind=kind, occurred_at=_at(1 + n % 28), title=f"{n}")
    client.force_login(manager)
    url = reverse("sales:activity-list")
    monkeypatch.setattr(CappedPaginator, "two_step_from", 30)  # deep pages of a small list
    from sales.views import ActivityListView

    asked = []
    deep_queryset = ActivityListView.get_deep_queryset
    monkeypatch.setattr(
        ActivityListView,
        "get_deep_queryset",
        lambda view: asked.append(view.request.GET.urlencode()) or deep_queryset(view),
    )
    for query, rows in (
        ({"per_page": 10, "page": 6}, activity_rows(manager)),
        ({"per_page": 10, "page": 6, "o": "title"}, activity_rows(manager).order_by("title")),
        (
            {"per_page": 10, "page": 4, "kind": "call"},
            activity_rows(manager).filter(kind="call"),
        ),
    ):
        with django_assert_max_num_queries(12):
            page = client.get(url, query).context["page_obj"]
        assert page.start_index() > CappedPaginator.two_step_from
        expected = list(rows)[page.start_index() - 1 : page.end_index()]
        assert [a.pk for a in page.object_list] == [a.pk for a in expected], query
        assert {a.customer_id for a in page.object_list} <= {mine.pk, shared.pk}
    assert len(asked) == 3  # the other form was read for each deep page
    client.get(url)
    assert len(asked) == 3  # and not for the first


def test_the_list_across_customers_filters_by_rep_date_range_and_kind(
    client, manager, other_manager, supervisor, django_assert_max_num_queries
) -> None:
    mine = CustomerFactory(manager=manager)
    theirs = CustomerFactory(manager=other_manager)
    call = ActivityFactory(customer=mine, kind="call", occurred_at=_at(2), title="A电话")
    visit = ActivityFactory(customer=mine, kind="visit", occurred_at=_at(10), title="B拜访")
    other = ActivityFactory(customer=theirs, kind="visit", occurred_at=_at(5), title="C拜访")
    url = reverse("sales:activity-list")

    client.force_login(manager)  # sees only the customers they may see
    assert [a.pk for a in client.get(url).context["object_list"]] == [visit.pk, call.pk]

    client.force_login(supervisor)  # view-all
    with django_assert_max_num_queries(12):
        everything = client.get(url)
    assert [a.pk for a in everything.context["object_list"]] == [visit.pk, other.pk, call.pk]

    def listed(**query: str) -> list[int]:
        return [a.pk for a in client.get(url, query).context["object_list"]]

    assert listed(kind="visit") == [visit.pk, other.pk]
    assert listed(author="manager2") == [other.pk]
    assert listed(date_from="2026-11-03", date_to="2026-11-09") == [other.pk]
    assert listed(o="at") == [call.pk, other.pk, visit.pk]
    assert listed(o="title") == [call.pk, visit.pk, other.pk]
    assert listed(kind="nonsense") == []  # an invalid filter shows the errors, no rows


def test_a_superior_comments_and_the_rep_is_notified_with_a_link(
    client, manager, supervisor
) -> None:
    activity = ActivityFactory(customer=CustomerFactory(manager=manager), title="联络小结")
    client.force_login(supervisor)
    url = reverse("sales:activity-detail", args=[activity.customer.number, activity.pk])
    response = client.post(url, {"text": "同意，下周跟进报价"})
    assert response.status_code == 302
    comment = activity.comments.get()
    assert (comment.author, comment.text) == (supervisor, "同意，下周跟进报价")
    note = Notification.objects.get(user=manager)
    assert note.link == url
    assert "联络小结" in note.text
    client.force_login(manager)
    assert "同意，下周跟进报价" in client.get(url).content.decode()


def test_comment_rules(manager, supervisor, other_manager) -> None:
    activity = ActivityFactory(customer=CustomerFactory(manager=manager))
    with pytest.raises(ValidationError) as refused:
        services.activity_comment_add(actor=manager, activity=activity, text="自己批复")
    assert refused.value.messages == [str(ACTIVITY_COMMENT_DENIED)]
    with pytest.raises(ValidationError) as refused:
        services.activity_comment_add(actor=other_manager, activity=activity, text="不行")
    assert refused.value.messages == [str(ACTIVITY_COMMENT_DENIED)]
    with pytest.raises(ValidationError) as refused:
        services.activity_comment_add(actor=supervisor, activity=activity, text="   ")
    assert refused.value.messages == [str(ACTIVITY_COMMENT_EMPTY)]
    assert not activity.comments.exists()
    # A supervisor's own interaction gets no self-notification.
    own = ActivityFactory(customer=activity.customer, author=supervisor)
    assert not services_can_comment(supervisor, own)


def services_can_comment(user, activity) -> bool:
    from sales.permissions import can_comment_activity

    return can_comment_activity(user, activity)


def test_the_manager_sees_no_comment_form_on_their_own_interaction(client, manager) -> None:
    activity = ActivityFactory(customer=CustomerFactory(manager=manager))
    client.force_login(manager)
    url = reverse("sales:activity-detail", args=[activity.customer.number, activity.pk])
    assert 'data-testid="comment-form"' not in client.get(url).content.decode()
    assert client.post(url, {"text": "x"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_dates_into_the_start_of_their_day_and_keeps_the_author() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("sales", "0007_order_date_covering")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    User = old.get_model("accounts", "User")
    Customer = old.get_model("sales", "Customer")
    old_activity = old.get_model("sales", "Activity")
    rep = User.objects.create(username="rep-migration")
    customer = Customer.objects.create(number="KH-MIG-1", name="迁移客户", manager=rep)
    old_activity.objects.create(
        customer=customer, date=datetime.date(2025, 3, 4), place="公司", title="旧的拜访"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    migrated = Activity.objects.get(title="旧的拜访")
    local = timezone.localtime(migrated.occurred_at)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2025, 3, 4), 0, 0)
    assert migrated.author_id == rep.pk
    assert migrated.kind == "other"

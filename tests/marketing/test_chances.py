"""Opportunities: rules of create/edit/delete, assignment, development and the pipeline."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse

from accounts.models import Notification
from marketing import selectors, services
from marketing.models import ChanceAssignment, PlanItem, SalesChance
from sales.models import Contact, Customer
from tests.factories.marketing import PlanItemFactory, SalesChanceFactory

DATA = {
    "source": "展会",
    "customer_name": "睿智电子科技有限公司",
    "rate": "70",
    "title": "采购笔记本电脑",
    "contact": "刘先生",
    "contact_phone": "13729239239",
    "description": "客户有意向",
}


def _developing(creator, assignee, **kwargs):
    return SalesChanceFactory(creator=creator, assignee=assignee, status=2, **kwargs)


@pytest.mark.django_db
class TestCreateEditDelete:
    def test_creator_and_time_are_set_by_the_system(self, client, manager) -> None:
        client.force_login(manager)
        client.post(reverse("marketing:chance-create"), {**DATA, "creator": "999"})
        chance = SalesChance.objects.get()
        assert chance.creator == manager
        assert chance.status == SalesChance.Status.UNASSIGNED
        assert chance.created_at is not None

    @pytest.mark.parametrize("field", ["customer_name", "title", "rate", "description"])
    def test_required_fields(self, client, manager, field) -> None:
        client.force_login(manager)
        response = client.post(reverse("marketing:chance-create"), {**DATA, field: ""})
        assert field in response.context["form"].errors
        assert not SalesChance.objects.exists()

    @pytest.mark.parametrize("rate", ["-1", "101", "abc"])
    def test_rate_is_between_0_and_100(self, client, manager, rate) -> None:
        client.force_login(manager)
        response = client.post(reverse("marketing:chance-create"), {**DATA, "rate": rate})
        assert "rate" in response.context["form"].errors

    def test_only_the_creator_or_a_supervisor_edits_while_unassigned(
        self, client, manager, other_manager, supervisor
    ) -> None:
        chance = SalesChanceFactory(creator=manager)
        url = reverse("marketing:chance-edit", args=[chance.pk])
        client.force_login(other_manager)
        assert client.post(url, {**DATA, "title": "x"}).status_code == 404
        client.force_login(supervisor)
        client.post(url, {**DATA, "title": "主管修改"})
        chance.refresh_from_db()
        assert chance.title == "主管修改"

    def test_assigned_opportunities_cannot_be_edited_or_deleted(
        self, client, manager, supervisor
    ) -> None:
        chance = _developing(manager, manager)
        client.force_login(manager)
        assert (
            client.post(reverse("marketing:chance-edit", args=[chance.pk]), DATA).status_code == 403
        )
        assert client.post(reverse("marketing:chance-delete", args=[chance.pk])).status_code == 403
        with pytest.raises(ValidationError):
            services.chance_delete(actor=supervisor, chance=chance)
        assert SalesChance.objects.filter(pk=chance.pk).exists()

    def test_delete_asks_then_deletes(self, client, manager) -> None:
        chance = SalesChanceFactory(creator=manager)
        client.force_login(manager)
        assert client.get(reverse("marketing:chance-delete", args=[chance.pk])).status_code == 200
        client.post(reverse("marketing:chance-delete", args=[chance.pk]))
        assert not SalesChance.objects.exists()

    def test_list_filters(self, client, supervisor, manager) -> None:
        target = SalesChanceFactory(creator=manager, customer_name="太阳药业", contact="赵敏")
        SalesChanceFactory(creator=supervisor)
        client.force_login(supervisor)
        for query in ({"customer_name": "太阳"}, {"contact": "赵"}, {"creator": manager.username}):
            response = client.get(reverse("marketing:chance-list"), query)
            assert [c.pk for c in response.context["object_list"]] == [target.pk]


@pytest.mark.django_db
class TestAssignment:
    def test_supervisor_assigns_and_the_manager_is_notified(
        self, client, supervisor, manager
    ) -> None:
        chance = SalesChanceFactory(creator=supervisor)
        client.force_login(supervisor)
        client.post(reverse("marketing:chance-assign", args=[chance.pk]), {"assignee": manager.pk})
        chance.refresh_from_db()
        assert (chance.status, chance.assignee) == (SalesChance.Status.ASSIGNED, manager)
        assert chance.assigned_at is not None
        assert Notification.objects.filter(user=manager).count() == 1

    def test_managers_cannot_assign(self, client, manager, other_manager) -> None:
        chance = SalesChanceFactory(creator=manager)
        client.force_login(manager)
        response = client.post(
            reverse("marketing:chance-assign", args=[chance.pk]), {"assignee": other_manager.pk}
        )
        assert response.status_code == 403
        chance.refresh_from_db()
        assert chance.status == SalesChance.Status.UNASSIGNED

    def test_only_active_customer_managers_can_be_chosen(
        self, supervisor, executive, manager
    ) -> None:
        chance = SalesChanceFactory(creator=supervisor)
        manager.is_active = False
        manager.save()
        for user in (executive, manager):
            with pytest.raises(ValidationError):
                services.chance_assign(actor=supervisor, chance=chance, assignee=user)

    def test_assigning_twice_is_refused(self, supervisor, manager, other_manager) -> None:
        chance = SalesChanceFactory(creator=supervisor)
        services.chance_assign(actor=supervisor, chance=chance, assignee=manager)
        with pytest.raises(ValidationError) as error:
            services.chance_assign(actor=supervisor, chance=chance, assignee=other_manager)
        assert error.value.messages == [
            services.STATUS_CHANGED % {"status": SalesChance.Status.ASSIGNED.label}
        ]

    def test_reassign_is_recorded(self, client, supervisor, manager, other_manager) -> None:
        chance = _developing(supervisor, manager)
        client.force_login(supervisor)
        client.post(
            reverse("marketing:chance-reassign", args=[chance.pk]), {"assignee": other_manager.pk}
        )
        chance.refresh_from_db()
        assert chance.assignee == other_manager
        assert ChanceAssignment.objects.get().from_user == manager


@pytest.mark.django_db
class TestDevelopment:
    def test_assignee_plans_executes_and_wins(self, client, supervisor, manager) -> None:
        chance = _developing(supervisor, manager, contact="刘先生", contact_phone="137")
        client.force_login(manager)
        base = reverse("marketing:development-detail", args=[chance.pk])
        client.post(f"{base}plan/", {"date": "2026-11-25", "todo": "上门演示"})
        item = PlanItem.objects.get()
        client.post(
            reverse("marketing:plan-update", args=[chance.pk, item.pk]),
            {"date": "2026-11-26", "todo": "上门演示产品"},
        )
        client.post(
            reverse("marketing:plan-execute", args=[chance.pk, item.pk]), {"result": "客户满意"}
        )
        response = client.post(reverse("marketing:chance-win", args=[chance.pk]))

        item.refresh_from_db()
        assert (str(item.date), item.todo, item.result) == (
            "2026-11-26",
            "上门演示产品",
            "客户满意",
        )
        chance.refresh_from_db()
        customer = Customer.objects.get()
        assert chance.status == SalesChance.Status.SUCCEEDED
        assert chance.customer == customer
        assert (customer.name, customer.manager) == (chance.customer_name, manager)
        assert customer.number.startswith("KH")
        assert Contact.objects.get(customer=customer).name == "刘先生"
        assert response["Location"] == reverse("sales:customer-detail", args=[customer.number])

    def test_empty_result_and_missing_date_are_refused(self, client, supervisor, manager) -> None:
        chance = _developing(supervisor, manager)
        item = PlanItemFactory(chance=chance)
        client.force_login(manager)
        client.post(reverse("marketing:plan-add", args=[chance.pk]), {"todo": "无日期"})
        response = client.post(
            reverse("marketing:plan-execute", args=[chance.pk, item.pk]),
            {"result": ""},
            follow=True,
        )
        assert PlanItem.objects.count() == 1
        assert "Result" in response.content.decode()

    def test_others_cannot_develop(self, client, supervisor, manager, other_manager) -> None:
        chance = _developing(supervisor, manager)
        client.force_login(supervisor)  # sees it and may plan it, but does not develop it
        client.post(reverse("marketing:chance-win", args=[chance.pk]))
        client.force_login(other_manager)
        client.post(
            reverse("marketing:plan-add", args=[chance.pk]), {"date": "2026-11-25", "todo": "x"}
        )
        assert client.post(reverse("marketing:chance-fail", args=[chance.pk])).status_code == 404
        chance.refresh_from_db()
        assert chance.status == SalesChance.Status.ASSIGNED
        assert not PlanItem.objects.exists()

    def test_won_and_failed_are_final_and_read_only(self, client, supervisor, manager) -> None:
        chance = _developing(supervisor, manager)
        item = PlanItemFactory(chance=chance, result="ok")
        services.chance_fail(actor=manager, chance=chance, reason=_lost_reason())
        client.force_login(manager)
        page = client.get(
            reverse("marketing:development-detail", args=[chance.pk])
        ).content.decode()
        assert reverse("marketing:plan-add", args=[chance.pk]) not in page
        assert item.todo in page
        for name, args in (
            ("marketing:chance-win", [chance.pk]),
            ("marketing:plan-delete", [chance.pk, item.pk]),
        ):
            client.post(reverse(name, args=args))
        chance.refresh_from_db()
        assert chance.status == SalesChance.Status.FAILED
        assert not Customer.objects.exists()
        assert PlanItem.objects.filter(pk=item.pk).exists()

    def test_winning_twice_creates_one_customer(self, supervisor, manager) -> None:
        chance = _developing(supervisor, manager)
        services.chance_win(actor=manager, chance=chance)
        with pytest.raises(ValidationError) as error:
            services.chance_win(actor=manager, chance=chance)
        assert error.value.messages == [
            services.STATUS_CHANGED % {"status": SalesChance.Status.SUCCEEDED.label}
        ]
        assert Customer.objects.count() == 1

    def test_development_list_shows_the_assignees_opportunities(
        self, client, supervisor, manager, other_manager
    ) -> None:
        mine = _developing(supervisor, manager)
        _developing(supervisor, other_manager)
        SalesChanceFactory(creator=manager)  # unassigned: not in development
        client.force_login(manager)
        assert [
            c.pk for c in client.get(reverse("marketing:development-list")).context["object_list"]
        ] == [mine.pk]
        client.force_login(supervisor)
        assert len(client.get(reverse("marketing:development-list")).context["object_list"]) == 2


@pytest.mark.django_db
def test_pipeline_summary_counts_and_weights(supervisor, manager) -> None:
    _developing(supervisor, manager, rate=50, expected_amount=Decimal(1000))
    _developing(supervisor, manager, rate=20, expected_amount=Decimal(500))
    _developing(supervisor, manager, rate=90, expected_amount=None)
    SalesChanceFactory(creator=manager, rate=100, expected_amount=Decimal(9999))
    SalesChanceFactory(creator=supervisor, status=3, assignee=manager)

    summary = selectors.pipeline_summary(manager)

    assert (summary.unassigned, summary.developing, summary.won, summary.failed) == (1, 3, 1, 0)
    assert summary.developing_amount == Decimal(1500)
    assert summary.weighted_amount == Decimal("600.00")
    assert summary.stages == [
        (str(SalesChance.Status.UNASSIGNED.label), 1),
        (str(SalesChance.Status.ASSIGNED.label), 3),
        (str(SalesChance.Status.SUCCEEDED.label), 1),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 20])
def test_query_counts(client, supervisor, manager, django_assert_max_num_queries, size) -> None:
    chances = [_developing(supervisor, manager) for _ in range(size)]
    PlanItemFactory.create_batch(size, chance=chances[0])
    client.force_login(manager)
    with django_assert_max_num_queries(10):
        client.get(reverse("marketing:chance-list"), {"o": "-rate"})
    with django_assert_max_num_queries(9):
        client.get(reverse("marketing:development-list"))
    with django_assert_max_num_queries(11):
        client.get(reverse("marketing:development-detail", args=[chances[0].pk]))


def _race(action, count: int = 2) -> list[object]:
    barrier = threading.Barrier(count)
    outcomes: list[object] = []

    def run() -> None:
        try:
            barrier.wait()
            outcomes.append(action())
        except ValidationError as error:
            outcomes.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_assignments_at_once_one_wins(supervisor, manager, other_manager) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    chance = SalesChanceFactory(creator=supervisor)
    targets = iter([manager, other_manager])
    lock = threading.Lock()

    def assign() -> object:
        with lock:
            target = next(targets)
        return services.chance_assign(actor=supervisor, chance=chance, assignee=target)

    outcomes = _race(assign)

    assert sum(isinstance(outcome, ValidationError) for outcome in outcomes) == 1
    assert ChanceAssignment.objects.filter(chance=chance).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_successes_at_once_create_one_customer(supervisor, manager) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    chance = _developing(supervisor, manager)

    outcomes = _race(lambda: services.chance_win(actor=manager, chance=chance))

    assert sum(isinstance(outcome, ValidationError) for outcome in outcomes) == 1
    assert Customer.objects.count() == 1


def _lost_reason():
    from inventory.models import DictItem, DictType

    return DictItem.objects.filter(type=DictType.CHANCE_LOST_REASON).first()


def test_the_supervisor_writes_development_plans_and_the_assignee_executes_them(
    client, supervisor, manager
) -> None:
    """Seed 002: the supervisor plans the development of particular opportunities."""
    import datetime

    from marketing.permissions import can_plan_chance

    chance = SalesChanceFactory(creator=supervisor)
    services.chance_assign(actor=supervisor, chance=chance, assignee=manager)
    chance.refresh_from_db()
    assert can_plan_chance(supervisor, chance)
    item = services.plan_add(
        actor=supervisor, chance=chance, date=datetime.date(2026, 12, 1), todo="拜访客户"
    )
    services.plan_update(actor=supervisor, item=item, date=item.date, todo="电话回访")
    client.force_login(supervisor)
    page = client.get(reverse("marketing:development-detail", args=[chance.pk])).content.decode()
    assert reverse("marketing:plan-add", args=[chance.pk]) in page
    assert reverse("marketing:plan-execute", args=[chance.pk, item.pk]) not in page
    with pytest.raises(ValidationError):  # executing stays with the assignee
        services.plan_execute(actor=supervisor, item=item, result="x")
    services.plan_execute(actor=manager, item=item, result="客户同意")
    services.plan_delete(actor=supervisor, item=item)
    chance.status = SalesChance.Status.SUCCEEDED
    assert not can_plan_chance(supervisor, chance)

"""The marketing write services refuse users without the rule, with their message constants."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Notification
from marketing import services
from marketing.models import PlanItem, SalesChance
from tests.factories.marketing import PlanItemFactory, SalesChanceFactory

pytestmark = pytest.mark.django_db


def _refused(message, call, **kwargs) -> None:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert error.value.messages == [str(message)]


def test_only_holders_of_the_opportunity_page_create(admin_user, executive) -> None:
    for user in (admin_user, executive):
        _refused(services.CREATE_DENIED, services.chance_create, actor=user, title="采购")
    assert not SalesChance.objects.exists()


def test_edit_and_delete_by_creator_or_supervisor_only(manager, other_manager) -> None:
    chance = SalesChanceFactory(creator=manager)
    _refused(services.UPDATE_DENIED, services.chance_update, actor=other_manager, chance=chance)
    _refused(services.DELETE_DENIED, services.chance_delete, actor=other_manager, chance=chance)
    assert SalesChance.objects.filter(pk=chance.pk).exists()


def test_only_the_assign_right_assigns(manager, other_manager, supervisor) -> None:
    chance = SalesChanceFactory(creator=manager)
    _refused(
        services.ASSIGN_DENIED,
        services.chance_assign,
        actor=manager,
        chance=chance,
        assignee=other_manager,
    )
    services.chance_assign(actor=supervisor, chance=chance, assignee=manager)
    _refused(
        services.ASSIGN_DENIED,
        services.chance_reassign,
        actor=manager,
        chance=chance,
        assignee=other_manager,
    )
    _refused(
        services.SAME_ASSIGNEE,
        services.chance_reassign,
        actor=supervisor,
        chance=chance,
        assignee=manager,
    )
    chance.refresh_from_db()
    assert chance.assignee == manager


def test_the_assignee_must_hold_customers(supervisor, manager) -> None:
    chance = SalesChanceFactory(creator=supervisor)
    manager.role.is_active = False
    manager.role.save()
    _refused(
        services.NOT_ASSIGNABLE,
        services.chance_assign,
        actor=supervisor,
        chance=chance,
        assignee=manager,
    )


def test_the_assignment_notification_links_the_development_page(supervisor, manager) -> None:
    chance = SalesChanceFactory(creator=supervisor)
    services.chance_assign(actor=supervisor, chance=chance, assignee=manager)
    assert Notification.objects.get(user=manager).link == reverse(
        "marketing:development-detail", args=[chance.pk]
    )


def _lost_reason():
    from inventory.models import DictItem, DictType

    return DictItem.objects.filter(type=DictType.CHANCE_LOST_REASON).first()


def test_only_the_assignee_develops(supervisor, manager, other_manager) -> None:
    """The supervisor also writes the plan (seed 002); executing and closing stay with the
    assignee."""
    chance = SalesChanceFactory(creator=supervisor, assignee=manager, status=2)
    item = PlanItemFactory(chance=chance)
    day = datetime.date(2026, 12, 1)
    plan = (
        (services.plan_add, {"chance": chance, "date": day, "todo": "拜访"}),
        (services.plan_update, {"item": item, "date": day, "todo": "改"}),
        (services.plan_delete, {"item": item}),
    )
    develop = (
        (services.plan_execute, {"item": item, "result": "成交"}),
        (services.chance_win, {"chance": chance}),
        (services.chance_fail, {"chance": chance, "reason": _lost_reason()}),
    )
    for call, kwargs in plan:
        _refused(services.DEVELOP_DENIED, call, actor=other_manager, **kwargs)
    for call, kwargs in develop:
        for user in (supervisor, other_manager):
            _refused(services.DEVELOP_DENIED, call, actor=user, **kwargs)
    assert list(PlanItem.objects.all()) == [item]
    _refused(services.RESULT_REQUIRED, services.plan_execute, actor=manager, item=item, result="")


def test_the_assignee_deletes_a_plan_item(supervisor, manager) -> None:
    item = PlanItemFactory(
        chance=SalesChanceFactory(creator=supervisor, assignee=manager, status=2)
    )
    services.plan_delete(actor=manager, item=item)
    assert not PlanItem.objects.exists()

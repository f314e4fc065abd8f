"""Each rule of `marketing.permissions`, asked directly, for each seeded role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from marketing import permissions
from marketing.models import SalesChance
from tests.factories.marketing import SalesChanceFactory

pytestmark = pytest.mark.django_db

ROLES = ("admin_user", "supervisor", "manager", "executive")
Status = SalesChance.Status


@pytest.fixture
def users(request):
    return {name: request.getfixturevalue(name) for name in ROLES}


@pytest.fixture
def chances(supervisor, manager, other_manager):
    """By manager1: one unassigned; by the supervisor: one developed by manager1, one by
    manager2, one won by manager1."""
    return {
        "own_new": SalesChanceFactory(creator=manager),
        "developing": SalesChanceFactory(creator=supervisor, assignee=manager, status=2),
        "others": SalesChanceFactory(creator=supervisor, assignee=other_manager, status=2),
        "won": SalesChanceFactory(creator=supervisor, assignee=manager, status=Status.FAILED),
    }


def _names(chances, queryset) -> set[str]:
    return {name for name, chance in chances.items() if chance in queryset}


ALL = {"own_new", "developing", "others", "won"}


@pytest.mark.parametrize(
    ("who", "visible", "development"),
    [
        ("admin_user", set(), set()),
        ("supervisor", ALL, {"developing", "others", "won"}),
        ("manager", {"own_new", "developing", "won"}, {"developing", "won"}),
        ("executive", ALL, set()),  # reads every opportunity, develops none
    ],
)
def test_visible_chances_and_development(users, chances, who, visible, development) -> None:
    user = users[who]
    assert _names(chances, permissions.visible_chances(user)) == visible
    assert _names(chances, permissions.visible_development(user)) == development


def test_signed_out_or_disabled_users_see_no_opportunities(chances, manager) -> None:
    manager.is_active = False
    for user in (AnonymousUser(), manager):
        assert not permissions.visible_chances(user).exists()
        assert not permissions.visible_development(user).exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin_user", False), ("supervisor", True), ("manager", True), ("executive", False)],
)
def test_can_create_chance(users, who, allowed) -> None:
    assert permissions.can_create_chance(users[who]) is allowed


@pytest.mark.parametrize(
    ("who", "editable", "assignable", "reassignable", "developable"),
    [
        ("admin_user", set(), set(), set(), set()),
        ("supervisor", {"own_new"}, {"own_new"}, {"developing", "others"}, set()),
        ("manager", {"own_new"}, set(), set(), {"developing"}),
        ("executive", set(), set(), set(), set()),
    ],
)
def test_action_rules(users, chances, who, editable, assignable, reassignable, developable) -> None:
    user = users[who]
    for name, chance in chances.items():
        assert permissions.can_edit_chance(user, chance) is (name in editable), name
        assert permissions.can_assign_chance(user, chance) is (name in assignable), name
        assert permissions.can_reassign_chance(user, chance) is (name in reassignable), name
        assert permissions.can_develop_chance(user, chance) is (name in developable), name


def test_the_creator_of_an_assigned_chance_no_longer_edits_it(manager, other_manager) -> None:
    chance = SalesChanceFactory(creator=manager, assignee=other_manager, status=2)
    assert not permissions.can_edit_chance(manager, chance)
    assert permissions.can_develop_chance(other_manager, chance)

"""The permission decisions of the accounts module, called directly: `RoleBackend` (which rights a
user holds) and the rights registry (`accounts.rights`), for each role fixture."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser, Permission
from django.urls import NoReverseMatch, reverse

from accounts.backends import RoleBackend
from accounts.models import Right, RoleRight, User
from accounts.rights import (
    ADMIN,
    EXECUTIVE,
    MANAGER,
    RIGHTS,
    RIGHTS_BY_CODE,
    SUPERVISOR,
    children_of,
)
from tests.factories import RoleFactory, UserFactory

FIXTURE_ROLE = {
    "admin_user": ADMIN,
    "supervisor": SUPERVISOR,
    "manager": MANAGER,
    "other_manager": MANAGER,
    "executive": EXECUTIVE,
}
NON_FOLDER_CODES = {right.code for right in RIGHTS if right.kind != "folder"}


def _fresh(user: User) -> User:
    """The user as the next request sees it (no permission cache)."""
    found = RoleBackend().get_user(user.pk)
    assert found is not None
    return found


def _granted(slug: str) -> set[str]:
    return {
        right.code for right in RIGHTS if slug in right.default_roles and right.kind != "folder"
    }


@pytest.mark.parametrize("fixture", sorted(FIXTURE_ROLE))
def test_a_role_fixture_holds_exactly_its_roles_rights(request, fixture: str) -> None:
    user = _fresh(request.getfixturevalue(fixture))
    expected = _granted(FIXTURE_ROLE[fixture])
    assert expected  # every seeded role holds something
    assert RoleBackend().get_all_permissions(user) == expected
    for code in NON_FOLDER_CODES:
        assert user.has_perm(code) is (code in expected), code


@pytest.mark.parametrize("fixture", sorted(FIXTURE_ROLE))
def test_a_role_fixture_has_no_per_user_or_group_rights_and_no_object_rights(
    request, fixture: str
) -> None:
    user = _fresh(request.getfixturevalue(fixture))
    user.user_permissions.add(Permission.objects.get(codename="view_right"))
    backend = RoleBackend()
    assert backend.get_user_permissions(user) == set()
    assert backend.get_group_permissions(user) == set()
    assert backend.get_all_permissions(user, obj=user) == set()
    assert not _fresh(user).has_perm("accounts.view_right")


@pytest.mark.parametrize("fixture", sorted(FIXTURE_ROLE))
def test_a_granted_folder_is_never_a_right(request, fixture: str) -> None:
    user = request.getfixturevalue(fixture)
    folders = [right.code for right in RIGHTS if right.kind == "folder"]
    for folder in Right.objects.filter(code__in=folders):
        RoleRight.objects.get_or_create(role=user.role, right=folder)
    fresh = _fresh(user)
    assert not any(fresh.has_perm(code) for code in folders)
    assert RoleBackend().get_all_permissions(fresh) == _granted(FIXTURE_ROLE[fixture])


@pytest.mark.parametrize("fixture", sorted(FIXTURE_ROLE))
def test_a_disabled_user_holds_nothing_and_gets_no_session_user(request, fixture: str) -> None:
    user = request.getfixturevalue(fixture)
    user.is_active = False
    user.save()
    assert RoleBackend().get_all_permissions(user) == set()
    assert RoleBackend().get_user(user.pk) is None
    # ...and does not authenticate: the login form answers as for a wrong password.
    assert not RoleBackend().user_can_authenticate(user)


@pytest.mark.parametrize("fixture", sorted(FIXTURE_ROLE))
def test_a_disabled_role_gives_its_users_nothing(request, fixture: str) -> None:
    user = request.getfixturevalue(fixture)
    user.role.is_active = False
    user.role.save()
    fresh = _fresh(user)
    assert RoleBackend().get_all_permissions(fresh) == set()
    assert not any(fresh.has_perm(code) for code in NON_FOLDER_CODES)


def test_a_user_without_a_role_holds_nothing(db) -> None:
    user = _fresh(UserFactory(role=None))
    assert RoleBackend().get_all_permissions(user) == set()
    assert not user.has_perm("sales.view_customer")


def test_an_anonymous_visitor_holds_nothing(db) -> None:
    assert RoleBackend().get_all_permissions(AnonymousUser()) == set()


def test_a_custom_role_holds_what_the_admin_ticked(db) -> None:
    custom = RoleFactory()
    for code in ("sales.view_customer", "reports.view_loss"):
        RoleRight.objects.create(role=custom, right=Right.objects.get(code=code))
    user = _fresh(UserFactory(role=custom))
    assert RoleBackend().get_all_permissions(user) == {"sales.view_customer", "reports.view_loss"}


@pytest.mark.parametrize("fixture", sorted(FIXTURE_ROLE))
def test_rights_are_read_once_per_user_object(
    request, fixture: str, django_assert_num_queries
) -> None:
    user = _fresh(request.getfixturevalue(fixture))
    # The session's user comes with its role's rights (one query in all: see below).
    with django_assert_num_queries(0):
        RoleBackend().get_all_permissions(user)
        RoleBackend().get_all_permissions(user)
        user.has_perm("sales.view_customer")
    # A change made meanwhile is seen by the next request's user, not this one's.
    granted = "accounts.manage_users" not in RoleBackend().get_all_permissions(user)
    right = Right.objects.get(code="accounts.manage_users")
    if granted:
        RoleRight.objects.create(role=user.role, right=right)
    else:
        RoleRight.objects.filter(role=user.role, right=right).delete()
    assert user.has_perm("accounts.manage_users") is not granted
    assert _fresh(user).has_perm("accounts.manage_users") is granted


def test_get_user_reads_the_role_and_its_rights_with_the_user(
    admin_user, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        user = RoleBackend().get_user(admin_user.pk)
        assert user is not None
        assert user.role.slug == ADMIN
        assert user.has_perm("accounts.manage_users")
        assert not user.has_perm("sales.view_customer")
    assert RoleBackend().get_user(10**9) is None


@pytest.mark.parametrize("fixture", sorted(FIXTURE_ROLE))
def test_authentication_checks_the_password(request, fixture: str) -> None:
    user = request.getfixturevalue(fixture)
    user.set_password("right-horse-battery")
    user.save()
    assert authenticate(username=user.username, password="right-horse-battery") == user
    assert authenticate(username=user.username, password="wrong") is None


# The registry -------------------------------------------------------------------------------------


def test_registry_codes_are_unique_and_use_the_app_label_form() -> None:
    codes = [right.code for right in RIGHTS]
    assert len(codes) == len(set(codes)) == len(RIGHTS_BY_CODE)
    assert all(code.count(".") == 1 for code in codes)


def test_every_right_but_a_folder_sits_in_a_folder_listed_before_it() -> None:
    seen_folders: set[str] = set()
    for right in RIGHTS:
        if right.kind == "folder":
            assert right.parent is None
            seen_folders.add(right.code)
        else:
            assert right.kind in {"page", "action"}
            assert right.parent in seen_folders, right.code


def test_children_of_lists_a_folder_s_rights_in_registry_order() -> None:
    children = children_of("menu.permissions")
    assert [right.code for right in children][:3] == [
        "accounts.manage_users",
        "accounts.manage_roles",
        "accounts.view_rights",
    ]
    assert all(right.parent == "menu.permissions" for right in children)
    assert children_of("accounts.manage_users") == []
    every_child = [
        right for right in RIGHTS if right.kind == "folder" for right in children_of(right.code)
    ]
    assert len(every_child) == len(NON_FOLDER_CODES)


def test_pages_link_to_urls_that_exist_and_actions_link_nowhere() -> None:
    for right in RIGHTS:
        if right.kind == "page":
            try:
                reverse(right.url_name)
            except NoReverseMatch:  # pragma: no cover - the message names the right
                pytest.fail(f"{right.code} links to {right.url_name!r}, which does not exist")
        else:
            assert right.url_name == "", right.code


def test_each_seeded_role_has_default_rights_and_only_admin_manages_accounts() -> None:
    for slug in (ADMIN, SUPERVISOR, MANAGER, EXECUTIVE):
        assert _granted(slug), slug
    for code in ("accounts.manage_users", "accounts.manage_roles", "accounts.view_rights"):
        assert RIGHTS_BY_CODE[code].default_roles == (ADMIN,)

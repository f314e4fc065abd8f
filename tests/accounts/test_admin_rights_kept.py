"""The last enabled holder of each administration right cannot be stripped of it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.rights import RIGHTS
from tests.factories import RoleFactory, UserFactory, role
from tests.factories.accounts import PASSWORD

ADMIN_CODES = sorted(r.code for r in RIGHTS if "admin" in r.default_roles and r.kind != "folder")


@pytest.fixture
def role_admin(db):
    """A user whose own role manages roles only; the seeded admin holds user management."""
    helper_role = RoleFactory(name="Role keeper")
    services.role_set_rights(actor=UserFactory(), role=helper_role, codes=["accounts.manage_roles"])
    return UserFactory(username="keeper", role=helper_role)


def _refused(error):
    return any("nobody else would keep" in message for message in error.value.messages)


def test_removing_user_management_from_its_last_role_is_refused(admin_user):
    codes = [code for code in ADMIN_CODES if code != "accounts.manage_users"]
    with pytest.raises(ValidationError) as error:
        services.role_set_rights(actor=admin_user, role=admin_user.role, codes=codes)
    assert _refused(error)
    assert admin_user.has_perm("accounts.manage_users")


def test_another_role_keeper_cannot_strip_the_admin_role(role_admin, admin_user):
    with pytest.raises(ValidationError) as error:
        services.role_set_rights(
            actor=role_admin, role=role("admin"), codes=["accounts.view_rights"]
        )
    assert _refused(error)


def test_the_right_can_go_once_another_enabled_user_holds_it(admin_user, role_admin):
    # manage_roles is also held by "keeper", so the admin role may drop it
    codes = [code for code in ADMIN_CODES if code != "accounts.manage_roles"]
    services.role_set_rights(actor=role_admin, role=role("admin"), codes=codes)
    assert "accounts.manage_roles" not in set(role("admin").rights.values_list("code", flat=True))


def test_a_disabled_holder_does_not_count(admin_user, role_admin):
    role_admin.is_active = False
    role_admin.save()
    with pytest.raises(ValidationError):
        services.role_set_rights(
            actor=admin_user,
            role=role("admin"),
            codes=[c for c in ADMIN_CODES if c != "accounts.manage_roles"],
        )


def test_disabling_the_last_user_manager_is_refused(admin_user, role_admin):
    with pytest.raises(ValidationError) as error:
        services.user_set_active(actor=role_admin, user=admin_user, is_active=False)
    assert _refused(error)


def test_deleting_the_last_user_manager_is_refused(admin_user, role_admin):
    with pytest.raises(ValidationError) as error:
        services.user_delete(actor=role_admin, user=admin_user)
    assert _refused(error)


def test_disabling_the_last_admin_role_is_refused(admin_user, role_admin):
    with pytest.raises(ValidationError) as error:
        services.role_set_active(actor=role_admin, role=role("admin"), is_active=False)
    assert _refused(error)


def test_moving_an_admin_is_allowed_while_another_holds_the_rights(admin_user):
    second = UserFactory(username="admin2", role=role("admin"))
    services.user_update(
        actor=admin_user,
        user=second,
        username=second.username,
        role=role("manager"),
        first_name="",
        last_name="",
        email="",
    )
    second.refresh_from_db()
    assert second.role == role("manager")


def test_user_role_change_keeps_a_holder(admin_user, role_admin):
    with pytest.raises(ValidationError) as error:
        services.user_update(
            actor=role_admin,
            user=admin_user,
            username=admin_user.username,
            role=role("manager"),
            first_name="",
            last_name="",
            email="",
        )
    assert _refused(error)


def test_a_second_admin_can_be_disabled(admin_user):
    second = UserFactory(username="admin2", role=role("admin"))
    services.user_set_active(actor=admin_user, user=second, is_active=False)
    second.refresh_from_db()
    assert not second.is_active


def test_the_role_page_shows_the_refusal(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:role-rights", args=[admin_user.role.pk]),
        {"codes": ["accounts.manage_roles"]},
    )
    assert response.status_code == 200
    assert "nobody else would keep" in response.content.decode()


# Own password --------------------------------------------------------------------------------


def test_admin_cannot_reset_their_own_password_on_the_user_page(client, admin_user):
    client.force_login(admin_user)
    url = reverse("accounts:user-password", args=[admin_user.pk])
    page = client.get(url).content.decode()
    assert reverse("accounts:password-change") in page
    assert 'name="password1"' not in page
    response = client.post(
        url, {"password1": "brand-new-secret-7", "password2": "brand-new-secret-7"}
    )
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD)


def test_the_service_refuses_ones_own_password(admin_user):
    with pytest.raises(ValidationError) as error:
        services.user_set_password(actor=admin_user, user=admin_user, password="brand-new-7x")
    assert str(services.OWN_PASSWORD_VIA_CHANGE_FORM) in error.value.messages

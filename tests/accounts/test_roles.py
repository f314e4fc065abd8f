import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import RoleFactory, UserFactory, role


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_create_role_then_choose_its_rights(admin_client):
    response = admin_client.post(
        reverse("accounts:role-create"), {"name": "Auditor", "description": "Reads"}
    )
    created = Role.objects.get(name="Auditor")
    assert response["Location"] == reverse("accounts:role-rights", args=[created.pk])
    assert created.rights.count() == 0


def test_empty_role_name_is_refused(admin_client):
    count = Role.objects.count()
    response = admin_client.post(
        reverse("accounts:role-create"), {"name": "  ", "description": "x"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Role.objects.count() == count


def test_duplicate_role_name_is_refused(admin_client):
    RoleFactory(name="Auditor")
    response = admin_client.post(
        reverse("accounts:role-create"), {"name": "auditor", "description": "x"}
    )
    assert "A role with that name already exists." in response.content.decode()
    assert Role.objects.filter(name__iexact="auditor").count() == 1


def test_edit_role(admin_client):
    target = RoleFactory(name="Auditor")
    admin_client.post(
        reverse("accounts:role-edit", args=[target.pk]), {"name": "Inspector", "description": "d"}
    )
    target.refresh_from_db()
    assert target.name == "Inspector"


def test_deleting_a_role_in_use_is_refused(admin_client, manager):
    response = admin_client.get(reverse("accounts:role-delete", args=[manager.role_id]))
    assert "This role cannot be deleted" in response.content.decode()
    response = admin_client.post(
        reverse("accounts:role-delete", args=[manager.role_id]), follow=True
    )
    assert "cannot be deleted" in response.content.decode()
    assert Role.objects.filter(pk=manager.role_id).exists()


def test_deleting_an_unused_role(admin_client):
    target = RoleFactory()
    response = admin_client.post(reverse("accounts:role-delete", args=[target.pk]))
    assert response.status_code == 302
    assert not Role.objects.filter(pk=target.pk).exists()


def test_disabling_a_role_takes_its_users_rights(admin_client, client, manager):
    admin_client.post(reverse("accounts:role-toggle", args=[manager.role_id]))
    assert not role("manager").is_active
    manager.refresh_from_db()
    assert not manager.has_perm("sales.view_customer")


def test_admin_cannot_disable_their_own_role(admin_client, admin_user):
    response = admin_client.post(
        reverse("accounts:role-toggle", args=[admin_user.role_id]), follow=True
    )
    assert "You cannot disable your own role." in response.content.decode()
    assert role("admin").is_active


def test_seeded_role_names_are_shown_translated(admin_client):
    admin_client.cookies["django_language"] = "zh-hans"
    page = admin_client.get(reverse("accounts:role-list")).content.decode()
    assert "客户经理" in page
    assert "销售主管" in page


def test_a_renamed_seeded_role_shows_its_new_name(admin_client):
    Role.objects.filter(slug="manager").update(name="Account manager")
    admin_client.cookies["django_language"] = "zh-hans"
    assert "Account manager" in admin_client.get(reverse("accounts:role-list")).content.decode()


@pytest.mark.parametrize("extra", [1, 25])
def test_role_list_query_count_does_not_grow(admin_client, django_assert_max_num_queries, extra):
    for _ in range(extra):
        UserFactory(role=RoleFactory())
    with django_assert_max_num_queries(8):
        assert (
            admin_client.get(reverse("accounts:role-list"), {"per_page": "50"}).status_code == 200
        )

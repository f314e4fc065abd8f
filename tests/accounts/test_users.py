import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory, role

NEW_USER = {
    "username": "newbie",
    "first_name": "新人",
    "last_name": "",
    "email": "newbie@example.com",
    "role": "",
    "is_active": "on",
    "password1": "a-long-secret-42",
    "password2": "a-long-secret-42",
}


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_creates_a_user_with_a_role(admin_client):
    data = {**NEW_USER, "role": role("manager").pk}
    response = admin_client.post(reverse("accounts:user-create"), data)
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.role == role("manager")
    assert user.check_password("a-long-secret-42")
    assert user.is_active


def test_duplicate_username_is_refused_regardless_of_case(admin_client):
    UserFactory(username="Newbie")
    count = User.objects.count()
    response = admin_client.post(reverse("accounts:user-create"), NEW_USER)
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == count


def test_mismatched_passwords_are_refused(admin_client):
    response = admin_client.post(
        reverse("accounts:user-create"), {**NEW_USER, "password2": "other-secret-42"}
    )
    assert "The two passwords do not match." in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_weak_password_is_refused_on_the_password_field(admin_client):
    response = admin_client.post(
        reverse("accounts:user-create"), {**NEW_USER, "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_required_fields_are_reported(admin_client):
    response = admin_client.post(reverse("accounts:user-create"), {})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") >= 3


def test_admin_edits_a_user(admin_client, manager):
    response = admin_client.post(
        reverse("accounts:user-edit", args=[manager.pk]),
        {
            "username": "renamed",
            "first_name": "明",
            "last_name": "",
            "email": "",
            "role": role("supervisor").pk,
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert (manager.username, manager.role) == ("renamed", role("supervisor"))


def test_renaming_onto_an_existing_username_changes_nothing(admin_client, manager, other_manager):
    response = admin_client.post(
        reverse("accounts:user-edit", args=[manager.pk]),
        {
            "username": other_manager.username.upper(),
            "first_name": "x",
            "last_name": "",
            "email": "",
            "role": "",
        },
    )
    assert response.status_code == 200
    manager.refresh_from_db()
    assert manager.username == "manager1"
    assert manager.first_name == "小明"


def test_admin_cannot_change_their_own_role(admin_client, admin_user):
    response = admin_client.post(
        reverse("accounts:user-edit", args=[admin_user.pk]),
        {
            "username": "admin",
            "first_name": "",
            "last_name": "",
            "email": "",
            "role": role("manager").pk,
        },
    )
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.role == role("admin")


def test_disable_and_enable_a_user(admin_client, manager):
    admin_client.post(reverse("accounts:user-toggle", args=[manager.pk]))
    manager.refresh_from_db()
    assert not manager.is_active
    admin_client.post(reverse("accounts:user-toggle", args=[manager.pk]))
    manager.refresh_from_db()
    assert manager.is_active


def test_admin_cannot_disable_themself(admin_client, admin_user):
    response = admin_client.post(reverse("accounts:user-toggle", args=[admin_user.pk]), follow=True)
    assert "You cannot disable your own account." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_toggle_refuses_get(admin_client, manager):
    assert admin_client.get(reverse("accounts:user-toggle", args=[manager.pk])).status_code == 405
    manager.refresh_from_db()
    assert manager.is_active


def test_reset_password(admin_client, manager):
    response = admin_client.post(
        reverse("accounts:user-password", args=[manager.pk]),
        {"password1": "brand-new-secret-7", "password2": "brand-new-secret-7"},
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("brand-new-secret-7")


def test_delete_asks_for_confirmation_then_deletes(admin_client, manager):
    page = admin_client.get(reverse("accounts:user-delete", args=[manager.pk]))
    assert "Delete the user" in page.content.decode()
    assert User.objects.filter(pk=manager.pk).exists()
    response = admin_client.post(reverse("accounts:user-delete", args=[manager.pk]))
    assert response.status_code == 302
    assert not User.objects.filter(pk=manager.pk).exists()


def test_user_list_filters_by_name_and_status(admin_client, manager, other_manager):
    other_manager.is_active = False
    other_manager.save()
    page = admin_client.get(
        reverse("accounts:user-list"), {"username": "manager", "is_active": "0"}
    )
    users = list(page.context["object_list"])
    assert users == [other_manager]


def test_user_list_with_a_bad_filter_shows_an_error_not_a_crash(admin_client):
    page = admin_client.get(reverse("accounts:user-list"), {"is_active": "maybe", "role": "abc"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "999", ""])
def test_user_list_survives_any_page_number(admin_client, page):
    response = admin_client.get(reverse("accounts:user-list"), {"page": page, "per_page": "7"})
    assert response.status_code == 200
    assert response.context["paginator"].per_page == 10


def test_user_list_paginates_and_sorts(admin_client, db):
    for index in range(25):
        UserFactory(username=f"bulk{index:02d}")
    response = admin_client.get(
        reverse("accounts:user-list"), {"o": "-username", "per_page": "20", "page": "2"}
    )
    assert response.context["paginator"].count == 26
    assert response.context["page_obj"].number == 2
    names = [u.username for u in response.context["object_list"]]
    assert names == sorted(names, reverse=True)
    assert "26 records" in response.content.decode()


@pytest.mark.parametrize("extra", [2, 30])
def test_user_list_query_count_does_not_grow_with_users(
    admin_client, django_assert_max_num_queries, extra
):
    for _ in range(extra):
        UserFactory(role=role("manager"))
    with django_assert_max_num_queries(8):
        assert (
            admin_client.get(reverse("accounts:user-list"), {"per_page": "50"}).status_code == 200
        )

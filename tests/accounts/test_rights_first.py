"""Rights first, then the object: without the right every id answers 403, so a user without the
right cannot learn which user and role ids exist; with it, a missing id is a 404."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from tests.factories import RoleFactory, UserFactory

USER_URLS = [
    ("accounts:user-edit", "get"),
    ("accounts:user-edit", "post"),
    ("accounts:user-password", "get"),
    ("accounts:user-password", "post"),
    ("accounts:user-toggle", "post"),
    ("accounts:user-delete", "get"),
    ("accounts:user-delete", "post"),
]
ROLE_URLS = [
    ("accounts:role-edit", "get"),
    ("accounts:role-edit", "post"),
    ("accounts:role-rights", "get"),
    ("accounts:role-rights", "post"),
    ("accounts:role-toggle", "post"),
    ("accounts:role-delete", "get"),
    ("accounts:role-delete", "post"),
]
WITHOUT_THE_RIGHT = ["supervisor", "manager", "executive"]


def _ids(model: type, existing: int) -> tuple[int, int]:
    missing = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    return existing, missing


@pytest.mark.parametrize(("url_name", "method"), USER_URLS + ROLE_URLS)
@pytest.mark.parametrize("who", WITHOUT_THE_RIGHT)
def test_without_the_right_an_existing_and_a_missing_id_answer_alike(
    client, request, url_name: str, method: str, who: str
) -> None:
    user = request.getfixturevalue(who)
    if url_name.startswith("accounts:user"):
        existing, missing = _ids(User, UserFactory(username="target").pk)
    else:
        existing, missing = _ids(Role, RoleFactory(name="Target role").pk)
    client.force_login(user)
    send = getattr(client, method)
    found = send(reverse(url_name, args=[existing]))
    not_found = send(reverse(url_name, args=[missing]))
    assert (found.status_code, not_found.status_code) == (403, 403)


@pytest.mark.parametrize(("url_name", "method"), USER_URLS + ROLE_URLS)
def test_with_the_right_a_missing_id_is_not_found(admin_client, url_name: str, method: str) -> None:
    model = User if url_name.startswith("accounts:user") else Role
    _, missing = _ids(model, 0)
    response = getattr(admin_client, method)(reverse(url_name, args=[missing]))
    assert response.status_code == 404


def test_nothing_changes_when_the_right_is_missing(client, manager) -> None:
    target = UserFactory(username="target", is_active=True)
    client.force_login(manager)
    client.post(reverse("accounts:user-toggle", args=[target.pk]))
    client.post(reverse("accounts:user-delete", args=[target.pk]))
    target.refresh_from_db()
    assert target.is_active

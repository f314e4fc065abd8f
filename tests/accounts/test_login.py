from django.urls import reverse

from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_active_user_logs_in_and_lands_on_home(client, manager):
    response = _login(client, manager.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_is_refused_with_a_clear_message(client, manager):
    response = _login(client, manager.username, "not-the-password")
    assert response.status_code == 200
    assert "The username or password is incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_disabled_user_is_refused_like_a_wrong_password(client, db):
    user = UserFactory(role=role("manager"), is_active=False)
    response = _login(client, user.username)
    assert response.status_code == 200
    assert "The username or password is incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_disabled_user_loses_an_open_session(client, manager):
    client.force_login(manager)
    manager.is_active = False
    manager.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logout_ends_the_session(client, manager):
    client.force_login(manager)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_anonymous_visitor_is_sent_to_login_with_next(client, db):
    response = client.get(reverse("home"))
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_login_ignores_an_external_next(client, manager):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": manager.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")

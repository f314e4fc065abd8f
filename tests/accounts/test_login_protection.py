import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import selectors, services
from accounts.forms import LOGIN_INVALID
from accounts.models import LoginAttempt
from accounts.views import client_address
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD


def _login(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def _locked_text():
    return services.login_locked_message()


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client, manager):
    for _attempt in range(30):
        _login(client, manager.username, "wrong-password")
    response = _login(client, manager.username)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _locked_text() in response.content.decode()


def test_the_lockout_starts_at_the_limit_with_a_clear_message(client, manager, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _attempt in range(2):
        response = _login(client, manager.username, "wrong-password")
        assert _locked_text() not in response.content.decode()
    response = _login(client, manager.username, "wrong-password")
    assert _locked_text() in response.content.decode()
    assert _login(client, manager.username).status_code == 429


def test_a_username_is_locked_from_every_address(client, manager):
    for index in range(5):
        _login(client, manager.username, "wrong", REMOTE_ADDR=f"10.0.0.{index + 1}")
    response = _login(client, manager.username, REMOTE_ADDR="10.0.9.9")
    assert response.status_code == 429


def test_an_address_is_locked_for_every_username(client, manager, other_manager):
    for index in range(5):
        _login(client, f"nobody{index}", "wrong", REMOTE_ADDR="10.1.1.1")
    assert _login(client, other_manager.username, REMOTE_ADDR="10.1.1.1").status_code == 429
    assert _login(client, other_manager.username, REMOTE_ADDR="10.1.1.2").status_code == 302


def test_the_lockout_ends_after_the_period(client, manager, settings):
    for _attempt in range(5):
        _login(client, manager.username, "wrong")
    LoginAttempt.objects.update(
        created_at=timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    )
    assert _login(client, manager.username).status_code == 302


def test_a_success_clears_the_username_failures(client, manager):
    for _attempt in range(4):
        _login(client, manager.username, "wrong", REMOTE_ADDR="10.2.0.1")
    assert _login(client, manager.username, REMOTE_ADDR="10.2.0.2").status_code == 302
    client.logout()
    for _attempt in range(4):
        _login(client, manager.username, "wrong", REMOTE_ADDR="10.2.0.3")
    assert not selectors.login_is_locked(username=manager.username, address="10.2.0.3")


def test_usernames_are_counted_regardless_of_case(client, manager):
    for _attempt in range(5):
        _login(client, manager.username.upper(), "wrong", REMOTE_ADDR="10.3.0.1")
    assert selectors.login_is_locked(username=manager.username, address=None)


def test_every_attempt_is_recorded_with_address_and_browser(client, manager):
    _login(client, manager.username, "wrong", HTTP_USER_AGENT="Probe/1.0", REMOTE_ADDR="10.4.0.1")
    _login(client, manager.username, REMOTE_ADDR="10.4.0.1")
    failed, succeeded = LoginAttempt.objects.order_by("id")
    assert (failed.username, failed.address, failed.user_agent, failed.success) == (
        manager.username,
        "10.4.0.1",
        "Probe/1.0",
        False,
    )
    assert succeeded.success


def test_forwarded_for_is_ignored_without_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.5.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.5.0.1"


def test_forwarded_for_names_the_client_behind_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.5.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "1.2.3.4"
    # a client's own forged entries stay on the left of what the proxy appended
    spoofed = rf.get("/", REMOTE_ADDR="10.5.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 1.2.3.4")
    assert client_address(spoofed) == "1.2.3.4"
    garbage = rf.get("/", REMOTE_ADDR="10.5.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_address(garbage) is None


def test_the_forwarded_address_is_the_one_locked(client, manager, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for index in range(5):
        _login(client, f"x{index}", "wrong", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert _login(client, manager.username, HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 429
    assert _login(client, manager.username, HTTP_X_FORWARDED_FOR="1.2.3.5").status_code == 302


# Disabled accounts ---------------------------------------------------------------------------


def test_disabled_account_answers_exactly_like_a_wrong_password(client, db):
    user = UserFactory(role=role("manager"), is_active=False)
    right = _login(client, user.username).content.decode()
    wrong = _login(client, user.username, "not-the-password").content.decode()
    assert str(LOGIN_INVALID) in right
    assert str(LOGIN_INVALID) in wrong
    assert "disabled" not in right.lower()
    assert "_auth_user_id" not in client.session


def test_disabled_account_checks_the_password_as_an_enabled_one_does(db, monkeypatch):
    from django.contrib.auth import authenticate

    from accounts.models import User

    user = UserFactory(role=role("manager"), is_active=False)
    checked = []
    original = User.check_password
    monkeypatch.setattr(
        User, "check_password", lambda self, raw: checked.append(raw) or original(self, raw)
    )
    assert authenticate(username=user.username, password=PASSWORD) is None
    assert checked == [PASSWORD]


# Attempts page and unlock --------------------------------------------------------------------


@pytest.fixture
def locked(client, manager):
    for _attempt in range(5):
        _login(client, manager.username, "wrong", REMOTE_ADDR="10.6.0.1")
    return manager


def test_admin_sees_the_attempts_and_the_lockouts(client, admin_user, locked):
    client.force_login(admin_user)
    response = client.get(reverse("accounts:login-attempt-list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="lockouts"' in page
    assert locked.username in page
    assert "10.6.0.1" in page


def test_attempts_page_filters_and_pages(client, admin_user, locked, django_assert_max_num_queries):
    _login(client, "someone-else", "wrong", REMOTE_ADDR="10.7.0.1")
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:login-attempt-list"), {"address": "10.7"})
    rows = list(response.context["object_list"])
    assert [row.username for row in rows] == ["someone-else"]
    response = client.get(reverse("accounts:login-attempt-list"), {"success": "0"})
    assert response.context["paginator"].count == 6
    assert len(response.context["object_list"]) == 6


def test_unlock_a_username(client, admin_user, locked):
    client.force_login(admin_user)
    response = client.post(reverse("accounts:login-unlock"), {"username": locked.username})
    assert response.status_code == 302
    assert not selectors.login_is_locked(username=locked.username, address=None)
    client.logout()
    # the address stays locked until it is unlocked as well
    assert _login(client, locked.username, REMOTE_ADDR="10.6.0.1").status_code == 429
    client.force_login(admin_user)
    client.post(reverse("accounts:login-unlock"), {"address": "10.6.0.1"})
    client.logout()
    assert _login(client, locked.username, REMOTE_ADDR="10.6.0.1").status_code == 302


def test_unlock_needs_a_username_or_a_valid_address(admin_user):
    with pytest.raises(services.ValidationError) as error:
        services.login_unlock(actor=admin_user, username="", address="")
    assert str(services.UNLOCK_NOTHING) in error.value.messages
    with pytest.raises(services.ValidationError):
        services.login_unlock(actor=admin_user, address="not-an-ip")


def test_only_user_managers_unlock(manager):
    with pytest.raises(services.ValidationError):
        services.login_unlock(actor=manager, username="x")


def test_unlock_is_post_only(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("accounts:login-unlock")).status_code == 405


def test_a_lockout_is_written_to_the_audit_log_once(client, manager, settings) -> None:
    from audit.models import AuditEvent

    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(6):
        client.post(reverse("accounts:login"), {"username": manager.username, "password": "x"})
    lockouts = AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT)
    assert lockouts.count() == 1
    assert lockouts.get().details["username"] == manager.username

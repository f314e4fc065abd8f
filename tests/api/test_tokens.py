import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from api import services
from api.models import ApiToken
from api.permissions import all_tokens, can_revoke_token, visible_tokens
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_its_sha256_and_shown_once(manager) -> None:
    token, secret = services.token_create(actor=manager, name=" my script ")
    assert token.name == "my script"
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.digest, token.prefix}
    assert token.prefix == secret[:8]
    assert len(secret) >= 40


def test_a_token_needs_a_name(manager) -> None:
    with pytest.raises(ValidationError) as error:
        services.token_create(actor=manager, name="  ")
    assert error.value.message_dict == {"name": [str(services.NAME_REQUIRED)]}


def test_tokens_per_user_are_limited(manager, monkeypatch) -> None:
    monkeypatch.setattr(services, "MAX_TOKENS", 2)
    services.token_create(actor=manager, name="a")
    services.token_create(actor=manager, name="b")
    with pytest.raises(ValidationError, match=str(services.TOO_MANY)):
        services.token_create(actor=manager, name="c")


def test_a_token_authenticates_and_records_its_last_use(manager) -> None:
    client = token_client(manager)
    token = ApiToken.objects.get(user=manager)
    assert token.last_used_at is None
    response = client.get(reverse("api:customer-list"))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_or_unknown_token_is_refused(manager) -> None:
    client = token_client(manager)
    token = ApiToken.objects.get(user=manager)
    services.token_revoke(actor=manager, token=token)
    response = client.get(reverse("api:customer-list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked token."}
    assert response["WWW-Authenticate"].startswith("Bearer")
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer nope")
    assert stranger.get(reverse("api:customer-list")).status_code == 401
    stranger.credentials(HTTP_AUTHORIZATION="Bearer two words")
    assert stranger.get(reverse("api:customer-list")).status_code == 401


def test_an_inactive_users_token_is_refused(manager) -> None:
    client = token_client(manager)
    manager.is_active = False
    manager.save()
    assert client.get(reverse("api:customer-list")).status_code == 401


def test_revoking_is_for_the_owner_or_an_admin(manager, other_manager, admin_user) -> None:
    token, _ = services.token_create(actor=manager, name="a")
    assert not can_revoke_token(other_manager, token)
    with pytest.raises(ValidationError, match=str(services.REVOKE_DENIED)):
        services.token_revoke(actor=other_manager, token=token)
    services.token_revoke(actor=admin_user, token=token)
    token.refresh_from_db()
    assert token.revoked_by == admin_user
    with pytest.raises(ValidationError, match=str(services.ALREADY_REVOKED)):
        services.token_revoke(actor=manager, token=token)
    assert list(visible_tokens(manager)) == []


def test_admins_list_everyones_live_tokens(manager, other_manager, admin_user) -> None:
    mine, _ = services.token_create(actor=manager, name="a")
    theirs, _ = services.token_create(actor=other_manager, name="b")
    assert set(all_tokens(admin_user)) == {mine, theirs}
    assert list(all_tokens(manager)) == []
    assert list(visible_tokens(manager)) == [mine]


def test_the_token_page_shows_a_new_token_once_and_revokes(client, manager) -> None:
    client.force_login(manager)
    response = client.post(reverse("api:tokens"), {"name": "报表脚本"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=manager)
    secret = response.context["new_secret"]
    assert services.token_digest(secret) == token.digest
    assert secret in response.content.decode()
    assert secret not in client.get(reverse("api:tokens")).content.decode()
    response = client.post(reverse("api:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_token_page_reports_a_missing_name(client, manager) -> None:
    client.force_login(manager)
    response = client.post(reverse("api:tokens"), {"name": ""}, follow=True)
    assert str(services.NAME_REQUIRED) in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_profile_links_to_the_token_page(client, manager) -> None:
    client.force_login(manager)
    assert reverse("api:tokens") in client.get(reverse("accounts:profile")).content.decode()


def test_an_admin_revokes_from_the_admin_page(client, manager, admin_user) -> None:
    token, _ = services.token_create(actor=manager, name="a")
    client.force_login(admin_user)
    assert "a" in client.get(reverse("api:tokens-admin")).content.decode()
    response = client.post(reverse("api:token-revoke", args=[token.pk]))
    assert response.url == reverse("api:tokens-admin")


def test_api_writes_are_recorded_in_the_history_as_the_api_and_its_user(manager) -> None:
    from audit.context import current_actor
    from sales.models import Customer

    client = token_client(manager)
    response = client.post(reverse("api:customer-list"), {"name": "新公司"}, format="json")
    assert response.status_code == 201
    created = Customer.objects.get(name="新公司").history.get()
    assert (created.history_via, created.history_user) == ("api", manager)
    assert response.wsgi_request.via == "api"
    assert response.wsgi_request.api_token.user == manager
    assert current_actor().via == ""  # the request's actor ends with it


def test_requests_are_throttled_per_token(manager, settings) -> None:
    settings.API_THROTTLE_RATE = "3/minute"
    first, second = token_client(manager), token_client(manager)
    url = reverse("api:customer-list")
    assert [first.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get(url).status_code == 200  # another token, another bucket


def test_the_session_needs_the_csrf_token_for_writes(manager) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(manager)
    url = reverse("api:customer-list")
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "新公司"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_an_inactive_or_anonymous_user_sees_no_tokens(manager) -> None:
    from django.contrib.auth.models import AnonymousUser

    services.token_create(actor=manager, name="a")
    assert list(visible_tokens(AnonymousUser())) == []
    assert list(all_tokens(AnonymousUser())) == []
    manager.is_active = False
    assert list(visible_tokens(manager)) == []

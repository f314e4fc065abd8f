import pytest
from rest_framework.test import APIClient

from api.services import token_create


def token_client(user) -> APIClient:
    """A client sending `user`'s new personal token, as a script would."""
    _, secret = token_create(actor=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def manager_api(manager) -> APIClient:
    return token_client(manager)


@pytest.fixture
def supervisor_api(supervisor) -> APIClient:
    return token_client(supervisor)

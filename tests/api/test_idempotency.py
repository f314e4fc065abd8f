"""`Idempotency-Key` on creating POSTs: a retry gets the first answer and creates nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from api.base import BAD_IDEMPOTENCY_KEY, REPLAYED_HEADER
from api.models import IdempotencyKey
from api.services import IDEMPOTENCY_KEY_REUSED, prune_idempotency_keys
from api.tasks import prune_idempotency_keys as prune_task
from jobs.models import JobRun
from sales.models import Contact, Customer
from tests.api.conftest import token_client
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db


def _create(client, key: str | None, body: dict, name: str = "api:customer-list"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(reverse(name), body, format="json", headers=headers)


def test_the_same_key_and_body_answer_the_first_response_once(manager_api) -> None:
    first = _create(manager_api, "order-7", {"name": "北京明科"})
    assert first.status_code == 201
    assert REPLAYED_HEADER not in first
    again = _create(manager_api, "order-7", {"name": "北京明科"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again[REPLAYED_HEADER] == "true"
    assert Customer.objects.filter(name="北京明科").count() == 1


def test_the_body_is_compared_as_json_not_as_text(manager_api) -> None:
    url = reverse("api:customer-list")
    headers = {"Idempotency-Key": "k"}
    body = '{"name": "甲", "phone": "010-1"}'
    manager_api.post(url, data=body, content_type="application/json", headers=headers)
    reordered = '{"phone":"010-1","name":"甲"}'
    again = manager_api.post(url, data=reordered, content_type="application/json", headers=headers)
    assert again[REPLAYED_HEADER] == "true"
    assert Customer.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422(manager_api) -> None:
    _create(manager_api, "k1", {"name": "甲"})
    response = _create(manager_api, "k1", {"name": "乙"})
    assert response.status_code == 422
    assert response.json() == {"detail": str(IDEMPOTENCY_KEY_REUSED)}
    assert list(Customer.objects.values_list("name", flat=True)) == ["甲"]


def test_the_same_key_on_another_endpoint_is_a_422(manager_api, manager) -> None:
    customer = CustomerFactory(manager=manager)
    _create(manager_api, "k1", {"name": "甲"})
    response = _create(
        manager_api, "k1", {"customer": customer.number, "name": "甲"}, "api:contact-list"
    )
    assert response.status_code == 422
    assert not Contact.objects.exists()


def test_keys_are_per_user(manager, other_manager) -> None:
    _create(token_client(manager), "shared", {"name": "甲"})
    other = _create(token_client(other_manager), "shared", {"name": "甲"})
    assert other.status_code == 201
    assert REPLAYED_HEADER not in other
    assert Customer.objects.filter(name="甲").count() == 2


def test_without_a_key_every_post_creates(manager_api) -> None:
    _create(manager_api, None, {"name": "甲"})
    _create(manager_api, None, {"name": "甲"})
    assert Customer.objects.filter(name="甲").count() == 2
    assert not IdempotencyKey.objects.exists()


def test_a_refused_request_keeps_no_key_and_may_be_sent_again(manager_api) -> None:
    refused = _create(manager_api, "k2", {"name": ""})
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert _create(manager_api, "k2", {"name": "甲"}).status_code == 201


@pytest.mark.parametrize("key", ["", " leading", "中文", "x" * 256])
def test_a_bad_key_is_a_400(manager_api, key) -> None:
    response = _create(manager_api, key, {"name": "甲"})
    assert response.status_code == 400
    assert response.json() == {"Idempotency-Key": [str(BAD_IDEMPOTENCY_KEY)]}
    assert not Customer.objects.exists()


def test_other_steps_ignore_the_header(manager_api, manager) -> None:
    customer = CustomerFactory(manager=manager)
    url = reverse("api:customer-detail", args=[customer.number])
    headers = {"Idempotency-Key": "k"}
    assert manager_api.patch(url, {"phone": "1"}, format="json", headers=headers).status_code == 200
    assert manager_api.patch(url, {"phone": "2"}, format="json", headers=headers).status_code == 200
    assert not IdempotencyKey.objects.exists()


def test_an_expired_key_starts_again(manager_api, settings) -> None:
    _create(manager_api, "k", {"name": "甲"})
    IdempotencyKey.objects.update(
        created_at=timezone.now()
        - datetime.timedelta(hours=settings.API_IDEMPOTENCY_HOURS, minutes=1)
    )
    again = _create(manager_api, "k", {"name": "乙"})
    assert again.status_code == 201
    assert REPLAYED_HEADER not in again
    assert IdempotencyKey.objects.get().response["name"] == "乙"


def test_the_daily_job_prunes_expired_keys(manager_api, settings) -> None:
    _create(manager_api, "old", {"name": "甲"})
    _create(manager_api, "new", {"name": "乙"})
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - datetime.timedelta(hours=settings.API_IDEMPOTENCY_HOURS + 1)
    )
    assert prune_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert "1" in prune_task()
    assert JobRun.objects.get(name="prune-idempotency-keys").status == JobRun.Status.SUCCEEDED
    assert settings.CELERY_BEAT_SCHEDULE["prune-idempotency-keys"]["task"] == prune_task.name


def test_an_answer_other_than_2xx_keeps_no_key(manager) -> None:
    from api.services import idempotent_call

    def refuse():
        CustomerFactory(manager=manager, name="回滚")
        return 409, {"detail": "no"}

    assert idempotent_call(actor=manager, key="k", fingerprint="f", run=refuse) == (
        409,
        {"detail": "no"},
        False,
    )
    assert not IdempotencyKey.objects.exists()
    assert not Customer.objects.filter(name="回滚").exists()  # its writes are rolled back too

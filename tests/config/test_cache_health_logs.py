"""Redis as the cache shared by processes, the health endpoints, one log line per request."""

import json
import logging
import os

import pytest
from django.urls import reverse

from tests.config.production import run_python

REDIS_URL = os.environ.get("REDIS_URL", "")
CLOSED_PORT_URL = "redis://127.0.0.1:9/0"

needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set (.ci/run sets it)")

WRITE = """
from django.core.cache import caches
caches["default"].set("shared-number", 42)
print(type(caches["default"]).__name__)
"""
READ_THEN_CLEAR = """
from django.core.cache import cache, caches
from django.conf import settings
import redis
client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
client.set("not-ours", b"1")  # another user of the same Redis (Celery's broker…)
print(cache.get("shared-number"))
cache.clear()
print(cache.get("shared-number"), client.get("not-ours"))
client.delete("not-ours")
"""


@needs_redis
def test_with_redis_every_process_sees_the_same_cache_and_clear_keeps_other_keys(
    tmp_path, production_db
) -> None:
    env = {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": f"test-{tmp_path.name}"}
    assert run_python(WRITE, tmp_path, production_db, **env).stdout.split() == [
        "PrefixedRedisCache"
    ]
    assert run_python(READ_THEN_CLEAR, tmp_path, production_db, **env).stdout.split() == [
        "42",
        "None",
        "b'1'",
    ]


@pytest.mark.django_db
def test_liveness_needs_no_login_and_no_database(client, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_checks_every_backing_service(client) -> None:
    response = client.get(reverse("health-ready"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok", "storage": "ok"},
    }


def test_readiness_answers_503_when_the_broker_and_the_cache_are_down(
    tmp_path, production_db
) -> None:
    result = run_python(
        """
        import json
        from django.test import Client
        response = Client().get("/health/ready/")
        print(response.status_code, json.dumps(response.json(), sort_keys=True))
        """,
        tmp_path,
        production_db,
        REDIS_URL=CLOSED_PORT_URL,
        ALLOWED_HOSTS="testserver",
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    checks = json.loads(body)["checks"]
    assert checks["database"] == checks["storage"] == "ok"
    assert checks["cache"].startswith("unavailable")
    assert checks["broker"].startswith("unavailable")


def test_with_the_cache_down_the_lists_and_dashboards_answer_and_dictionary_writes_land(
    tmp_path, production_db
) -> None:
    """The cache only saves work: the lists' dictionary selects and the executive charts are
    computed when Redis cannot be reached, and a dictionary write is not undone because its
    cached copy could not be dropped (core.caching)."""
    result = run_python(
        """
        from django.test import Client
        from accounts.models import Role, User
        from inventory.models import DictItem, DictType
        from inventory.selectors import dictionary_choices
        from inventory.services import dict_item_create
        users = {
            slug: User.objects.create(username=f"down-{slug}", role=Role.objects.get(slug=slug))
            for slug in ("manager", "executive", "admin")
        }
        entry = dict_item_create(actor=users["admin"], type=DictType.REGION, item="华南新区",
                                 value="华南新区", is_editable=True)
        print("saved", DictItem.objects.filter(pk=entry.pk).exists(),
              (entry.pk, "华南新区") in dictionary_choices(DictType.REGION))
        for slug, url in (("manager", "/customers/"), ("manager", "/service/handle/"),
                          ("executive", "/")):
            client = Client()
            client.force_login(users[slug])
            response = client.get(url)
            print(url, response.status_code, "华南新区" in response.content.decode())
        """,
        tmp_path,
        production_db,
        REDIS_URL=CLOSED_PORT_URL,
        ALLOWED_HOSTS="testserver",
    )
    lines = result.stdout.strip().splitlines()[-4:]
    assert lines == [
        "saved True True",
        "/customers/ 200 True",  # the region select offers the new entry
        "/service/handle/ 200 False",
        "/ 200 False",
    ]


def test_requests_are_logged_as_json_lines_and_refusals_without_traceback(
    tmp_path, production_db
) -> None:
    result = run_python(
        """
        from django.test import Client
        from tests.factories import UserFactory, role
        client = Client()
        user = UserFactory(username="manager", role=role("manager"))
        client.force_login(user)
        print(user.pk)
        client.get("/jobs/scheduled/")  # a manager may not: 403
        client.get("/no-such-page/")
        """,
        tmp_path,
        production_db,
        LOG_FORMAT="json",
        ALLOWED_HOSTS="testserver",
    )
    user_id = int(result.stdout.strip())
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "crm.request"]
    assert [(line["path"], line["status"], line["user_id"]) for line in requests] == [
        ("/jobs/scheduled/", 403, user_id),
        ("/no-such-page/", 404, user_id),
    ]
    assert all(line["duration_ms"] >= 0 for line in requests)
    refusals = [line for line in lines if line["logger"] == "django.request"]
    assert len(refusals) == 2
    assert not any("error" in line for line in refusals)
    assert "Traceback" not in result.stderr


def test_a_server_error_keeps_its_traceback(caplog, rf) -> None:
    from config.logs import NoRefusalTracebacks

    try:
        raise RuntimeError("real bug")
    except RuntimeError:
        import sys

        record = logging.LogRecord("django.request", 40, "", 0, "boom", None, sys.exc_info())
    record.status_code = 500
    assert NoRefusalTracebacks().filter(record)
    assert record.exc_info is not None

"""Role fixtures and test-wide settings."""

import importlib.util
import uuid

import pytest
from django.db import connection

from tests.config.production import s3_env, start_s3_server
from tests.factories import UserFactory, role


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({database.get('NAME')})"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_user(db: None):  # overrides pytest-django's superuser: our admin is a role
    return UserFactory(username="admin", first_name="管理员", role=role("admin"))


@pytest.fixture
def supervisor(db: None):
    return UserFactory(username="supervisor", first_name="旺财", role=role("supervisor"))


@pytest.fixture
def manager(db: None):
    return UserFactory(username="manager1", first_name="小明", role=role("manager"))


@pytest.fixture
def other_manager(db: None):
    return UserFactory(username="manager2", first_name="孙小美", role=role("manager"))


@pytest.fixture
def executive(db: None):
    return UserFactory(username="executive", first_name="周洁轮", role=role("executive"))


@pytest.fixture
def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _english_unless_asked(request: pytest.FixtureRequest, settings: pytest.FixtureRequest) -> None:
    """The unit tests read English: the site default (Simplified Chinese) is set to English for
    them, so a request without Accept-Language and a user without a language see English. A test
    marked `site_language` keeps the real default; the browser tests always do."""
    if "/e2e/" in str(request.node.fspath) or request.node.get_closest_marker("site_language"):
        return
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _tasks_run_in_process(settings: pytest.FixtureRequest) -> None:
    """Tasks run eagerly in tests, even where a broker is configured (CI); the worker
    integration test starts a real worker of its own."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(
    settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Cached dashboard sections never leak from one test into another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory):
    """A local S3-compatible server (moto's server mode) for the whole session."""
    if importlib.util.find_spec("moto") is None:
        pytest.skip("moto[server] is not installed (pip install -e '.[dev]')")
    process, url = start_s3_server(tmp_path_factory.mktemp("s3") / "moto.log")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_bucket(s3_server: str) -> dict[str, str]:
    """A new, empty bucket; the environment variables that point the storage at it."""
    import boto3

    env = s3_env(s3_server, f"crm-{uuid.uuid4().hex[:12]}")
    boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=env["AWS_STORAGE_BUCKET_NAME"])
    return env

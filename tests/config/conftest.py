import importlib.util
import uuid

import pytest

from tests.config.production import migrated_database, s3_env, start_s3_server


@pytest.fixture(scope="session")
def production_db(tmp_path_factory: pytest.TempPathFactory):
    return migrated_database(tmp_path_factory)


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

"""Attachments in an S3 bucket (moto's server: a real S3 HTTP API on 127.0.0.1), through the
same default storage as the job files: upload, download, delete."""

import pytest
from django.urls import reverse

from documents.models import Attachment
from tests.documents import samples
from tests.documents.samples import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(s3_bucket, settings):
    """The default storage on a new bucket of the session's S3 server (tests/conftest.py)."""
    import boto3

    name, url = s3_bucket["AWS_STORAGE_BUCKET_NAME"], s3_bucket["AWS_S3_ENDPOINT_URL"]
    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": url,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "addressing_style": "path",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    return client, name


def _keys(client, name: str) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])]


def test_upload_download_and_delete_in_the_bucket(
    client, manager, customer, bucket, settings, django_capture_on_commit_callbacks
) -> None:
    s3, name = bucket
    client.force_login(manager)
    response = client.post(
        reverse("documents:panel", args=["customer", customer.pk]),
        {"files": [upload("合同.pdf", samples.PDF), upload("照片.png", samples.PNG)]},
        HTTP_HX_REQUEST="true",
    )
    assert "2 files were attached." in response.content.decode()
    keys = _keys(s3, name)
    assert len(keys) == 2
    assert all(key.startswith("attachments/") for key in keys)
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))  # nothing on the local disk

    attachment = Attachment.objects.get(name="合同.pdf")
    download = client.get(reverse("documents:download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == samples.PDF
    assert "attachment;" in download["Content-Disposition"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:delete", args=[attachment.pk]))
    assert response.status_code == 302
    assert _keys(s3, name) == [Attachment.objects.get().file.name]


def test_a_refused_batch_leaves_the_bucket_empty(client, manager, customer, bucket) -> None:
    s3, name = bucket
    client.force_login(manager)
    client.post(
        reverse("documents:panel", args=["customer", customer.pk]),
        {"files": [upload("a.pdf", samples.PDF), upload("b.pdf", samples.EXE)]},
        HTTP_HX_REQUEST="true",
    )
    assert _keys(s3, name) == []
    assert not Attachment.objects.exists()

"""Scale-out: files go through the storage API, so a second host with its own disk serves an
export made by the first and commits an import uploaded there (S3 API of a real local server)."""

import boto3

from tests.config.production import run_python

HOST_A = """
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from jobs.models import Job
from tests.factories import UserFactory, role
from tests.factories.sales import CustomerFactory

CustomerFactory.create_batch(3)
admin = UserFactory(username="admin", role=role("admin"))
supervisor = UserFactory(username="supervisor", role=role("supervisor"))
client = Client()
client.force_login(admin)
csv = "名称,型号,等级/批次,单位,单价（元）,备注\\n收音机,007,A,台,36,\\n".encode()
client.post("/base/products/import/", {"file": SimpleUploadedFile("p.csv", csv)})
client.force_login(supervisor)
client.get("/customers/export/")
for job in Job.objects.order_by("pk"):
    print(job.kind, job.status, job.source.name or job.result.name)
"""

HOST_B = """
from django.test import Client
from inventory.models import Product
from jobs.models import Job
from accounts.models import User

client = Client()
export = Job.objects.get(kind="export")
client.force_login(User.objects.get(username="supervisor"))
download = client.get(f"/jobs/{export.pk}/file/")
print("download", download.status_code, b"".join(download.streaming_content).count(b"\\n"))
imported = Job.objects.get(kind="import")
client.force_login(User.objects.get(username="admin"))
client.post(f"/jobs/{imported.pk}/confirm/")
imported.refresh_from_db()
print("import", imported.status, Product.objects.count())
"""


def test_a_second_host_serves_the_export_and_commits_the_import_of_the_first(
    tmp_path, production_db, s3_bucket
) -> None:
    env = {**s3_bucket, "ALLOWED_HOSTS": "testserver", "EXPORT_ASYNC_ROWS": "0"}
    first = run_python(HOST_A, tmp_path, production_db, MEDIA_ROOT=str(tmp_path / "a"), **env)
    kinds = [line.split()[:2] for line in first.stdout.strip().splitlines()]
    assert kinds == [["import", "checked"], ["export", "done"]], first.stderr

    second = run_python(HOST_B, tmp_path, production_db, MEDIA_ROOT=str(tmp_path / "b"), **env)
    assert second.stdout.split() == ["download", "200", "4", "import", "done", "1"], second.stderr

    # Nothing on either host's disk: every file is in the bucket.
    assert not (tmp_path / "a").exists()
    assert not (tmp_path / "b").exists()
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_bucket["AWS_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    listing = s3.list_objects_v2(Bucket=s3_bucket["AWS_STORAGE_BUCKET_NAME"])
    names = sorted(item["Key"] for item in listing["Contents"])
    assert [name.split("/")[1] for name in names] == ["results", "sources"]

"""Jobs always end: a broker outage, a dead worker, a broken file, a second delivery."""

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from jobs import services
from jobs.models import Job
from jobs.services import IMPORT_INTERRUPTED, JOB_STALLED
from jobs.tasks import export_run, import_check, import_commit
from tests.config.production import run_python
from tests.factories.sales import CustomerFactory

CLOSED_PORT_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def test_with_the_broker_down_uploads_and_exports_wait_and_start_once_it_is_back(
    tmp_path, production_db
) -> None:
    result = run_python(
        """
        import datetime
        from django.conf import settings
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client
        from django.urls import reverse
        from django.utils import timezone
        from jobs.models import Job
        from jobs.services import QUEUED_BROKER_DOWN, sweep_jobs
        from tests.factories import UserFactory, role
        from tests.factories.sales import CustomerFactory

        admin = UserFactory(username="admin", role=role("admin"))
        supervisor = UserFactory(username="supervisor", role=role("supervisor"))
        CustomerFactory()
        client = Client()
        client.force_login(admin)
        csv = "名称,型号,等级/批次,单位,单价（元）,备注\\n收音机,007,A,台,36,\\n"
        upload = SimpleUploadedFile("p.csv", csv.encode())
        response = client.post(reverse("inventory:product-import"), {"file": upload}, follow=True)
        print("upload", response.status_code, str(QUEUED_BROKER_DOWN) in response.content.decode())
        client.force_login(supervisor)
        response = client.get(reverse("sales:customer-export"), follow=True)
        print("export", response.status_code)
        for job in Job.objects.order_by("pk"):
            print("waiting", job.kind, job.status, job.message == str(QUEUED_BROKER_DOWN))

        # The broker is back (here: tasks run in this process); beat's next sweep starts them.
        from config.celery import app
        app.conf.task_always_eager = True
        later = timezone.now() + datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
        print("sweep", sweep_jobs(now=later))
        for job in Job.objects.order_by("pk"):
            print("after", job.kind, job.status, repr(job.message), len(job.errors))
        """,
        tmp_path,
        production_db,
        REDIS_URL=CLOSED_PORT_URL,
        ALLOWED_HOSTS="testserver",
        EXPORT_ASYNC_ROWS="0",
    )
    lines = result.stdout.strip().splitlines()
    assert lines == [
        "upload 200 True",
        "export 200",
        "waiting import pending True",
        "waiting export pending True",
        "sweep 2 job(s) queued again, 0 stalled job(s) ended.",
        "after import checked '' 0",
        "after export done '' 0",
    ], result.stderr


def _broken_workbook() -> bytes:
    """A real .xlsx whose sheet XML is cut off in the middle."""
    book = Workbook()
    book.active.append(["名称", "型号"])
    good = io.BytesIO()
    book.save(good)
    broken = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return broken.getvalue()


@pytest.mark.django_db
def test_a_workbook_with_broken_sheet_xml_fails_the_job_with_a_message(
    client, admin_user, django_capture_on_commit_callbacks
) -> None:
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("inventory:product-import"),
            {"file": SimpleUploadedFile("p.xlsx", _broken_workbook())},
            follow=True,
        )
    assert response.status_code == 200
    job = Job.objects.get()
    # Refused before a row is read, like any file that is not a workbook: the problem is
    # listed and the job cannot be committed (a damaged sheet is never read in part).
    assert job.status == Job.Status.CHECKED
    assert [error["message"] for error in job.errors] == ["The file is not a valid XLSX workbook."]
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "The file is not a valid XLSX workbook." in page
    assert reverse("jobs:confirm", args=[job.pk]) not in page


def _export_job(user, **fields) -> Job:
    return Job.objects.create(
        kind=Job.Kind.EXPORT,
        name="customers",
        user=user,
        params={"filters": {}, "format": "csv"},
        source_name="customers.csv",
        **fields,
    )


def _long_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_an_export_whose_worker_died_is_run_again_by_the_sweeper(supervisor) -> None:
    CustomerFactory.create_batch(3)
    job = _export_job(supervisor, status=Job.Status.RUNNING, heartbeat_at=_long_ago(), attempts=1)
    fresh = _export_job(supervisor, status=Job.Status.RUNNING, heartbeat_at=timezone.now())

    assert services.sweep_jobs() == "1 job(s) queued again, 0 stalled job(s) ended."

    job.refresh_from_db()
    assert (job.status, job.written, job.attempts) == (Job.Status.DONE, 3, 2)
    assert job.result.read().decode("utf-8-sig").count("\n") == 4
    fresh.refresh_from_db()
    assert fresh.status == Job.Status.RUNNING  # still alive: left alone


@pytest.mark.django_db
def test_a_job_that_keeps_stalling_fails_and_an_interrupted_commit_waits_again(
    settings, admin_user
) -> None:
    stalled = _export_job(
        admin_user,
        status=Job.Status.RUNNING,
        heartbeat_at=_long_ago(),
        attempts=settings.JOB_MAX_ATTEMPTS,
    )
    commit = Job.objects.create(
        kind=Job.Kind.IMPORT, name="products", user=admin_user, status=Job.Status.RUNNING
    )
    Job.objects.filter(pk=commit.pk).update(updated_at=_long_ago())

    assert services.sweep_jobs() == "0 job(s) queued again, 2 stalled job(s) ended."

    stalled.refresh_from_db()
    assert (stalled.status, stalled.message) == (Job.Status.FAILED, str(JOB_STALLED))
    assert stalled.finished_at is not None
    commit.refresh_from_db()
    assert (commit.status, commit.message) == (Job.Status.CHECKED, str(IMPORT_INTERRUPTED))


@pytest.mark.django_db
def test_a_second_delivery_of_the_same_job_changes_nothing(supervisor) -> None:
    CustomerFactory.create_batch(2)
    job = _export_job(supervisor)
    export_run(job.pk)
    job.refresh_from_db()
    first = (job.status, job.result.name, job.finished_at, job.attempts)
    export_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.result.name, job.finished_at, job.attempts) == first
    assert first[0] == Job.Status.DONE


def test_job_tasks_are_acknowledged_late_and_given_back_when_the_worker_dies() -> None:
    for task in (import_check, import_commit, export_run):
        assert task.acks_late, task.name
        assert task.reject_on_worker_lost, task.name


@pytest.mark.django_db
def test_the_cleanup_deletes_old_finished_jobs_with_their_files(settings, admin_user) -> None:
    old = _export_job(admin_user, status=Job.Status.DONE)
    old.result.save("old.csv", ContentFile(b"a"), save=True)
    path = old.result.path
    kept = _export_job(admin_user, status=Job.Status.DONE)
    active = _export_job(admin_user, status=Job.Status.PENDING, heartbeat_at=timezone.now())
    long_ago = timezone.now() - datetime.timedelta(days=settings.JOB_RETENTION_DAYS + 1)
    Job.objects.filter(pk__in=[old.pk, active.pk]).update(updated_at=long_ago)

    assert services.cleanup_jobs() == 1

    assert set(Job.objects.values_list("pk", flat=True)) == {kept.pk, active.pk}
    assert not old.result.storage.exists(old.result.name), path


@pytest.mark.django_db
def test_a_confirmation_while_the_broker_is_down_says_to_try_again(
    client, admin_user, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from kombu.exceptions import OperationalError

    from jobs.services import CONFIRM_BROKER_DOWN

    job = Job.objects.create(
        kind=Job.Kind.IMPORT, name="products", user=admin_user, status=Job.Status.CHECKED
    )

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(import_commit, "apply_async", broker_down)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.CHECKED, str(CONFIRM_BROKER_DOWN))
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Try again in a few minutes" in page


def test_a_job_whose_total_is_not_known_yet_shows_no_total(client, manager) -> None:
    job = Job.objects.create(
        kind=Job.Kind.IMPORT,
        name="customers",
        user=manager,
        source_name="customers.xlsx",
        status=Job.Status.CHECKING,
        processed=5,
        total=0,
    )
    client.force_login(manager)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "of 0 rows" not in page
    assert "5 rows so far" in page
    Job.objects.filter(pk=job.pk).update(total=8)
    assert "5 of 8 rows" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()

"""Starting jobs: the refusals a user can meet, and a broker that is down, in this process."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from inventory.importers import ProductImporter
from jobs import services
from jobs.models import Job
from sales.exports import CustomerExporter

pytestmark = pytest.mark.django_db


def test_an_import_needs_the_importers_right_a_table_file_and_a_size_limit(
    manager, admin_user, monkeypatch
) -> None:
    csv = SimpleUploadedFile("p.csv", b"a\n")
    with pytest.raises(ValidationError):
        services.import_start(user=manager, importer=ProductImporter, upload=csv)
    with pytest.raises(ValidationError):
        services.import_start(
            user=admin_user, importer=ProductImporter, upload=SimpleUploadedFile("p.pdf", b"a")
        )
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 1)
    with pytest.raises(ValidationError):
        services.import_start(user=admin_user, importer=ProductImporter, upload=csv)
    assert not Job.objects.exists()


def test_only_the_owner_confirms_a_checked_clean_import(admin_user, supervisor) -> None:
    job = Job.objects.create(
        kind=Job.Kind.IMPORT, name="products", user=admin_user, status=Job.Status.CHECKED
    )
    with pytest.raises(ValidationError):
        services.import_confirm(user=supervisor, job=job)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.PENDING)
    with pytest.raises(ValidationError):
        services.import_confirm(user=admin_user, job=job)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.CHECKED, errors=[{"row": 2, "level": "error", "message": "x"}]
    )
    with pytest.raises(ValidationError):
        services.import_confirm(user=admin_user, job=job)


def test_an_export_needs_its_right_and_a_known_format(admin_user, supervisor) -> None:
    with pytest.raises(ValidationError):
        services.export_start(user=admin_user, exporter=CustomerExporter, params={}, fmt="csv")
    with pytest.raises(ValidationError):
        services.export_start(user=supervisor, exporter=CustomerExporter, params={}, fmt="pdf")
    assert not Job.objects.exists()


@pytest.fixture
def broker_down(settings):
    """A real Celery publish to a port where nothing listens (not the eager test mode)."""
    from config.celery import app

    app.conf.task_always_eager = False
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    app.conf.broker_connection_retry = False
    app.conf.broker_connection_max_retries = 0
    _forget_connections(app)
    yield
    app.conf.broker_url = previous
    _forget_connections(app)
    app.conf.task_always_eager = True


def _forget_connections(app) -> None:
    """Drop the connection and producer pools, so the next publish uses the broker URL now set."""
    app._pool = None
    app.amqp._producer_pool = None


def test_with_the_broker_down_an_export_waits_with_a_message_for_the_sweeper(
    supervisor, broker_down, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_start(
            user=supervisor, exporter=CustomerExporter, params={}, fmt="csv"
        )
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING
    assert job.message == str(services.QUEUED_BROKER_DOWN)

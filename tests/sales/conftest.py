"""Fixtures of the customers module's tests."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job


@pytest.fixture
def importer(client, supervisor, manager, django_capture_on_commit_callbacks):
    """Upload a file to an import page as the supervisor and, when its check found no error,
    confirm it (its job run on commit); the job, refreshed."""
    client.force_login(supervisor)

    def run(url_name: str, content: bytes, name: str = "f.csv") -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse(url_name), {"file": SimpleUploadedFile(name, content)})
        job = Job.objects.latest("pk")
        if job.status == Job.Status.CHECKED and not any(i["level"] == "error" for i in job.errors):
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("jobs:confirm", args=[job.pk]))
            job.refresh_from_db()
        return job

    return run

""" "Run now" in a fresh interpreter, as the web process does it: nothing of the tests imports the
task modules for the code (before the fix every job failed with Celery's NotRegistered)."""

from jobs.scheduling import JOB_UNKNOWN
from tests.config.production import run_python


def test_every_scheduled_job_runs_now_in_a_fresh_web_process(tmp_path, production_db) -> None:
    result = run_python(
        """
        from jobs.models import JobRun
        from jobs.scheduling import run_now, scheduled_jobs
        from tests.factories import UserFactory, role

        admin = UserFactory(username="admin", role=role("admin"))
        for job in scheduled_jobs():
            run_now(name=job.name, user=admin)
            run = JobRun.objects.filter(name=job.name).get()
            print(job.name, run.status, run.triggered_by_id == admin.pk)
        """,
        tmp_path,
        production_db,
    )
    outcomes = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    assert outcomes == {
        "detect-customer-loss": "succeeded True",
        "birthday-reminders": "succeeded True",
        "report-subscriptions": "succeeded True",
        "cleanup-jobs": "succeeded True",
        "prune-audit-log": "succeeded True",
        "prune-idempotency-keys": "succeeded True",
        "task-reminders": "succeeded True",
        "task-digests": "succeeded True",
        "expire-quotes": "succeeded True",
    }, result.stderr


def test_the_page_names_no_internal_task_when_a_job_is_unknown(
    client, admin_user, settings
) -> None:
    from django.urls import reverse

    settings.CELERY_BEAT_SCHEDULE = {
        **settings.CELERY_BEAT_SCHEDULE,
        "birthday-reminders": {
            **settings.CELERY_BEAT_SCHEDULE["birthday-reminders"],
            "task": "sales.tasks.no_such_task",
        },
    }
    client.force_login(admin_user)
    page = client.post(
        reverse("jobs:scheduled-run", args=["birthday-reminders"]), follow=True
    ).content.decode()
    assert str(JOB_UNKNOWN) in page
    assert "no_such_task" not in page

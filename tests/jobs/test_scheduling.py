import pytest
from django.urls import reverse

from jobs.models import JobRun
from jobs.scheduling import describe_schedule, recorded, scheduled_jobs


def test_the_fixed_jobs_are_scheduled_at_their_default_times(db):
    jobs = {job.name: job for job in scheduled_jobs()}
    assert set(jobs) == {
        "detect-customer-loss",
        "birthday-reminders",
        "report-subscriptions",
        "task-reminders",
        "task-digests",
        "cleanup-jobs",
        "prune-audit-log",
        "prune-idempotency-keys",
        "expire-quotes",
    }
    assert jobs["detect-customer-loss"].schedule == "Daily at 02:00"
    assert jobs["birthday-reminders"].schedule == "Daily at 08:00"
    assert jobs["report-subscriptions"].schedule == "Every 5 minutes"
    assert jobs["task-reminders"].schedule == "Every minute"
    assert jobs["task-digests"].schedule == "Daily at 07:30"
    assert jobs["expire-quotes"].schedule == "Daily at 01:30"


def test_schedule_times_come_from_the_environment(monkeypatch):
    import importlib

    import config.settings

    monkeypatch.setenv("LOSS_DETECTION_AT", "03:30")
    monkeypatch.setenv("SECRET_KEY", "x")
    try:
        reloaded = importlib.reload(config.settings)
        assert describe_schedule(
            reloaded.CELERY_BEAT_SCHEDULE["detect-customer-loss"]["schedule"]
        ) == ("Daily at 03:30")
        monkeypatch.setenv("LOSS_DETECTION_AT", "25:99")
        from django.core.exceptions import ImproperlyConfigured

        with pytest.raises(ImproperlyConfigured, match="LOSS_DETECTION_AT must be HH:MM"):
            importlib.reload(config.settings)
    finally:
        monkeypatch.delenv("LOSS_DETECTION_AT")
        importlib.reload(config.settings)


def test_a_recorded_job_keeps_its_outcome_and_summary(db, admin_user):
    @recorded("birthday-reminders")
    def job(count: int) -> str:
        return f"{count} reminders sent"

    assert job(3, triggered_by=admin_user.pk) == "3 reminders sent"
    run = JobRun.objects.get()
    assert (run.status, run.message, run.triggered_by) == (
        "succeeded",
        "3 reminders sent",
        admin_user,
    )
    assert run.finished_at is not None


def test_a_failing_job_is_recorded_as_failed_and_raises(db):
    @recorded("detect-customer-loss")
    def job() -> str:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        job()
    run = JobRun.objects.get()
    assert run.status == "failed"
    assert "database went away" in run.message


def test_scheduled_jobs_page_shows_jobs_and_their_last_runs(client, admin_user):
    JobRun.objects.create(name="birthday-reminders", status="succeeded", message="2 reminders sent")
    client.force_login(admin_user)
    page = client.get(reverse("jobs:scheduled")).content.decode()
    assert "Birthday reminders" in page
    assert "2 reminders sent" in page
    assert "Daily at 08:00" in page


def test_run_now_refuses_unknown_jobs(client, admin_user):
    client.force_login(admin_user)
    assert client.post(reverse("jobs:scheduled-run", args=["no-such-job"])).status_code == 404

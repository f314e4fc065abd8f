"""Background-job records: long work for one user (imports, exports) and runs of the fixed jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Job(TimeStampedModel):
    """Long work done by a task for one user: an import (check, then commit) or an export.

    The page of a job polls its progress; the finished file (an export, or the list of an
    import's bad rows) is kept in `result`.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.PENDING, Status.CHECKING, Status.RUNNING)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("what"), max_length=50)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="jobs", verbose_name=_("user")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    source = models.FileField(_("uploaded file"), upload_to="jobs/sources/%Y/%m/", blank=True)
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    result = models.FileField(_("result file"), upload_to="jobs/results/%Y/%m/", blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows done"), default=0)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set when the job is queued and on every progress step; the sweeper re-queues or fails the
    # active jobs whose heartbeat is older than JOB_STALE_SECONDS (a dead worker, a broker down).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        db_table = "crm_job"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_created")]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.name} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.CHECKED):
            return 100
        return int(100 * self.processed / self.total) if self.total else 0


class JobRun(models.Model):
    """One run of a fixed periodic job (loss detection, birthday reminders, report dispatch)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("job"), max_length=50)
    status = models.CharField(_("outcome"), max_length=10, choices=Status, default=Status.RUNNING)
    message = models.TextField(_("message"), blank=True)
    triggered_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        db_table = "crm_job_run"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["name", "-started_at"], name="job_run_name_started")]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class OutboxMail(TimeStampedModel):
    """An e-mail waiting to leave: written in the same transaction as what it tells about, then
    sent; when the mail server is down it is retried with a growing delay (jobs.mail)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    purpose = models.CharField(_("purpose"), max_length=50, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    to = models.JSONField(_("recipients"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        db_table = "crm_outbox_mail"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"

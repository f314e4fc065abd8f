import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ReportSubscription(TimeStampedModel):
    """A report e-mailed on a schedule to users, each receiving it with their own visibility."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
        verbose_name=_("owner"),
    )
    report = models.CharField(_("report"), max_length=30)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=Format, default=Format.XLSX)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("recipients")
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, help_text=_("0 = Monday … 6 = Sunday")
    )
    day_of_month = models.PositiveSmallIntegerField(_("day of month"), null=True, blank=True)
    send_time = models.TimeField(_("time"), default=datetime.time(8, 0))
    is_active = models.BooleanField(_("active"), default=True)
    skip_if_empty = models.BooleanField(_("skip when empty"), default=True)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)
    stopped_reason = models.CharField(_("stopped because"), max_length=300, blank=True)

    class Meta:
        db_table = "rpt_subscription"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["is_active", "next_run_at"], name="subscription_due")]
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")

    def __str__(self) -> str:
        return self.name


class ReportDelivery(models.Model):
    """One e-mail of a subscription's run to one recipient (the run log)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        ReportSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    run_at = models.DateTimeField(_("scheduled for"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        db_table = "rpt_delivery"
        ordering = ["-run_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "recipient", "run_at"], name="one_delivery_per_run"
            ),
        ]
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")

    def __str__(self) -> str:
        return f"{self.subscription_id} → {self.recipient_id} ({self.status})"

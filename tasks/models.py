import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import tracked
from core.models import TimeStampedModel

# The longest reminder lead time a task accepts (the issue: "longer than a month is refused").
MAX_REMIND_BEFORE = datetime.timedelta(days=30)


class Task(TimeStampedModel):
    """A dated piece of work of a user (sal_task): a to-do, a call or a planned visit (外出登记).

    `due_at` is stored in UTC; an all-day task is due at the start of its day in the site's time
    zone. `remind_at` (due minus the lead time) is what the reminder tick reads; `reminded_at` is
    claimed once, so a reminder is sent exactly once per arming.
    """

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")

    class Status(models.IntegerChoices):
        OPEN = 1, _("Open")
        DONE = 2, _("Done")
        CANCELLED = 3, _("Cancelled")

    class Kind(models.TextChoices):
        TODO = "todo", _("To-do")
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")

    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.TODO)
    place = models.CharField(_("place"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("due"))
    all_day = models.BooleanField(_("all day"), default=False)
    remind_before = models.DurationField(_("reminder lead time"), null=True, blank=True)
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.NORMAL
    )
    status = models.PositiveSmallIntegerField(_("status"), choices=Status, default=Status.OPEN)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("owner"),
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_tasks",
        verbose_name=_("creator"),
    )
    customer = models.ForeignKey(
        "sales.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("customer"),
    )
    contact = models.ForeignKey(
        "sales.Contact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("contact"),
    )
    chance = models.ForeignKey(
        "marketing.SalesChance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("opportunity"),
    )
    ticket = models.ForeignKey(
        "service.ServiceRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("service request"),
    )

    history = tracked(excluded_fields=["reminded_at"])

    class Meta:
        db_table = "sal_task"
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_at"], name="sal_task_owner_due"),
            models.Index(fields=["creator", "status", "due_at"], name="sal_task_creator_due"),
            models.Index(fields=["status", "due_at"], name="sal_task_status_due"),
            # The whole list (a view-all holder's default tab) in due order without a sort: on
            # SQLite the planner otherwise sorts every task.
            models.Index(fields=["due_at", "id"], name="sal_task_due"),
            models.Index(
                fields=["remind_at"],
                name="sal_task_reminder_due",
                condition=Q(reminded_at__isnull=True, status=1),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__in=[1, 2, 3]), name="sal_task_priority_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=[1, 2, 3]), name="sal_task_status_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=["todo", "call", "visit"]), name="sal_task_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="visit") | ~Q(place=""), name="sal_task_visit_has_place"
            ),
            models.CheckConstraint(
                condition=Q(remind_before__isnull=True)
                | Q(
                    remind_before__gte=datetime.timedelta(0),
                    remind_before__lte=MAX_REMIND_BEFORE,
                ),
                name="sal_task_remind_before_range",
            ),
            models.CheckConstraint(
                condition=Q(remind_before__isnull=True, remind_at__isnull=True)
                | Q(remind_before__isnull=False, remind_at__isnull=False),
                name="sal_task_remind_at_with_lead",
            ),
            models.CheckConstraint(
                condition=Q(status=2, completed_at__isnull=False)
                | (~Q(status=2) & Q(completed_at__isnull=True)),
                name="sal_task_completed_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue_from(self) -> datetime.datetime:
        """When an open task becomes overdue: its due time, or the end of its day if all-day."""
        return self.due_at + datetime.timedelta(days=1) if self.all_day else self.due_at

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and timezone.now() >= self.overdue_from


class TaskSettings(models.Model):
    """A user's own settings of the tasks module: the morning digest and the calendar feed.

    The feed token is stored only as its SHA-256 digest: whoever reads the table cannot
    subscribe to someone's calendar, and regenerating replaces the digest, which revokes the
    old address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="task_settings",
        verbose_name=_("user"),
    )
    digest_enabled = models.BooleanField(_("morning digest by e-mail"), default=True)
    digest_sent_on = models.DateField(null=True, blank=True)
    feed_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    feed_token_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "sal_task_settings"
        verbose_name = _("task settings")
        verbose_name_plural = _("task settings")

    def __str__(self) -> str:
        return str(self.user)

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel


class SalesChance(TimeStampedModel):
    """A sales opportunity (sal_chance): unassigned → assigned (developing) → won or failed."""

    class Status(models.IntegerChoices):
        UNASSIGNED = 1, _("Unassigned")
        ASSIGNED = 2, _("Developing")
        SUCCEEDED = 3, _("Won")
        FAILED = 4, pgettext_lazy("opportunity", "Failed")

    source = models.CharField(_("source"), max_length=50, blank=True)
    customer_name = models.CharField(_("customer name"), max_length=100)
    title = models.CharField(_("summary"), max_length=200)
    rate = models.PositiveSmallIntegerField(_("success rate (%)"))
    contact = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    description = models.TextField(pgettext_lazy("opportunity", "description"), max_length=2000)
    expected_amount = models.DecimalField(
        _("expected amount (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_chances",
        verbose_name=_("created by"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_chances",
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.UNASSIGNED
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    customer = models.ForeignKey(
        "sales.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer created"),
    )

    class Meta:
        db_table = "sal_chance"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__range=(0, 100)), name="chance_rate_0_100"),
            models.CheckConstraint(
                condition=Q(status=1) | Q(assignee__isnull=False),
                name="chance_assigned_has_assignee",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="chance_status"),
            models.Index(fields=["assignee", "status"], name="chance_assignee_status"),
            models.Index(fields=["creator", "status"], name="chance_creator_status"),
            models.Index(fields=["customer_name"], name="chance_customer_name"),
        ]
        verbose_name = _("sales opportunity")
        verbose_name_plural = _("sales opportunities")

    def __str__(self) -> str:
        return f"{self.customer_name}: {self.title}"


class ChanceAssignment(models.Model):
    """A recorded assignment or re-assignment of an opportunity."""

    chance = models.ForeignKey(SalesChance, on_delete=models.CASCADE, related_name="assignments")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        db_table = "sal_chance_assignment"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.chance_id}: {self.from_user_id} → {self.to_user_id}"


class PlanItem(TimeStampedModel):
    """A dated item of an opportunity's development plan (sal_plan) and its result."""

    chance = models.ForeignKey(SalesChance, on_delete=models.CASCADE, related_name="plan_items")
    date = models.DateField(_("date"))
    todo = models.CharField(_("plan item"), max_length=500)
    result = models.CharField(_("result"), max_length=500, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)

    class Meta:
        db_table = "sal_plan"
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date"], name="plan_date")]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return self.todo

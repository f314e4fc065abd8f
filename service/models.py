from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.models import tracked
from core.models import TimeStampedModel
from inventory.models import DictItem, DictType

# The columns the visibility rule tests (`service.permissions`). The list indexes include them,
# so a manager's page is found in the index without reading the table.
VISIBILITY_COLUMNS = ["customer", "assignee", "handler"]


class ServiceRequest(TimeStampedModel):
    """A customer service request (cst_service): new → allocated → handled → archived.

    Feedback with satisfaction below 3 sends a handled request back to allocated; every step is
    also kept in `ServiceEvent`, so earlier handling and feedback stay visible.
    """

    class Status(models.IntegerChoices):
        NEW = 1, pgettext_lazy("status", "New")
        ALLOCATED = 2, _("Allocated")
        HANDLED = 3, _("Handled")
        ARCHIVED = 4, _("Archived")

    type = models.ForeignKey(
        DictItem,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type": DictType.SERVICE_TYPE},
        verbose_name=_("service type"),
    )
    title = models.CharField(_("summary"), max_length=500)
    customer = models.ForeignKey(
        "sales.Customer",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("customer"),
    )
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.NEW
    )
    request = models.TextField(_("service request"), max_length=3000)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_service_requests",
        verbose_name=_("created by"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_service_requests",
        verbose_name=_("allocated to"),
    )
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True)
    handling = models.TextField(_("handling"), max_length=3000, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_service_requests",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    result = models.CharField(pgettext_lazy("service", "result"), max_length=500, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    history = tracked()

    class Meta:
        db_table = "cst_service"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__range=(1, 5)),
                name="service_satisfaction_1_5",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "-created_at"],
                include=VISIBILITY_COLUMNS,
                name="service_status_created",
            ),
            # The handling queue: one assignee's allocated requests, oldest allocation first.
            models.Index(
                fields=["assignee", "status", "allocated_at", "id"], name="service_assignee_queue"
            ),
            models.Index(fields=["customer", "-created_at"], name="service_customer_created"),
            models.Index(fields=["created_at"], include=VISIBILITY_COLUMNS, name="service_created"),
            models.Index(
                fields=["status", "handled_at", "id"],
                include=VISIBILITY_COLUMNS,
                name="service_status_handled",
            ),
        ]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self) -> str:
        return self.title


class ServiceEvent(models.Model):
    """One step in a service request's history: allocation, handling, feedback, return."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("event", "Created")
        ALLOCATED = "allocated", _("Allocated")
        HANDLED = "handled", _("Handled")
        FEEDBACK = "feedback", _("Feedback")
        RETURNED = "returned", _("Returned for re-handling")
        ARCHIVED = "archived", _("Archived")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=Kind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("allocated to"),
    )
    text = models.TextField(_("text"), max_length=3000, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        db_table = "cst_service_event"
        ordering = ["created_at", "id"]
        # The customer timeline's newest steps: for a customer with thousands of tickets,
        # reading the steps newest first and keeping the customer's is faster than sorting
        # all of them (83 ms -> 4 ms for the largest customer).
        indexes = [models.Index(fields=["-created_at", "-id"], name="service_event_at")]
        verbose_name = _("service step")
        verbose_name_plural = _("service steps")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.kind}"

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.models import tracked
from core.models import TimeStampedModel
from inventory.models import DictType


class Stage(TimeStampedModel):
    """A step of development (status 2), in order, with the default win probability of the
    opportunities in it. Editable by admins; a stage in use cannot be deleted, only retired."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    probability = models.PositiveSmallIntegerField(_("win probability (%)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "sal_stage"
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__range=(0, 100)), name="stage_probability_0_100"
            ),
        ]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.name


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
    stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chances",
        verbose_name=_("stage"),
    )
    stage_changed_at = models.DateTimeField(_("in stage since"), null=True, blank=True)
    probability = models.PositiveSmallIntegerField(
        _("own win probability (%)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the stage's probability in the forecast."),
    )
    close_reason = models.ForeignKey(
        "inventory.DictItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("won or lost reason"),
    )

    campaign = models.ForeignKey(
        "Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chances",
        verbose_name=_("campaign"),
        help_text=_("The marketing campaign the opportunity came from, if any."),
    )

    tags = models.ManyToManyField(
        "sales.Tag",
        through="ChanceTag",
        blank=True,
        related_name="chances",
        verbose_name=_("tags"),
    )

    history = tracked()

    class Meta:
        db_table = "sal_chance"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__range=(0, 100)), name="chance_rate_0_100"),
            models.CheckConstraint(
                condition=Q(status=1) | Q(assignee__isnull=False),
                name="chance_assigned_has_assignee",
            ),
            # Developing (2) opportunities are in exactly one stage; the others in none.
            models.CheckConstraint(
                condition=Q(status=2, stage__isnull=False) | (~Q(status=2) & Q(stage__isnull=True)),
                name="chance_stage_iff_developing",
            ),
            models.CheckConstraint(
                condition=Q(probability__isnull=True) | Q(probability__range=(0, 100)),
                name="chance_probability_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="chance_status"),
            models.Index(fields=["assignee", "status"], name="chance_assignee_status"),
            models.Index(fields=["creator", "status"], name="chance_creator_status"),
            models.Index(fields=["customer_name"], name="chance_customer_name"),
            models.Index(fields=["stage", "-id"], name="chance_stage"),
            models.Index(fields=["expected_close_date"], name="chance_close_date"),
            # The forecast's and the pipeline summary's developing and won opportunities, read
            # from the index alone (the forecast's two sums 26 + 23 -> 15 + 9 ms at scale 2).
            models.Index(
                fields=["expected_close_date"],
                include=["assignee", "expected_amount", "probability", "stage", "rate"],
                condition=Q(status=2),
                name="chance_developing_close",
            ),
            models.Index(
                fields=["closed_at"],
                include=["assignee", "expected_amount"],
                condition=Q(status=3),
                name="chance_won_closed",
            ),
        ]
        verbose_name = _("sales opportunity")
        verbose_name_plural = _("sales opportunities")

    def __str__(self) -> str:
        return f"{self.customer_name}: {self.title}"

    @property
    def board_column(self) -> str:
        """The board column: "unassigned", the stage's id, "won" or "lost"."""
        if self.status == self.Status.ASSIGNED:
            return str(self.stage_id)
        if self.status == self.Status.UNASSIGNED:
            return "unassigned"
        return "won" if self.status == self.Status.SUCCEEDED else "lost"

    @property
    def days_in_column(self) -> int:
        """Whole days in the current stage (or since closing, or since creation)."""
        since = self.stage_changed_at or self.closed_at or self.created_at
        return (timezone.now() - since).days if since else 0


class ChanceTag(models.Model):
    """A tag on an opportunity; (tag, chance) serves the tag filters like `CustomerTag`."""

    chance = models.ForeignKey(SalesChance, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey("sales.Tag", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "sal_chance_tag"
        constraints = [models.UniqueConstraint(fields=["chance", "tag"], name="chance_tag_once")]
        indexes = [models.Index(fields=["tag", "chance"], name="chance_tag_tag")]

    def __str__(self) -> str:
        return f"{self.chance_id}: {self.tag_id}"


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


class StageChange(models.Model):
    """One move of an opportunity: into its first stage, between stages, or out to won/lost
    (`to_stage` empty, `status` the status it reached)."""

    chance = models.ForeignKey(SalesChance, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("from")
    )
    to_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("to")
    )
    status = models.PositiveSmallIntegerField(_("status"), choices=SalesChance.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("moved at"), auto_now_add=True)

    class Meta:
        db_table = "sal_stage_change"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["to_stage", "chance"], name="stage_change_to"),
            models.Index(fields=["from_stage", "chance"], name="stage_change_from"),
            models.Index(fields=["created_at"], name="stage_change_created"),
        ]

    def __str__(self) -> str:
        return f"{self.chance_id}: {self.from_stage_id} → {self.to_stage_id}"


class PlanItem(TimeStampedModel):
    """A dated item of an opportunity's development plan (sal_plan) and its result."""

    chance = models.ForeignKey(SalesChance, on_delete=models.CASCADE, related_name="plan_items")
    date = models.DateField(_("date"))
    todo = models.CharField(_("plan item"), max_length=500)
    result = models.CharField(_("result"), max_length=500, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)

    history = tracked()

    class Meta:
        db_table = "sal_plan"
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date"], name="plan_date")]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return self.todo


# Campaigns (市场活动) ----------------------------------------------------------------------------

CAMPAIGN_KIND = DictType.CAMPAIGN_KIND  # the data dictionary type of the campaign kinds


class Campaign(TimeStampedModel):
    """A marketing campaign (sal_campaign): planned → approved (by a supervisor other than its
    owner) → running → finished; cancelled from planned, approved or running. Its actual cost
    is the sum of its log entries' costs; opportunities name it as their source."""

    class Status(models.IntegerChoices):
        PLANNED = 1, pgettext_lazy("campaign", "Planned")
        APPROVED = 2, pgettext_lazy("campaign", "Approved")
        RUNNING = 3, pgettext_lazy("campaign", "Running")
        FINISHED = 4, pgettext_lazy("campaign", "Finished")
        CANCELLED = 5, pgettext_lazy("campaign", "Cancelled")

    name = models.CharField(_("name"), max_length=100)
    kind = models.ForeignKey(
        "inventory.DictItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("campaign type"),
        limit_choices_to={"type": CAMPAIGN_KIND},
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("owner"),
    )
    budget = models.DecimalField(_("budget (CNY)"), max_digits=14, decimal_places=2, default=0)
    target_group = models.ForeignKey(
        "sales.CustomerGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("target group"),
    )
    description = models.TextField(
        pgettext_lazy("campaign", "description"), max_length=2000, blank=True
    )
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.PLANNED
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    history = tracked()

    class Meta:
        db_table = "sal_campaign"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="campaign_end_after_start"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_positive"),
            models.CheckConstraint(
                condition=Q(status__in=[1, 5]) | Q(approver__isnull=False),
                name="campaign_approved_has_approver",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-start_date"], name="campaign_status"),
            models.Index(fields=["owner", "status"], name="campaign_owner_status"),
            models.Index(fields=["start_date"], name="campaign_start"),
        ]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name


class CampaignLog(models.Model):
    """A dated entry of what a running (or finished) campaign did, and what it cost."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="logs")
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500)
    cost = models.DecimalField(_("cost (CNY)"), max_digits=14, decimal_places=2, default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "sal_campaign_log"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="campaign_log_cost_positive"),
        ]
        indexes = [models.Index(fields=["campaign", "-date"], name="campaign_log_campaign")]
        verbose_name = _("campaign log entry")
        verbose_name_plural = _("campaign log entries")

    def __str__(self) -> str:
        return self.note


# Quotes (报价单) ---------------------------------------------------------------------------------


def default_currency() -> str:
    return str(settings.CURRENCY)


def default_tax_rate() -> Decimal:
    return Decimal(str(settings.QUOTE_DEFAULT_TAX_RATE))


class Quote(TimeStampedModel):
    """A quote (报价单) to a customer: draft → (pending approval →) approved → sent → accepted
    (an order is created), rejected by the customer, or expired. Its totals are stored, computed
    from its lines by `marketing.pricing` whenever the lines change."""

    class Status(models.IntegerChoices):
        DRAFT = 1, pgettext_lazy("quote", "Draft")
        PENDING = 2, _("Pending approval")
        APPROVED = 3, pgettext_lazy("quote", "Approved")
        SENT = 4, pgettext_lazy("quote", "Sent")
        ACCEPTED = 5, pgettext_lazy("quote", "Accepted")
        REJECTED = 6, pgettext_lazy("quote", "Rejected")
        EXPIRED = 7, pgettext_lazy("quote", "Expired")

    number = models.CharField(_("quote no."), max_length=30, unique=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # The first version of the family (empty on the first version itself).
    original = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("first version"),
    )
    customer = models.ForeignKey(
        "sales.Customer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer"),
    )
    opportunity = models.ForeignKey(
        SalesChance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("sales opportunity"),
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_quotes",
        verbose_name=_("created by"),
    )
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.DRAFT
    )
    valid_until = models.DateField(_("valid until"))
    terms = models.TextField(_("terms"), max_length=2000, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    net_amount = models.DecimalField(
        _("amount without tax"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    tax_amount = models.DecimalField(_("tax"), max_digits=14, decimal_places=2, default=Decimal(0))
    gross_amount = models.DecimalField(
        _("amount with tax"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    max_discount = models.DecimalField(
        _("largest discount (%)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    order = models.OneToOneField(
        "sales.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )

    history = tracked()

    class Meta:
        db_table = "sal_quote"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__range=(1, 7)), name="quote_status_known"),
            models.CheckConstraint(
                condition=Q(max_discount__range=(0, 100)), name="quote_max_discount_0_100"
            ),
            models.CheckConstraint(
                condition=Q(net_amount__gte=0) & Q(tax_amount__gte=0) & Q(gross_amount__gte=0),
                name="quote_amounts_not_negative",
            ),
            # An accepted quote has its order; no other quote has one.
            models.CheckConstraint(
                condition=Q(status=5, order__isnull=False) | (~Q(status=5) & Q(order__isnull=True)),
                name="quote_order_iff_accepted",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="quote_version_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="quote_status"),
            # The list by status, largest first (the customer included for the visibility test).
            models.Index(
                fields=["status", "-gross_amount", "-id"],
                name="quote_status_amount",
                include=["customer"],
            ),
            models.Index(fields=["customer", "-id"], name="quote_customer"),
            # A status's quotes joined to the customers in their key order (the list's count).
            models.Index(fields=["customer", "status"], name="quote_customer_status"),
            models.Index(fields=["creator", "-id"], name="quote_creator"),
            models.Index(fields=["created_at"], name="quote_created"),
            models.Index(fields=["status", "valid_until"], name="quote_status_valid_until"),
        ]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self) -> str:
        return self.number


class QuoteLine(models.Model):
    """A line of a quote: quantity × unit price less the discount, plus tax at its rate."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "inventory.Product",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    discount = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    tax_rate = models.DecimalField(
        _("tax rate (%)"), max_digits=5, decimal_places=2, default=default_tax_rate
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "sal_quote_line"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="quote_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="quote_line_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(discount__range=(0, 100)), name="quote_line_discount_0_100"
            ),
            models.CheckConstraint(
                condition=Q(tax_rate__range=(0, 100)), name="quote_line_tax_rate_0_100"
            ),
        ]
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")

    def __str__(self) -> str:
        return f"{self.quote_id}: {self.product_id} × {self.quantity}"

    @property
    def net_amount(self) -> Decimal:
        from marketing.pricing import line_net

        return line_net(self.quantity, self.unit_price, self.discount)

    @property
    def tax_amount(self) -> Decimal:
        from marketing.pricing import line_tax

        return line_tax(self.net_amount, self.tax_rate)

    @property
    def gross_amount(self) -> Decimal:
        return self.net_amount + self.tax_amount


class QuoteEvent(models.Model):
    """One step of a quote (the approval record): who did what, when, with which comment.
    The daily expiry job and the automatic approval have no actor."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", pgettext_lazy("quote event", "Approved")
        REJECTED = "rejected", _("Approval refused")
        SENT = "sent", _("Sent to the customer")
        ACCEPTED = "accepted", _("Accepted by the customer")
        DECLINED = "declined", _("Declined by the customer")
        EXPIRED = "expired", pgettext_lazy("quote event", "Expired")
        COPIED = "copied", _("Copied to a new version")

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        db_table = "sal_quote_event"
        ordering = ["created_at", "id"]
        verbose_name = _("quote step")
        verbose_name_plural = _("quote steps")

    def __str__(self) -> str:
        return f"{self.quote_id}: {self.kind}"

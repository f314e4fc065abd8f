from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import UserObjectPermissionBase

from audit.models import tracked
from core.models import TimeStampedModel
from inventory.models import DictItem, DictType, Product

STAR_CHOICES = [(n, "★" * n) for n in range(1, 6)]


class MonthDay(models.Func):
    """A date's month × 100 + its day (1231 for 31 December), in each database's own functions:
    a stored generated column may use only those (not Django's functions for SQLite)."""

    arity = 1
    output_field = models.PositiveSmallIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite keeps dates as YYYY-MM-DD text.
        template = "CAST(substr(%(expressions)s, 6, 2) || substr(%(expressions)s, 9, 2) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = (
            "(EXTRACT(MONTH FROM %(expressions)s) * 100"
            " + EXTRACT(DAY FROM %(expressions)s))::integer"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


# (background, text): every pair passes WCAG AA for normal text (contrast ≥ 4.5, tested).
TAG_PALETTE = {
    "blue": ("#1d4ed8", "#ffffff"),
    "green": ("#15803d", "#ffffff"),
    "red": ("#b91c1c", "#ffffff"),
    "orange": ("#c2410c", "#ffffff"),
    "purple": ("#7e22ce", "#ffffff"),
    "teal": ("#0f766e", "#ffffff"),
    "grey": ("#475569", "#ffffff"),
    "pink": ("#be185d", "#ffffff"),
    "yellow": ("#fde047", "#1f2937"),
    "sky": ("#bae6fd", "#0c4a6e"),
}


class Tag(TimeStampedModel):
    """A coloured label an administrator defines; customers and opportunities carry tags."""

    class Colour(models.TextChoices):
        BLUE = "blue", _("Blue")
        GREEN = "green", _("Green")
        RED = "red", _("Red")
        ORANGE = "orange", _("Orange")
        PURPLE = "purple", _("Purple")
        TEAL = "teal", _("Teal")
        GREY = "grey", _("Grey")
        PINK = "pink", _("Pink")
        YELLOW = "yellow", _("Yellow")
        SKY = "sky", _("Light blue")

    PALETTE = TAG_PALETTE

    name = models.CharField(_("name"), max_length=30, unique=True)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour, default=Colour.BLUE)

    class Meta:
        db_table = "cst_tag"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__in=list(TAG_PALETTE)), name="tag_colour_valid"
            )
        ]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    @property
    def background(self) -> str:
        return self.PALETTE[self.colour][0]

    @property
    def foreground(self) -> str:
        return self.PALETTE[self.colour][1]


class Customer(TimeStampedModel):
    """A customer organisation (cst_customer); deleting one is soft (status 3)."""

    class Status(models.IntegerChoices):
        NORMAL = 1, _("Normal")
        LOST = 2, _("Lost")
        DELETED = 3, _("Deleted")

    number = models.CharField(_("customer no."), max_length=17, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        DictItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"type": DictType.REGION},
        verbose_name=_("region"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="managed_customers",
        verbose_name=_("customer manager"),
        db_index=False,  # led by the (manager, status, id) and (manager, name) indexes below
    )
    level = models.ForeignKey(
        DictItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"type": DictType.CUSTOMER_LEVEL},
        verbose_name=_("customer level"),
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("customer satisfaction"), choices=STAR_CHOICES, null=True, blank=True
    )
    credit = models.PositiveSmallIntegerField(
        _("customer credit"), choices=STAR_CHOICES, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    zip_code = models.CharField(_("post code"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    website = models.CharField(_("website"), max_length=50, blank=True)
    licence_no = models.CharField(_("business licence no."), max_length=50, blank=True)
    legal_person = models.CharField(_("legal representative"), max_length=50, blank=True)
    registered_capital = models.PositiveIntegerField(
        _("registered capital (10k CNY)"), null=True, blank=True
    )
    turnover = models.PositiveIntegerField(_("annual turnover"), null=True, blank=True)
    bank = models.CharField(_("bank"), max_length=200, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=50, blank=True)
    local_tax_no = models.CharField(_("local tax reg. no."), max_length=50, blank=True)
    national_tax_no = models.CharField(_("national tax reg. no."), max_length=50, blank=True)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.NORMAL
    )
    # Set when this customer was merged into another (it is then deleted: kept, hidden).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("merged into"),
    )

    tags = models.ManyToManyField(
        Tag, through="CustomerTag", blank=True, related_name="customers", verbose_name=_("tags")
    )

    history = tracked()

    class Meta:
        db_table = "cst_customer"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__range=(1, 5)),
                name="customer_satisfaction_1_5",
            ),
            models.CheckConstraint(
                condition=Q(credit__isnull=True) | Q(credit__range=(1, 5)),
                name="customer_credit_1_5",
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="customer_name"),
            # With the id, a manager's live customers are an index-only scan (the subquery of
            # `visible_customer_ids` that service-request visibility is built on).
            models.Index(fields=["manager", "status", "id"], name="customer_manager_status_id"),
            # The visibility test of a row joined to its customer (`customer_visibility` with
            # `per_row`), answered from the index: the manager and the status by the id.
            models.Index(
                fields=["id"], name="customer_id_visibility", include=["manager", "status"]
            ),
            models.Index(fields=["manager", "name"], name="customer_manager_name"),
            models.Index(fields=["status", "region"], name="customer_status_region"),
            models.Index(fields=["status", "level"], name="customer_status_level"),
        ]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.name


class CustomerTag(models.Model):
    """A tag on a customer. The (tag, customer) index serves the tag filters: "any" reads the
    customers of some tags, "all" counts each customer's rows among the chosen tags."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "cst_customer_tag"
        constraints = [
            models.UniqueConstraint(fields=["customer", "tag"], name="customer_tag_once"),
        ]
        indexes = [models.Index(fields=["tag", "customer"], name="customer_tag_tag")]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.tag_id}"


class CustomerGroup(TimeStampedModel):
    """A named, saved customer-list filter. Its members are what the filter finds among the
    customers the viewer may see (`sales.selectors.group_members`), so sharing a group never
    shows anyone a customer they could not see anyway."""

    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="customer_groups",
        verbose_name=_("owner"),
    )
    shared = models.BooleanField(
        _("shared with the team"),
        default=False,
        help_text=_("Everyone who reads customers sees the group, with their own customers."),
    )
    # The customer list's query values as the filter form accepted them (name → value or list).
    filters = models.JSONField(_("filters"), default=dict, blank=True)

    class Meta:
        db_table = "cst_group"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="customer_group_name_once"),
        ]
        indexes = [models.Index(fields=["shared", "name"], name="customer_group_shared")]
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")

    def __str__(self) -> str:
        return self.name


class CustomerUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign key table for per-customer grants (sharing), for fast visibility joins."""

    content_object = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="grants")

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "cst_customer_share"


class CustomerTransfer(models.Model):
    """A recorded change of a customer's manager."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="transfers")
    from_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("transferred at"), auto_now_add=True)

    class Meta:
        db_table = "cst_customer_transfer"
        ordering = ["-created_at", "-id"]
        verbose_name = _("customer transfer")
        verbose_name_plural = _("customer transfers")

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.from_manager_id} → {self.to_manager_id}"


class Contact(TimeStampedModel):
    """A contact person of a customer (cst_linkman)."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender, default=Gender.MALE)
    # Required on the contact form; blank allowed for contacts created from an opportunity.
    position = models.CharField(pgettext_lazy("job", "position"), max_length=50, blank=True)
    phone = models.CharField(_("office phone"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    # The birthday's day of the year as month × 100 + day (1231: 31 December), computed and
    # stored by the database on every write (bulk ones included): the reminders and the
    # manager's week ahead find birthdays by it through a plain index, on SQLite too.
    birthday_day = models.GeneratedField(
        expression=MonthDay("birthday"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("birthday (month and day)"),
    )
    memo = models.CharField(_("remark"), max_length=300, blank=True)

    history = tracked(excluded_fields=["birthday_day"])

    class Meta:
        db_table = "cst_linkman"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["birthday"], name="contact_birthday"),
            # Birthdays by day of the year (the reminders and the manager's week ahead).
            models.Index(fields=["birthday_day"], name="contact_birthday_month_day"),
        ]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class Activity(TimeStampedModel):
    """An interaction with a customer (cst_activity): a call, visit, e-mail or meeting, when it
    happened (stored in UTC) and who logged it."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("E-mail")
        MEETING = "meeting", _("Meeting")
        OTHER = "other", _("Other")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="activities", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.OTHER)
    occurred_at = models.DateTimeField(_("date and time"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("logged by"),
    )
    place = models.CharField(_("place"), max_length=200)
    title = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("details"), max_length=2000, blank=True)
    remark = models.CharField(_("remark"), max_length=300, blank=True)

    history = tracked()

    class Meta:
        db_table = "cst_activity"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-occurred_at"], name="activity_customer_at"),
            # The list of every visible customer's interactions, newest first: the customer and
            # the kind come from the index, so a page (and the ids of a deep one) is read from it.
            models.Index(
                fields=["-occurred_at", "-id"], name="activity_at", include=["customer", "kind"]
            ),
            # Its count by kind, joined to the customers in their key order.
            models.Index(fields=["customer", "kind"], name="activity_customer_kind"),
            models.Index(fields=["author", "-occurred_at"], name="activity_author_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["call", "visit", "email", "meeting", "other"]),
                name="activity_kind_valid",
            )
        ]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")

    def __str__(self) -> str:
        return self.title


class ActivityComment(TimeStampedModel):
    """A superior's comment on an interaction (批复 on a 联络小结); the rep is notified."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="comments", verbose_name=_("interaction")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activity_comments",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=2000)

    class Meta:
        db_table = "cst_activity_comment"
        ordering = ["created_at", "id"]
        verbose_name = _("interaction comment")
        verbose_name_plural = _("interaction comments")

    def __str__(self) -> str:
        return self.text[:50]


class Order(TimeStampedModel):
    """A historical order from the sales system (orders); read-only in the CRM."""

    class Status(models.IntegerChoices):
        NEW = 1, pgettext_lazy("status", "New")
        CONFIRMED = 2, _("Confirmed")
        PICKING = 3, _("Picking")
        SHIPPED = 4, _("Shipped")
        DELIVERING = 5, _("Delivering")
        PAID = 6, _("Paid")

    number = models.CharField(_("order no."), max_length=30, unique=True)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("customer"),
        db_index=False,  # led by the (customer, date) index below
    )
    date = models.DateField(_("date"))
    address = models.CharField(_("delivery address"), max_length=200)
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices)
    # Σ count × unit price of the lines, kept with the order: orders and their lines are written
    # once, in bulk, by the order import (`sales.importers.OrderImporter`; the demo and volume
    # seeds likewise), each followed by `sales.services.refresh_order_amounts`, which also
    # keeps the monthly summaries (`CustomerMonthSales`, `ProductMonthSales`) exact. Reports and
    # dashboards sum the summaries for whole months, orders otherwise, never a million lines.
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2, default=0)

    history = tracked(excluded_fields=["amount"])

    class Meta:
        db_table = "orders"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["customer", "-date"], name="order_customer_date"),
            # Sales by period (reports, the executive dashboard) read only these columns.
            models.Index(fields=["date"], include=["customer", "amount"], name="order_date"),
        ]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID


class OrderLine(models.Model):
    """A line of an order (orders_line): amount = count × unit price."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("product")
    )
    count = models.PositiveIntegerField(_("count"))
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    unit_price = models.DecimalField(_("unit price (CNY)"), max_digits=12, decimal_places=2)

    class Meta:
        db_table = "orders_line"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="order_line_price_not_negative"
            ),
        ]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.product_id} × {self.count}"

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.count


class DuplicateKey(models.Model):
    """How many live customers hold a duplicate key (`kind` "name": the name core, "phone":
    the phone's digits; keys too short to count are left out). Kept by triggers on
    `cst_customer` that `sales.duplicate_keys` installs; `duplicate_pairs` reads the keys held
    more than once from it instead of grouping every customer."""

    pk = models.CompositePrimaryKey("kind", "key")
    kind = models.CharField(_("kind"), max_length=8)
    key = models.TextField(_("key"))  # NFKC may lengthen a name: no limit to trip a write
    holders = models.IntegerField(_("holders"))

    class Meta:
        db_table = "cst_duplicate_key"
        indexes = [
            # The keys held more than once, of one kind: what the duplicate list reads.
            models.Index(
                fields=["kind", "key"], condition=Q(holders__gt=1), name="duplicate_key_repeated"
            ),
        ]
        verbose_name = _("duplicate key")
        verbose_name_plural = _("duplicate keys")

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.holders}"


class CustomerMonthSales(TimeStampedModel):
    """Per customer and month (its first day): the number, Σ amount and Σ paid amount of the
    customer's orders dated in that month. Derived from the orders and kept exact, in the same
    transaction, by `sales.summaries.apply_orders` (every write of orders calls it);
    `manage.py rebuild_sales_summaries` recomputes it. Reports by whole months read it instead
    of the orders."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="month_sales")
    month = models.DateField(_("month"))
    orders = models.PositiveIntegerField(_("orders"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=16, decimal_places=2)
    paid_amount = models.DecimalField(_("paid amount (CNY)"), max_digits=16, decimal_places=2)

    class Meta:
        db_table = "sales_customer_month"
        constraints = [
            models.UniqueConstraint(fields=["customer", "month"], name="customer_month_unique"),
        ]
        indexes = [
            # Sales by period of every customer (the trend, contribution, performance) read
            # only these columns.
            models.Index(
                fields=["month"], include=["customer", "orders", "amount"], name="customer_month"
            ),
        ]
        verbose_name = _("monthly sales of a customer")
        verbose_name_plural = _("monthly sales of customers")

    def __str__(self) -> str:
        return f"{self.customer_id} {self.month:%Y-%m}: {self.amount}"


class ProductMonthSales(TimeStampedModel):
    """Per product and month: Σ count and Σ count × unit price of the order lines of orders dated
    in that month, of customers that are not deleted (what a viewer of every customer sees).
    Kept exact like `CustomerMonthSales`; a customer's deletion takes its lines out."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="month_sales")
    month = models.DateField(_("month"))
    quantity = models.PositiveBigIntegerField(_("quantity"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=16, decimal_places=2)

    class Meta:
        db_table = "sales_product_month"
        constraints = [
            models.UniqueConstraint(fields=["product", "month"], name="product_month_unique"),
        ]
        indexes = [models.Index(fields=["month"], name="product_month")]
        verbose_name = _("monthly sales of a product")
        verbose_name_plural = _("monthly sales of products")

    def __str__(self) -> str:
        return f"{self.product_id} {self.month:%Y-%m}: {self.quantity}"


class ManagerProductMonthSales(TimeStampedModel):
    """Per customer manager, month and product: the same sums as `ProductMonthSales`, of the
    live customers that manager holds now (rows with a quantity only). A rep's product sales
    read their own rows here and the lines of the customers shared with them. Kept exact like
    the other summaries: an order write recomputes or adds the rows it touches, and a write that
    gives customers' orders another manager (a transfer, a merge) takes those customers' lines
    out of their managers' rows before it and adds them back after it
    (`sales.summaries.customers_regrouped`)."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    # Signed: taking lines out is an upsert of negative sums, and PostgreSQL and SQLite check
    # a CHECK constraint on the row proposed before they find the row it updates.
    quantity = models.BigIntegerField(_("quantity"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=16, decimal_places=2)

    class Meta:
        db_table = "sales_manager_product_month"
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "month", "product"], name="manager_product_month_unique"
            ),
        ]
        verbose_name = _("monthly sales of a product by a manager's customers")
        verbose_name_plural = _("monthly sales of products by managers' customers")

    def __str__(self) -> str:
        return f"{self.manager_id} {self.month:%Y-%m} {self.product_id}: {self.quantity}"


class CustomerLoss(TimeStampedModel):
    """A customer-loss record (cst_lost): warning → paused → confirmed, or recovered.

    At most one record per customer is open (warning or paused) at a time; the detection job
    relies on that to stay idempotent.
    """

    class Status(models.IntegerChoices):
        WARNING = 1, _("Warning")
        PAUSED = 2, _("Loss paused")
        CONFIRMED = 3, _("Loss confirmed")
        RECOVERED = 4, _("Recovered")

    OPEN = (Status.WARNING, Status.PAUSED)

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="losses", verbose_name=_("customer")
    )
    # The customer's manager when the loss was detected, then when it was confirmed: the loss
    # report counts it against them even after the customer moves to someone else.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer manager"),
    )
    last_order_date = models.DateField(_("last order date"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.WARNING
    )
    reason = models.TextField(_("loss reason"), max_length=2000, blank=True)
    confirmed_at = models.DateTimeField(_("loss confirmed at"), null=True, blank=True)
    recovered_at = models.DateTimeField(_("recovered at"), null=True, blank=True)

    class Meta:
        db_table = "cst_lost"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(status__in=[1, 2]),
                name="one_open_loss_per_customer",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="loss_status_created"),
            models.Index(fields=["-created_at", "-id"], name="loss_created"),
            models.Index(fields=["confirmed_at"], name="loss_confirmed_at"),
        ]
        verbose_name = _("customer loss")
        verbose_name_plural = _("customer losses")

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class LossMeasure(models.Model):
    """A retention measure appended to a loss record (the seed's lst_delay, one row each)."""

    loss = models.ForeignKey(CustomerLoss, on_delete=models.CASCADE, related_name="measures")
    text = models.TextField(_("measure"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "cst_lost_measure"
        ordering = ["created_at", "id"]
        verbose_name = _("retention measure")
        verbose_name_plural = _("retention measures")

    def __str__(self) -> str:
        return self.text[:50]


class BirthdayReminder(models.Model):
    """A birthday reminder sent for a contact in a year: at most one (the unique pair)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="reminders")
    year = models.PositiveSmallIntegerField(_("year"))
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        db_table = "cst_birthday_reminder"
        constraints = [
            models.UniqueConstraint(fields=["contact", "year"], name="one_reminder_per_year"),
        ]
        verbose_name = _("birthday reminder")
        verbose_name_plural = _("birthday reminders")

    def __str__(self) -> str:
        return f"{self.contact_id} {self.year}"

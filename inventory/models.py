from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class DictType:
    """The dictionary types the product reads; their names are the original system's."""

    REGION = "地区"
    CUSTOMER_LEVEL = "客户等级"
    SERVICE_TYPE = "服务类型"
    CREDIT = "客户信用度"
    SATISFACTION = "客户满意度"
    LOSS_STATUS = "客户流失状态"
    CHANCE_WON_REASON = "机会成功原因"
    CHANCE_LOST_REASON = "机会失败原因"
    CAMPAIGN_KIND = "活动类型"


class DictItem(TimeStampedModel):
    """A data dictionary entry (bas_dict): regions, customer levels, service types…

    Business records point at entries with PROTECT foreign keys, so an entry in use cannot be
    deleted; entries that are not editable (customer levels) are fixed.
    """

    type = models.CharField(_("type"), max_length=50)
    item = models.CharField(_("item"), max_length=50)
    value = models.CharField(_("value"), max_length=50)
    is_editable = models.BooleanField(_("editable"), default=True)

    class Meta:
        db_table = "bas_dict"
        ordering = ["type", "id"]
        constraints = [
            models.UniqueConstraint(fields=["type", "value"], name="dict_type_value_unique"),
        ]
        indexes = [models.Index(fields=["type", "item"], name="dict_type_item")]
        verbose_name = _("dictionary item")
        verbose_name_plural = _("dictionary items")

    def __str__(self) -> str:
        return self.item


class Product(TimeStampedModel):
    """A product of the sales system (product): read-only for users, maintained by admins."""

    name = models.CharField(_("name"), max_length=200)
    model = models.CharField(_("model"), max_length=100)
    batch = models.CharField(_("grade/batch"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    price = models.DecimalField(
        _("unit price (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    memo = models.CharField(_("remark"), max_length=200, blank=True)

    class Meta:
        db_table = "product"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "model", "batch"], name="product_identity_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="product_price_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="product_name"),
            models.Index(fields=["model"], name="product_model"),
            models.Index(fields=["batch"], name="product_batch"),
        ]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The seed's product label: name-model-batch."""
        return "-".join(part for part in (self.name, self.model, self.batch) if part)


class Stock(TimeStampedModel):
    """Stock of a product at a warehouse location (storage)."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="stock", verbose_name=_("product")
    )
    warehouse = models.CharField(_("warehouse"), max_length=50)
    location = models.CharField(_("location"), max_length=50)
    count = models.PositiveIntegerField(_("count"))
    safety_level = models.PositiveIntegerField(
        _("safety level"), default=0, help_text=_("Rows below this count are highlighted.")
    )
    memo = models.CharField(_("remark"), max_length=200, blank=True)

    class Meta:
        db_table = "storage"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "warehouse", "location"], name="stock_place_unique"
            ),
        ]
        indexes = [models.Index(fields=["warehouse"], name="stock_warehouse")]
        verbose_name = _("stock")
        verbose_name_plural = _("stock")

    def __str__(self) -> str:
        return f"{self.product} @ {self.warehouse} {self.location}"

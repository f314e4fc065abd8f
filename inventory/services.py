"""Every write of the base-data module."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy

from accounts.models import User
from inventory.models import DictItem, DictType, Product, Stock
from inventory.permissions import can_change_dictionary, can_change_products
from inventory.selectors import forget_dictionary_choices

# Refusals and errors (tests match these).
DICTIONARY_DENIED = gettext_lazy("You may not change the data dictionary.")
PRODUCTS_DENIED = gettext_lazy("You may not change products or stock.")
ITEM_FIXED = gettext_lazy("“%(item)s” is a fixed dictionary entry and cannot be changed.")
VALUE_TAKEN = gettext_lazy("The type “%(type)s” has the value “%(value)s” already.")
ITEM_IN_USE = gettext_lazy("“%(item)s” is used by %(count)d record(s) and cannot be deleted.")
PRODUCT_TAKEN = gettext_lazy("A product with this name, model and batch exists already.")
PRODUCT_IN_USE = gettext_lazy("“%(product)s” has stock or order lines and cannot be deleted.")
STOCK_TAKEN = gettext_lazy("This product has a stock row at this location already.")

# The campaign kinds (marketing's 活动类型), also seeded by marketing migration 0010.
CAMPAIGN_KINDS = (
    ("exhibition", "展会"),
    ("e-mail", "邮件营销"),
    ("phone", "电话营销"),
    ("seminar", "研讨会"),
    ("online", "线上推广"),
)

# The original system's dictionary (SEED_SPEC §4.1): (type, item, value, editable).
DEFAULT_DICTIONARY = (
    *((DictType.SERVICE_TYPE, name, name, True) for name in ("咨询", "建议", "投诉")),
    *(
        (DictType.CUSTOMER_LEVEL, name, str(value), False)
        for value, name in enumerate(
            ("普通客户", "重点开发客户", "大客户", "合作伙伴", "战略合作伙伴"), 1
        )
    ),
    *(
        (DictType.REGION, name, name, True)
        for name in ("北京", "华北", "东北", "中南", "西部", "上海")
    ),
    *((DictType.CREDIT, "☆" * value, str(value), False) for value in range(1, 6)),
    *((DictType.SATISFACTION, "☆" * value, str(value), False) for value in range(1, 6)),
    *(
        (DictType.LOSS_STATUS, name, str(value), False)
        for value, name in enumerate(("预警", "暂缓流失", "已经流失"), 1)
    ),
    *(
        (DictType.CHANCE_WON_REASON, name, name, True)
        for name in ("价格优势", "产品质量", "服务满意", "老客户关系")
    ),
    *(
        (DictType.CHANCE_LOST_REASON, name, name, True)
        for name in ("价格因素", "选择了竞争对手", "需求取消", "无法联系")
    ),
    *((DictType.CAMPAIGN_KIND, item, value, True) for value, item in CAMPAIGN_KINDS),
)


@transaction.atomic
def dictionary_seed_defaults(*, using: str = "default") -> None:
    """Give every default type that has no entries yet the original system's entries (a fresh
    or flushed database, or a type added by a later release); types in use are left alone."""
    items = DictItem.objects.using(using)
    present = set(items.values_list("type", flat=True).distinct())
    items.bulk_create(
        DictItem(type=type_, item=item, value=value, is_editable=editable)
        for type_, item, value, editable in DEFAULT_DICTIONARY
        if type_ not in present
    )
    forget_dictionary_choices()  # bulk_create sends no post_save


# Dictionary -------------------------------------------------------------------------------------


def _check_dictionary_right(actor: User) -> None:
    if not can_change_dictionary(actor):
        raise ValidationError(DICTIONARY_DENIED)


def _check_product_right(actor: User) -> None:
    if not can_change_products(actor):
        raise ValidationError(PRODUCTS_DENIED)


def _check_editable(item: DictItem) -> None:
    if not item.is_editable:
        raise ValidationError(ITEM_FIXED % {"item": item.item})


def _check_unique(item: DictItem) -> None:
    clash = DictItem.objects.filter(type=item.type, value=item.value).exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"value": VALUE_TAKEN % {"type": item.type, "value": item.value}})


@transaction.atomic
def dict_item_create(
    *, actor: User, type: str, item: str, value: str, is_editable: bool
) -> DictItem:
    _check_dictionary_right(actor)
    entry = DictItem(
        type=type.strip(), item=item.strip(), value=value.strip(), is_editable=is_editable
    )
    _check_unique(entry)
    entry.save()
    return entry


@transaction.atomic
def dict_item_update(
    *, actor: User, entry: DictItem, type: str, item: str, value: str, is_editable: bool
) -> DictItem:
    _check_dictionary_right(actor)
    entry = DictItem.objects.select_for_update().get(pk=entry.pk)
    _check_editable(entry)
    entry.type, entry.item, entry.value = type.strip(), item.strip(), value.strip()
    entry.is_editable = is_editable
    _check_unique(entry)
    entry.save()
    return entry


@transaction.atomic
def dict_item_delete(*, actor: User, entry: DictItem) -> None:
    _check_dictionary_right(actor)
    entry = DictItem.objects.select_for_update().get(pk=entry.pk)
    _check_editable(entry)
    try:
        with transaction.atomic():
            entry.delete()
    except ProtectedError as error:
        raise ValidationError(
            ITEM_IN_USE % {"item": entry.item, "count": len(error.protected_objects)}
        ) from error


# Products and stock -----------------------------------------------------------------------------

PRODUCT_FIELDS = ("name", "model", "batch", "unit", "price", "memo")
STOCK_FIELDS = ("product", "warehouse", "location", "count", "safety_level", "memo")


def _check_product_unique(product: Product) -> None:
    clash = Product.objects.filter(
        name=product.name, model=product.model, batch=product.batch
    ).exclude(pk=product.pk)
    if clash.exists():
        raise ValidationError({"batch": PRODUCT_TAKEN})


@transaction.atomic
def product_save(*, actor: User, product: Product, **values: Any) -> Product:
    """Create (`product` unsaved) or update a product with the given field values."""
    _check_product_right(actor)
    for name in PRODUCT_FIELDS:
        if name in values:
            setattr(product, name, values[name])
    _check_product_unique(product)
    product.save()
    return product


@transaction.atomic
def product_delete(*, actor: User, product: Product) -> None:
    _check_product_right(actor)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.stock.exists() or product.order_lines.exists():
        raise ValidationError(PRODUCT_IN_USE % {"product": product.label})
    product.delete()


@transaction.atomic
def stock_save(*, actor: User, stock: Stock, **values: Any) -> Stock:
    _check_product_right(actor)
    for name in STOCK_FIELDS:
        if name in values:
            setattr(stock, name, values[name])
    clash = Stock.objects.filter(
        product=stock.product, warehouse=stock.warehouse, location=stock.location
    ).exclude(pk=stock.pk)
    if clash.exists():
        raise ValidationError({"location": STOCK_TAKEN})
    stock.save()
    return stock


@transaction.atomic
def stock_delete(*, actor: User, stock: Stock) -> None:
    _check_product_right(actor)
    Stock.objects.filter(pk=stock.pk).delete()

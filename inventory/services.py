"""Every write of the base-data module."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from accounts.models import User
from inventory.models import DictItem, DictType, Product, Stock

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
)


@transaction.atomic
def dictionary_seed_defaults(*, using: str = "default") -> None:
    """Fill an empty dictionary with the original system's entries (a fresh or flushed database)."""
    items = DictItem.objects.using(using)
    if items.exists():
        return
    items.bulk_create(
        DictItem(type=type_, item=item, value=value, is_editable=editable)
        for type_, item, value, editable in DEFAULT_DICTIONARY
    )


# Dictionary -------------------------------------------------------------------------------------


def _check_editable(item: DictItem) -> None:
    if not item.is_editable:
        raise ValidationError(
            _("“%(item)s” is a fixed dictionary entry and cannot be changed.") % {"item": item.item}
        )


def _check_unique(item: DictItem) -> None:
    clash = DictItem.objects.filter(type=item.type, value=item.value).exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError(
            {
                "value": _("The type “%(type)s” has the value “%(value)s” already.")
                % {"type": item.type, "value": item.value}
            }
        )


@transaction.atomic
def dict_item_create(
    *, actor: User, type: str, item: str, value: str, is_editable: bool
) -> DictItem:
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
    entry = DictItem.objects.select_for_update().get(pk=entry.pk)
    _check_editable(entry)
    entry.type, entry.item, entry.value = type.strip(), item.strip(), value.strip()
    entry.is_editable = is_editable
    _check_unique(entry)
    entry.save()
    return entry


@transaction.atomic
def dict_item_delete(*, actor: User, entry: DictItem) -> None:
    entry = DictItem.objects.select_for_update().get(pk=entry.pk)
    _check_editable(entry)
    try:
        with transaction.atomic():
            entry.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("“%(item)s” is used by %(count)d record(s) and cannot be deleted.")
            % {"item": entry.item, "count": len(error.protected_objects)}
        ) from error


# Products and stock -----------------------------------------------------------------------------

PRODUCT_FIELDS = ("name", "model", "batch", "unit", "price", "memo")
STOCK_FIELDS = ("product", "warehouse", "location", "count", "safety_level", "memo")


def _check_product_unique(product: Product) -> None:
    clash = Product.objects.filter(
        name=product.name, model=product.model, batch=product.batch
    ).exclude(pk=product.pk)
    if clash.exists():
        raise ValidationError(
            {"batch": _("A product with this name, model and batch exists already.")}
        )


@transaction.atomic
def product_save(*, actor: User, product: Product, **values: Any) -> Product:
    """Create (`product` unsaved) or update a product with the given field values."""
    for name in PRODUCT_FIELDS:
        if name in values:
            setattr(product, name, values[name])
    _check_product_unique(product)
    product.save()
    return product


@transaction.atomic
def product_delete(*, actor: User, product: Product) -> None:
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.stock.exists() or product.order_lines.exists():
        raise ValidationError(
            _("“%(product)s” has stock or order lines and cannot be deleted.")
            % {"product": product.label}
        )
    product.delete()


@transaction.atomic
def stock_save(*, actor: User, stock: Stock, **values: Any) -> Stock:
    for name in STOCK_FIELDS:
        if name in values:
            setattr(stock, name, values[name])
    clash = Stock.objects.filter(
        product=stock.product, warehouse=stock.warehouse, location=stock.location
    ).exclude(pk=stock.pk)
    if clash.exists():
        raise ValidationError(
            {"location": _("This product has a stock row at this location already.")}
        )
    stock.save()
    return stock


@transaction.atomic
def stock_delete(*, actor: User, stock: Stock) -> None:
    Stock.objects.filter(pk=stock.pk).delete()

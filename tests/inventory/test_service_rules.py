"""The base-data write services refuse users without the right, with their message constants;
and their own errors, matched through the constants."""

import pytest
from django.core.exceptions import ValidationError

from inventory import services
from inventory.models import DictItem, DictType, Product, Stock
from tests.factories.inventory import DictItemFactory, ProductFactory, StockFactory
from tests.factories.sales import OrderLineFactory

pytestmark = pytest.mark.django_db


def _refused(message, call, **kwargs) -> None:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert error.value.messages == [str(message)]


ENTRY = {"type": DictType.REGION, "item": "西南", "value": "西南", "is_editable": True}


def test_only_the_dictionary_right_changes_the_dictionary(manager, supervisor) -> None:
    entry = DictItemFactory()
    for user in (manager, supervisor):
        _refused(services.DICTIONARY_DENIED, services.dict_item_create, actor=user, **ENTRY)
        _refused(
            services.DICTIONARY_DENIED,
            services.dict_item_update,
            actor=user,
            entry=entry,
            **ENTRY,
        )
        _refused(services.DICTIONARY_DENIED, services.dict_item_delete, actor=user, entry=entry)
    assert not DictItem.objects.filter(item="西南").exists()
    assert DictItem.objects.filter(pk=entry.pk).exists()


def test_dictionary_errors(admin_user) -> None:
    entry = services.dict_item_create(actor=admin_user, **ENTRY)
    _refused(
        services.VALUE_TAKEN % {"type": DictType.REGION, "value": "西南"},
        services.dict_item_create,
        actor=admin_user,
        **ENTRY,
    )
    fixed = DictItem.objects.filter(is_editable=False).first()
    assert fixed is not None
    _refused(
        services.ITEM_FIXED % {"item": fixed.item},
        services.dict_item_delete,
        actor=admin_user,
        entry=fixed,
    )
    services.dict_item_delete(actor=admin_user, entry=entry)
    assert not DictItem.objects.filter(pk=entry.pk).exists()


def test_only_the_product_right_changes_products_and_stock(manager, executive) -> None:
    product = ProductFactory()
    stock = StockFactory(product=product)
    for user in (manager, executive):
        _refused(
            services.PRODUCTS_DENIED,
            services.product_save,
            actor=user,
            product=Product(),
            name="新品",
        )
        _refused(services.PRODUCTS_DENIED, services.product_delete, actor=user, product=product)
        _refused(services.PRODUCTS_DENIED, services.stock_save, actor=user, stock=stock, count=1)
        _refused(services.PRODUCTS_DENIED, services.stock_delete, actor=user, stock=stock)
    stock.refresh_from_db()
    assert stock.count == 16
    assert Product.objects.count() == 1


def test_product_and_stock_errors(admin_user) -> None:
    product = ProductFactory()
    twin = {"name": product.name, "model": product.model, "batch": product.batch}
    _refused(
        services.PRODUCT_TAKEN, services.product_save, actor=admin_user, product=Product(), **twin
    )
    stock = StockFactory(product=product)
    _refused(
        services.STOCK_TAKEN,
        services.stock_save,
        actor=admin_user,
        stock=Stock(),
        product=product,
        warehouse=stock.warehouse,
        location=stock.location,
        count=1,
    )
    _refused(
        services.PRODUCT_IN_USE % {"product": product.label},
        services.product_delete,
        actor=admin_user,
        product=product,
    )
    services.stock_delete(actor=admin_user, stock=stock)
    OrderLineFactory(product=product)
    _refused(
        services.PRODUCT_IN_USE % {"product": product.label},
        services.product_delete,
        actor=admin_user,
        product=product,
    )


def test_an_entry_in_use_is_not_deleted(admin_user) -> None:
    entry = DictItemFactory()
    OrderLineFactory(order__customer__region=entry)
    _refused(
        services.ITEM_IN_USE % {"item": entry.item, "count": 1},
        services.dict_item_delete,
        actor=admin_user,
        entry=entry,
    )


def test_stock_is_saved_and_the_dictionary_seeded_once(admin_user) -> None:
    stock = services.stock_save(
        actor=admin_user,
        stock=Stock(),
        product=ProductFactory(),
        warehouse="上海库",
        location="A1",
        count=3,
    )
    assert Stock.objects.get().pk == stock.pk
    before = DictItem.objects.count()
    services.dictionary_seed_defaults()
    assert DictItem.objects.count() == before

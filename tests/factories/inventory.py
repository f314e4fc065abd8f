from decimal import Decimal

import factory

from inventory.models import DictItem, DictType, Product, Stock


def dict_item(type_: str, value: str) -> DictItem:
    """A seeded dictionary entry, e.g. dict_item(DictType.REGION, "北京")."""
    return DictItem.objects.get(type=type_, value=value)


def region(value: str = "北京") -> DictItem:
    return dict_item(DictType.REGION, value)


def level(value: int = 1) -> DictItem:
    return dict_item(DictType.CUSTOMER_LEVEL, str(value))


def service_type(value: str = "咨询") -> DictItem:
    return dict_item(DictType.SERVICE_TYPE, value)


class DictItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DictItem

    type = DictType.REGION
    item = factory.Sequence(lambda n: f"地区{n}")
    value = factory.LazyAttribute(lambda o: o.item)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"海龙笔记本电脑{n}")
    model = factory.Sequence(lambda n: f"i{60 + n}")
    batch = factory.Sequence(lambda n: f"2688 {9966 + n}")
    unit = "台"
    price = Decimal("9800.00")


class StockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stock

    product = factory.SubFactory(ProductFactory)
    warehouse = "北京-西直门库"
    location = factory.Sequence(lambda n: f"EC-D{n}")
    count = 16

from functools import cached_property
from typing import Any

from tests.access.matrix import Case, allow


class InventoryWorld:
    users: dict[str, Any]

    @cached_property
    def dict_entry(self) -> Any:
        from tests.factories.inventory import DictItemFactory

        return DictItemFactory()

    @cached_property
    def product(self) -> Any:
        from tests.factories.inventory import ProductFactory

        return ProductFactory()

    @cached_property
    def stock(self) -> Any:
        from tests.factories.inventory import StockFactory

        return StockFactory()


ADMIN = allow("admin")
READERS = allow("admin", "manager", "other_manager")

CASES = [
    Case("inventory:dict-list", ADMIN),
    Case("inventory:dict-create", ADMIN),
    Case("inventory:dict-edit", ADMIN, kwargs=lambda w: {"pk": w.dict_entry.pk}),
    Case("inventory:dict-delete", ADMIN, kwargs=lambda w: {"pk": w.dict_entry.pk}),
    Case("inventory:product-list", READERS),
    Case("inventory:product-create", ADMIN),
    Case("inventory:product-import", ADMIN),
    Case("inventory:product-edit", ADMIN, kwargs=lambda w: {"pk": w.product.pk}),
    Case("inventory:product-delete", ADMIN, kwargs=lambda w: {"pk": w.product.pk}),
    Case(
        "inventory:product-delete",
        allow("admin", ok=302),
        kwargs=lambda w: {"pk": w.product.pk},
        method="post",
        label="post",
    ),
    Case("inventory:stock-list", READERS),
    Case("inventory:stock-create", ADMIN),
    Case("inventory:stock-import", ADMIN),
    Case("inventory:stock-edit", ADMIN, kwargs=lambda w: {"pk": w.stock.pk}),
    Case("inventory:stock-delete", ADMIN, kwargs=lambda w: {"pk": w.stock.pk}),
]

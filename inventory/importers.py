"""Imports from the sales system: products and stock (CSV or XLSX, all or nothing).

A row naming an existing product (name, model and batch) or stock place (product, warehouse,
location) updates it; any other row adds one. Both are written with one upserting bulk insert.
"""

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.imports import Column, Importer, RowInvalid, parse_decimal, parse_int, register, required
from inventory.models import Product, Stock


def _check_lengths(
    model: type[models.Model],
    columns: tuple[str, ...],
    values: dict[str, str],
    problems: list[tuple[str, str]],
) -> None:
    """A problem for each column longer than its model field allows."""
    for column in columns:
        limit = getattr(model._meta.get_field(column), "max_length", None)
        if limit is not None and len(values.get(column, "").strip()) > limit:
            problems.append((column, _("Longer than %(limit)d characters.") % {"limit": limit}))


def _product_key(name: str, model: str, batch: str) -> tuple[str, str, str]:
    return (name.strip(), model.strip(), batch.strip())


@register
class ProductImporter(Importer):
    name = "products"
    title = gettext_lazy("Products")
    permission = "inventory.change_product"
    columns = (
        Column("name", pgettext_lazy("product", "Name")),
        Column("model", gettext_lazy("Model")),
        Column("batch", gettext_lazy("Grade/batch"), required=False),
        Column("unit", gettext_lazy("Unit"), required=False),
        Column("price", gettext_lazy("Unit price (CNY)"), required=False),
        Column("memo", gettext_lazy("Remark"), required=False),
    )
    example_rows = (("海龙笔记本电脑", "i60", "2688 9966", "台", "9800", ""),)

    def prepare(self) -> None:
        self.seen: set[tuple[str, str, str]] = set()

    def parse(self, values: dict[str, str]) -> Product:
        problems: list[tuple[str, str]] = []
        name = required(values, "name", problems)
        model = required(values, "model", problems)
        price = None
        if values.get("price", "").strip():
            try:
                price = parse_decimal(values["price"])
            except ValueError as error:
                problems.append(("price", str(error)))
        _check_lengths(Product, ("name", "model", "batch", "unit", "memo"), values, problems)
        key = _product_key(name, model, values.get("batch", ""))
        if key in self.seen:
            problems.append(("name", _("The same product appears twice in the file.")))
        if problems:
            raise RowInvalid(*problems)
        self.seen.add(key)
        return Product(
            name=key[0],
            model=key[1],
            batch=key[2],
            unit=values.get("unit", "").strip(),
            price=price,
            memo=values.get("memo", "").strip(),
        )

    def write(self, items: list[Product]) -> int:
        Product.objects.bulk_create(
            items,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["name", "model", "batch"],
            update_fields=["unit", "price", "memo", "updated_at"],
        )
        return len(items)


@register
class StockImporter(Importer):
    name = "stock"
    title = gettext_lazy("Stock")
    permission = "inventory.change_product"
    columns = (
        Column("name", gettext_lazy("Product name")),
        Column("model", gettext_lazy("Model")),
        Column("batch", gettext_lazy("Grade/batch"), required=False),
        Column("warehouse", gettext_lazy("Warehouse")),
        Column("location", gettext_lazy("Location")),
        Column("count", gettext_lazy("Count")),
        Column("safety_level", gettext_lazy("Safety level"), required=False),
        Column("memo", gettext_lazy("Remark"), required=False),
    )
    example_rows = (
        ("海龙笔记本电脑", "i60", "2688 9966", "北京-西直门库", "EC-D2", "16", "5", ""),
    )

    def prepare(self) -> None:
        self.products: dict[tuple[str, str, str], int] = {
            (name, model, batch): pk
            for pk, name, model, batch in Product.objects.values_list(
                "pk", "name", "model", "batch"
            )
        }
        self.seen: set[tuple[Any, ...]] = set()

    def parse(self, values: dict[str, str]) -> Stock:
        problems: list[tuple[str, str]] = []
        name = required(values, "name", problems)
        model = required(values, "model", problems)
        warehouse = required(values, "warehouse", problems)
        location = required(values, "location", problems)
        numbers = {}
        for key in ("count", "safety_level"):
            text = values.get(key, "").strip()
            if not text and key == "safety_level":
                numbers[key] = 0
                continue
            try:
                numbers[key] = parse_int(text, minimum=0, maximum=2_000_000_000)
            except ValueError as error:
                problems.append((key, str(error)))
        _check_lengths(Stock, ("warehouse", "location", "memo"), values, problems)
        product_key = _product_key(name, model, values.get("batch", ""))
        product_id = self.products.get(product_key)
        if name and model and product_id is None:
            problems.append(
                (
                    "name",
                    _("Unknown product “%(product)s”.")
                    % {"product": "-".join(p for p in product_key if p)},
                )
            )
        place = (product_id, warehouse, location)
        if product_id and place in self.seen:
            problems.append(("location", _("The same stock place appears twice in the file.")))
        if problems:
            raise RowInvalid(*problems)
        self.seen.add(place)
        assert product_id is not None  # noqa: S101 - an unknown product raised above
        return Stock(
            product_id=product_id,
            warehouse=warehouse,
            location=location,
            count=numbers["count"],
            safety_level=numbers["safety_level"],
            memo=values.get("memo", "").strip(),
        )

    def write(self, items: list[Stock]) -> int:
        Stock.objects.bulk_create(
            items,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["product", "warehouse", "location"],
            update_fields=["count", "safety_level", "memo", "updated_at"],
        )
        return len(items)

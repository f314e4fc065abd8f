from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import Product, Stock
from tests.factories.inventory import ProductFactory, StockFactory
from tests.factories.sales import OrderLineFactory

pytestmark = pytest.mark.django_db


def test_manager_queries_products_and_cannot_change_them(client, manager) -> None:
    ProductFactory(name="海龙笔记本电脑", model="i60")
    ProductFactory(name="幸福牌电视机", model="818 FFT")
    client.force_login(manager)

    response = client.get(reverse("inventory:product-list"), {"name": "海龙"})

    assert [p.name for p in response.context["object_list"]] == ["海龙笔记本电脑"]
    assert reverse("inventory:product-create") not in response.content.decode()
    assert client.post(reverse("inventory:product-create"), {"name": "x"}).status_code == 403


def test_admin_creates_and_edits_a_product(client, admin_user) -> None:
    client.force_login(admin_user)
    data = {
        "name": "幸福牌收音机",
        "model": "天语007",
        "batch": "7878 006A",
        "unit": "台",
        "price": "36",
    }
    client.post(reverse("inventory:product-create"), data)
    product = Product.objects.get(name="幸福牌收音机")
    assert product.price == Decimal(36)

    client.post(reverse("inventory:product-edit", args=[product.pk]), {**data, "price": "38.50"})
    product.refresh_from_db()
    assert product.price == Decimal("38.50")


def test_negative_or_text_price_is_refused(client, admin_user) -> None:
    client.force_login(admin_user)
    for price in ("-1", "abc"):
        response = client.post(
            reverse("inventory:product-create"), {"name": "A", "model": "B", "price": price}
        )
        assert "price" in response.context["form"].errors
    assert not Product.objects.exists()


def test_a_product_with_stock_or_order_lines_cannot_be_deleted(client, admin_user) -> None:
    stocked = StockFactory().product
    ordered = ProductFactory()
    OrderLineFactory(product=ordered)
    free = ProductFactory()
    client.force_login(admin_user)

    for product in (stocked, ordered):
        response = client.post(reverse("inventory:product-delete", args=[product.pk]), follow=True)
        assert "cannot be deleted" in response.content.decode()
    client.post(reverse("inventory:product-delete", args=[free.pk]))

    assert set(Product.objects.values_list("pk", flat=True)) == {stocked.pk, ordered.pk}


def test_stock_shows_the_product_label_and_filters_low_rows(client, manager) -> None:
    low = StockFactory(count=3, safety_level=10, warehouse="北京-马甸库")
    StockFactory(count=30, safety_level=10, warehouse="北京-马甸库")
    client.force_login(manager)

    everything = client.get(reverse("inventory:stock-list"), {"warehouse": "马甸"})
    only_low = client.get(reverse("inventory:stock-list"), {"low": "true"})

    assert len(everything.context["object_list"]) == 2
    assert low.product.label in everything.content.decode()
    assert everything.content.decode().count('data-low="1"') == 1
    assert [s.pk for s in only_low.context["object_list"]] == [low.pk]


def test_deep_stock_pages_keep_computed_columns(client, manager) -> None:
    """The stock list annotates each row's shortfall; deep pages, read in two steps, keep it."""
    rows = [StockFactory(count=index % 7, safety_level=3) for index in range(120)]
    client.force_login(manager)

    page = client.get(reverse("inventory:stock-list"), {"per_page": 50, "page": 3})

    shown = page.context["object_list"]
    assert [s.pk for s in shown] == [s.pk for s in rows[100:]]
    assert [s.shortfall for s in shown] == [3 - s.count for s in rows[100:]]
    assert page.content.decode().count('data-low="1"') == sum(s.count < 3 for s in rows[100:])


def test_stock_place_is_unique(client, admin_user) -> None:
    existing = StockFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("inventory:stock-create"),
        {
            "product": existing.product.pk,
            "warehouse": existing.warehouse,
            "location": existing.location,
            "count": 1,
            "safety_level": 0,
        },
    )
    assert response.status_code == 200
    assert Stock.objects.count() == 1


@pytest.mark.parametrize("size", [3, 30])
def test_product_and_stock_lists_query_counts(
    client, manager, django_assert_max_num_queries, size
) -> None:
    StockFactory.create_batch(size)
    client.force_login(manager)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("inventory:product-list"), {"o": "-price"}).status_code == 200
    with django_assert_max_num_queries(7):
        response = client.get(reverse("inventory:stock-list"), {"product": "海龙", "o": "product"})
    assert len(response.context["object_list"]) == min(size, 10)

"""Demo products and stock for `seed_demo`: the original system's samples (SEED_SPEC §4.4)."""

from decimal import Decimal

from inventory.models import Product, Stock

PRODUCTS = (  # name, model, batch, unit, price, remark
    ("幸福牌电视机", "818 FFT", "2388 EA03", "台", "7500", "代生产"),
    ("幸福牌收音机", "天语007", "7878 006A", "台", "36", ""),
    ("海龙笔记本电脑", "i60", "2688 9966", "台", "9800", ""),
    ("海龙笔记本电脑", "i61", "2689 6688", "台", "16800", ""),
    ("海龙笔记本电脑", "i61", "2689 6689", "台", "15800", ""),
)
STOCK = (  # product index, warehouse, location, count, safety level
    (0, "北京-西直门库", "EC-D2", 16, 10),
    (1, "北京-大钟寺库", "EA-B8", 12, 5),
    (2, "北京-马甸库", "EA-A6", 8, 10),
    (3, "天津-恒远电子C库", "北26位", 36, 10),
    (3, "天津-恒远电子C库", "北27位", 36, 10),
    (4, "天津-恒远电子C库", "北28位", 30, 10),
)


def seed() -> list[Product]:
    """Create the sample products and stock when missing; running it again adds nothing."""
    products = []
    for name, model, batch, unit, price, memo in PRODUCTS:
        product, _created = Product.objects.get_or_create(
            name=name,
            model=model,
            batch=batch,
            defaults={"unit": unit, "price": Decimal(price), "memo": memo},
        )
        products.append(product)
    for index, warehouse, location, count, safety in STOCK:
        Stock.objects.get_or_create(
            product=products[index],
            warehouse=warehouse,
            location=location,
            defaults={"count": count, "safety_level": safety},
        )
    return products

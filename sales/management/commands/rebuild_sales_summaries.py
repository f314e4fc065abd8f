"""`manage.py rebuild_sales_summaries`: recompute the monthly sales summaries from the orders."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from sales.summaries import rebuild


class Command(BaseCommand):
    help = (
        "Recompute the monthly sales summaries (per customer, per product, and per manager and "
        "product) from every order; "
        "the writes of the application keep them exact, so this is needed only after writing "
        "orders outside it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        customers, products, managers = rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{customers:,} customer-month, {products:,} product-month and {managers:,} "
                f"manager-product-month rows in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

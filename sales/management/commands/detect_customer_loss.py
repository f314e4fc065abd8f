from django.core.management.base import BaseCommand

from sales.services import detect_customer_loss


class Command(BaseCommand):
    help = "Open a loss warning for customers without an order for six months (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        opened = detect_customer_loss()
        self.stdout.write(f"{opened} loss warning(s) opened.")

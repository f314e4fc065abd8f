from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from inventory import demo as inventory_demo
from marketing import demo as marketing_demo
from sales import demo as sales_demo
from service import demo as service_demo
from tasks import demo as tasks_demo


class Command(BaseCommand):
    help = "Create the demo users and data; running it again adds nothing twice."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        users = accounts_demo.seed()
        inventory_demo.seed()
        sales_demo.seed(users)
        marketing_demo.seed(users)
        service_demo.seed(users)
        tasks_demo.seed(users)
        marketing_demo.seed_quotes(users)
        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000 as:")
        )
        for username, *_rest in DEMO_USERS:
            self.stdout.write(f"  {username:<12} password {DEMO_PASSWORD}")

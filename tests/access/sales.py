from functools import cached_property
from typing import Any

from tests.access.matrix import Case, allow

CUSTOMER_READERS = ("supervisor", "manager", "other_manager", "executive")


class SalesWorld:
    users: dict[str, Any]

    @cached_property
    def customer(self) -> Any:
        from tests.factories.sales import CustomerFactory

        return CustomerFactory(manager=self.users["manager"])


def _customer(world):
    return {"number": world.customer.number}


CASES = [
    Case("sales:customer-list", allow(*CUSTOMER_READERS)),
    Case(
        "sales:customer-detail",
        allow("supervisor", "manager", "executive", other_manager=404),
        kwargs=_customer,
    ),
]

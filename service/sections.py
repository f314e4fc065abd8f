"""The service module's section of the customer page (registered from `ServiceConfig.ready`)."""

from collections.abc import Mapping
from typing import Any

from accounts.models import User
from sales.models import Customer
from sales.sections import register_customer_section
from service.selectors import customer_tickets

TICKETS_ORDER = 100


def tickets_context(user: User, customer: Customer) -> Mapping[str, Any]:
    return {"tickets": customer_tickets(user, customer)}


def register() -> None:
    register_customer_section(
        order=TICKETS_ORDER, template="service/_customer_tickets.html", context=tickets_context
    )

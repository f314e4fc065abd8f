"""The tasks module's section of the customer page: the customer's open tasks and a quick add."""

from collections.abc import Mapping
from typing import Any

from accounts.models import User
from sales.models import Customer
from sales.sections import register_customer_section
from tasks.permissions import VIEW_RIGHT
from tasks.selectors import customer_open_tasks

TASKS_ORDER = 50  # before the service requests (100): the rep's next steps come first


def customer_tasks_context(user: User, customer: Customer) -> Mapping[str, Any]:
    """One query, whatever the number of tasks; none for users without the tasks right."""
    if not user.has_perm(VIEW_RIGHT):
        return {"customer_tasks": None}
    return {"customer_tasks": customer_open_tasks(user, customer)}


def register() -> None:
    register_customer_section(
        order=TASKS_ORDER, template="tasks/_customer_tasks.html", context=customer_tasks_context
    )

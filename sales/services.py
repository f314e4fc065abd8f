"""Every write of the customers module."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from crm.services import sequence_next
from sales.models import Contact, Customer

CUSTOMER_SEQUENCE = "customer"


def customer_numbers(count: int = 1) -> list[str]:
    """Reserve `count` new customer numbers: KH + yymmdd + a counter, at most 17 characters.

    The counter is global and locked while the caller's transaction runs, so numbers stay unique
    under concurrent creation (and a rolled-back creation gives its number back).
    """
    first = sequence_next(key=CUSTOMER_SEQUENCE, count=count)
    today = timezone.localdate()
    return [f"KH{today:%y%m%d}{number:05d}" for number in range(first, first + count)]


@transaction.atomic
def customer_create(*, actor: User, name: str, manager: User, **fields: Any) -> Customer:
    """Create a customer with a new KH number (manually, or from a won opportunity)."""
    customer = Customer(number=customer_numbers()[0], name=name, manager=manager, **fields)
    customer.full_clean(exclude=["number"])
    customer.save()
    return customer


@transaction.atomic
def contact_create(*, actor: User, customer: Customer, name: str, **fields: Any) -> Contact:
    """Add a contact person to a customer."""
    contact = Contact(customer=customer, name=name, **fields)
    contact.full_clean(exclude=["customer"])
    contact.save()
    return contact

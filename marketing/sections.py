"""The marketing module's section of the customer page (registered from `MarketingConfig.ready`)."""

from collections.abc import Mapping
from typing import Any

from accounts.models import User
from marketing.selectors import customer_quotes
from sales.models import Customer
from sales.sections import register_customer_section

QUOTES_ORDER = 120


def quotes_context(user: User, customer: Customer) -> Mapping[str, Any]:
    """The customer's newest quotes; none read without the quote right."""
    if not user.has_perm("marketing.view_quote"):
        return {"quotes": None}
    return {"quotes": customer_quotes(user, customer)}


def register() -> None:
    register_customer_section(
        order=QUOTES_ORDER, template="marketing/_customer_quotes.html", context=quotes_context
    )

"""Global search: one query across customers, contacts, opportunities, tickets and orders.

Each app's own selector finds its rows inside the user's visibility (the same rules as its lists);
this module only chooses the term and groups the answers."""

from dataclasses import dataclass, field
from typing import Any

from accounts.models import User
from core.textsearch import search_term
from marketing.selectors import chance_search
from sales.selectors import contact_search, customer_search, order_search
from service.selectors import service_request_search

LIVE_LIMIT = 5  # per kind, in the top bar's drop-down
PAGE_LIMIT = 20  # per kind, on the results page


@dataclass
class SearchResults:
    term: str = ""
    customers: list[Any] = field(default_factory=list)
    contacts: list[Any] = field(default_factory=list)
    chances: list[Any] = field(default_factory=list)
    tickets: list[Any] = field(default_factory=list)
    orders: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(group)
            for group in (self.customers, self.contacts, self.chances, self.tickets, self.orders)
        )


def global_search(*, user: User, query: str | None, limit: int = PAGE_LIMIT) -> SearchResults:
    """Everything the user may see that matches the query; nothing (and no query run) when the
    normalised query is shorter than two characters."""
    term = search_term(query)
    if not term:
        return SearchResults()
    return SearchResults(
        term=term,
        customers=customer_search(user=user, term=term, limit=limit),
        contacts=contact_search(user=user, term=term, limit=limit),
        chances=chance_search(user=user, term=term, limit=limit),
        tickets=service_request_search(user=user, term=term, limit=limit),
        orders=order_search(user=user, term=term, limit=limit),
    )

"""Sections other modules add to the customer page, so that sales imports none of them.

A module registers a section from its `AppConfig.ready()`:

    register_customer_section(order=100, template="service/_customer_tickets.html",
                              context=lambda user, customer: {"tickets": ...})

The page renders the sections by `order` after its own parts, each template seeing the page's
context plus what its context function returned. A context function reads what its section shows
in a fixed number of queries (the page's query count must not grow with the data).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from accounts.models import User
from sales.models import Customer

SectionContext = Callable[[User, Customer], Mapping[str, Any]]


@dataclass(frozen=True)
class CustomerSection:
    order: int
    template: str
    context: SectionContext


@dataclass(frozen=True)
class BoundSection:
    """A section ready to render on one customer's page."""

    template: str
    context: Mapping[str, Any]


_SECTIONS: dict[str, CustomerSection] = {}


def register_customer_section(*, order: int, template: str, context: SectionContext) -> None:
    """Add a section to the customer page; registering a template again replaces it."""
    _SECTIONS[template] = CustomerSection(order=order, template=template, context=context)


def registered_sections() -> list[CustomerSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.template))


def customer_sections(user: User, customer: Customer) -> list[BoundSection]:
    """The sections of one customer's page for one user, in order, with their context read."""
    return [
        BoundSection(template=section.template, context=section.context(user, customer))
        for section in registered_sections()
    ]


ATTACHMENTS_ORDER = 150  # after the service requests (100), before the timeline (200)


def attachments_context(user: User, customer: Customer) -> Mapping[str, Any]:
    """No query: the panel loads itself with htmx."""
    return {"attachment_kind": "customer", "attachment_id": customer.pk}


def register_attachments() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from documents.registry import register_attachment_target
    from sales.permissions import visible_customers

    register_attachment_target(
        "customer", model=Customer, visible=visible_customers, label=_("Customer"),
        url=lambda customer: reverse("sales:customer-detail", args=[customer.number]),
    )  # fmt: skip
    register_customer_section(
        order=ATTACHMENTS_ORDER, template="documents/_attachments.html", context=attachments_context
    )

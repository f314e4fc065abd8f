"""The customer list as a file: the columns and rows shared by the download and background jobs."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.services import language_of
from core.exports import Exporter, register_exporter
from sales.models import Customer


def customer_headers() -> list[str]:
    return [
        _("Customer no."),
        pgettext("customer", "Name"),
        _("Region"),
        _("Customer manager"),
        _("Customer level"),
        _("Customer satisfaction"),
        _("Customer credit"),
        _("Address"),
        _("Phone"),
        _("Status"),
        _("Created"),
    ]


def customer_rows(customers: QuerySet[Customer]) -> Iterator[tuple[Any, ...]]:
    """One tuple per customer, read in chunks (constant memory, no per-row queries)."""
    statuses = dict(Customer.Status.choices)
    rows: Iterable[tuple[Any, ...]] = customers.values_list(
        "number",
        "name",
        "region__item",
        "manager__first_name",
        "manager__username",
        "level__item",
        "satisfaction",
        "credit",
        "address",
        "phone",
        "status",
        "created_at__date",
    ).iterator(chunk_size=5000)
    for (
        number,
        name,
        region,
        first_name,
        username,
        level,
        sat,
        credit,
        addr,
        phone,
        status,
        created,
    ) in rows:
        yield (
            number,
            name,
            region or "",
            first_name or username,
            level or "",
            sat,
            credit,
            addr,
            phone,
            str(statuses.get(status, status)),
            created,
        )


@register_exporter
class CustomerExporter(Exporter):
    """The customer list, filtered as on the page, for exports run in the background."""

    name = "customers"
    title = gettext_lazy("Customers")
    permission = "sales.export_customer"

    def queryset(self) -> QuerySet[Customer]:
        from sales.selectors import customer_list

        customers = customer_list(user=self.user, filters=self.params)
        return customers.qs if customers.is_valid() else customers.queryset.none()

    def headers(self) -> list[str]:
        with translation.override(language_of(self.user)):
            return customer_headers()

    def count(self) -> int:
        return self.queryset().count()

    def rows(self) -> Iterator[tuple[Any, ...]]:
        return customer_rows(self.queryset())

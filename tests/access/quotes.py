"""The quote pages (marketing) in the access matrix: manager1's quotes, one per status."""

import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from tests.access.matrix import Case, allow


class QuotesWorld:
    users: dict[str, Any]

    def _quote(self, discount: str = "0") -> Any:
        from django.utils import timezone

        from marketing import services
        from tests.factories.inventory import ProductFactory
        from tests.factories.sales import CustomerFactory

        manager = self.users["manager"]
        return services.quote_create(
            actor=manager,
            customer=CustomerFactory(manager=manager),
            lines=[{"product": ProductFactory(), "quantity": 1, "unit_price": Decimal(10),
                    "discount": Decimal(discount)}],
            valid_until=timezone.localdate() + datetime.timedelta(days=5),
        )  # fmt: skip

    @cached_property
    def draft_quote(self) -> Any:
        return self._quote()

    @cached_property
    def pending_quote(self) -> Any:
        from marketing import services

        quote = self._quote(discount="50")
        return services.quote_submit(actor=self.users["manager"], quote=quote)

    @cached_property
    def approved_quote(self) -> Any:
        from marketing import services

        return services.quote_submit(actor=self.users["manager"], quote=self._quote())

    @cached_property
    def sent_quote(self) -> Any:
        from marketing import services

        return services.quote_send(actor=self.users["manager"], quote=self.approved_quote)


def _draft(world: Any) -> dict[str, int]:
    return {"pk": world.draft_quote.pk}


def _pending(world: Any) -> dict[str, int]:
    return {"pk": world.pending_quote.pk}


def _approved(world: Any) -> dict[str, int]:
    return {"pk": world.approved_quote.pk}


def _sent(world: Any) -> dict[str, int]:
    return {"pk": world.sent_quote.pk}


READERS = ("supervisor", "manager", "other_manager", "executive")
WRITERS = ("supervisor", "manager", "other_manager")
# manager1's quote: supervisors and executives see every customer; other_manager none of his.
READ = allow("supervisor", "manager", "executive", other_manager=404)
WRITE = allow("supervisor", "manager", other_manager=404)
WRITE_POST = allow("supervisor", "manager", ok=302, other_manager=404)

CASES = [
    Case("marketing:quote-list", allow(*READERS)),
    Case("marketing:quote-list", allow(*READERS), query="?status=1&o=-amount", label="filtered"),
    Case("marketing:quote-export", allow(*READERS), query="?format=csv"),
    Case("marketing:quote-customers", allow(*WRITERS), query="?q=a"),
    Case("marketing:quote-create", allow(*WRITERS)),
    Case("marketing:quote-detail", READ, kwargs=_draft),
    Case("marketing:quote-pdf", READ, kwargs=_draft),
    Case("marketing:quote-history", READ, kwargs=_draft),
    Case("marketing:quote-edit", WRITE, kwargs=_draft),
    Case("marketing:quote-submit", WRITE_POST, kwargs=_draft, method="post"),
    Case("marketing:quote-copy", WRITE_POST, kwargs=_draft, method="post"),
    Case("marketing:quote-send", WRITE_POST, kwargs=_approved, method="post"),
    # Approval: the approve right first (403), then the quote.
    Case("marketing:quote-approve", allow("supervisor"), kwargs=_pending),
    Case(
        "marketing:quote-approve",
        allow("supervisor", ok=302),
        kwargs=_pending,
        method="post",
        label="post",
    ),
    Case("marketing:quote-reject", allow("supervisor"), kwargs=_pending),
    Case("marketing:quote-accept", WRITE, kwargs=_sent),
    Case("marketing:quote-accept", WRITE_POST, kwargs=_sent, method="post", label="post"),
    Case("marketing:quote-decline", WRITE, kwargs=_sent),
]


# The API's quote endpoints ----------------------------------------------------------------------


def _api_cases() -> list[Case]:
    from tests.access.api import api

    def new_quote(world: Any) -> dict[str, Any]:
        from tests.factories.inventory import ProductFactory

        return {
            "customer": world.draft_quote.customer.number,
            "valid_until": "2099-01-01",
            "lines": [{"product": ProductFactory().pk, "quantity": 2, "unit_price": "10.00"}],
        }

    own = api("supervisor", "manager", "executive", other_manager=404)
    write = api("supervisor", "manager", other_manager=404)
    return [
        Case("api:quote-list", api(*READERS)),
        Case(
            "api:quote-list",
            # other_manager may write quotes, but not to manager1's customer (400).
            api("supervisor", "manager", ok=201, other_manager=400),
            method="post",
            data=new_quote,
            label="create",
        ),
        Case("api:quote-detail", own, kwargs=_draft),
        Case(
            "api:quote-detail",
            write,
            kwargs=_draft,
            method="patch",
            data=lambda w: {"terms": "款到发货"},
            label="patch",
        ),
        Case("api:quote-submit", write, kwargs=_draft, method="post"),
        Case("api:quote-send", write, kwargs=_approved, method="post"),
        Case("api:quote-accept", write, kwargs=_sent, method="post"),
        Case("api:quote-decline", write, kwargs=_sent, method="post"),
        Case("api:quote-approve", api("supervisor"), kwargs=_pending, method="post"),
        Case(
            "api:quote-reject",
            api("supervisor"),
            kwargs=_pending,
            method="post",
            data=lambda w: {"comment": "折扣过高"},
        ),
    ]


CASES += _api_cases()

from functools import cached_property
from typing import Any

from tests.access.matrix import Case, allow


class ServiceWorld:
    users: dict[str, Any]

    @cached_property
    def ticket(self) -> Any:
        """A new ticket of manager1's customer."""
        from tests.factories.service import ServiceRequestFactory

        return ServiceRequestFactory(
            customer=self.customer,  # type: ignore[attr-defined]
            creator=self.users["manager"],
        )

    @cached_property
    def allocated(self) -> Any:
        from tests.factories.service import ServiceRequestFactory

        return ServiceRequestFactory(
            customer=self.customer,  # type: ignore[attr-defined]
            creator=self.users["manager"],
            assignee=self.users["manager"],
            status=2,
        )

    @cached_property
    def handled(self) -> Any:
        from tests.factories.service import ServiceRequestFactory

        return ServiceRequestFactory(
            customer=self.customer,  # type: ignore[attr-defined]
            creator=self.users["manager"],
            assignee=self.users["manager"],
            handler=self.users["manager"],
            status=3,
        )


CASES = [
    Case("service:create", allow("manager", "other_manager")),
    Case("service:customer-search", allow("manager", "other_manager"), query="?q=公司"),
    Case("service:allocate-list", allow("supervisor")),
    Case("service:handle-list", allow("manager", "other_manager")),
    Case("service:feedback-list", allow("manager", "other_manager")),
    Case("service:archive-list", allow("supervisor", "manager", "other_manager")),
    Case(
        "service:detail",
        allow("supervisor", "manager", other_manager=404),
        kwargs=lambda w: {"pk": w.ticket.pk},
    ),
    Case(
        "service:history",
        allow("supervisor", "manager", other_manager=404),
        kwargs=lambda w: {"pk": w.ticket.pk},
    ),
    Case(
        "service:allocate",
        allow("supervisor", ok=302),
        kwargs=lambda w: {"pk": w.ticket.pk},
        method="post",
    ),
    Case("service:delete", allow("supervisor"), kwargs=lambda w: {"pk": w.ticket.pk}),
    Case(
        "service:handle",
        allow("manager", other_manager=404),
        kwargs=lambda w: {"pk": w.allocated.pk},
    ),
    Case(
        "service:feedback",
        allow("manager", other_manager=404),
        kwargs=lambda w: {"pk": w.handled.pk},
    ),
]

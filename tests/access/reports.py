from functools import cached_property
from typing import Any

from reports.registry import REPORTS
from tests.access.matrix import ROLES, Case, allow

READERS = allow("supervisor", "manager", "other_manager", "executive")


class ReportsWorld:
    users: dict[str, Any]

    @cached_property
    def subscription(self) -> Any:
        """The supervisor's; the other schedulers (executive, managers) get 404 for it."""
        from reports.models import ReportSubscription

        return ReportSubscription.objects.create(
            name="周报", owner=self.users["supervisor"], report="composition", weekday=0
        )


# Customer managers subscribe themselves (the seeded role has the right); others' subscriptions
# are a 404 to them, as to the executive.
SCHEDULERS = allow("supervisor", "executive", "manager", "other_manager")
OWNER = allow("supervisor", executive=404, manager=404, other_manager=404)
OWNER_POST = allow("supervisor", ok=302, executive=404, manager=404, other_manager=404)


def _subscription(world: Any) -> dict[str, int]:
    return {"pk": world.subscription.pk}


def _unsubscribe_token(world: Any) -> str:
    from reports.services import unsubscribe_token

    return unsubscribe_token(world.subscription, world.users["manager"])


CASES = [
    *(Case(spec.url_name, READERS) for spec in REPORTS.values()),
    Case("reports:print", READERS, kwargs=lambda w: {"slug": "loss"}),
    Case("reports:export", READERS, kwargs=lambda w: {"slug": "composition", "fmt": "csv"}),
    Case(
        "reports:export",
        allow(ok=404, denied=404, admin=403),
        kwargs=lambda w: {"slug": "composition", "fmt": "doc"},
        label="unknown format",
    ),
    Case("reports:subscription-list", SCHEDULERS),
    Case("reports:subscription-create", SCHEDULERS),
    Case("reports:subscription-edit", OWNER, kwargs=_subscription),
    Case("reports:subscription-delete", OWNER, kwargs=_subscription),
    Case("reports:subscription-log", OWNER, kwargs=_subscription),
    Case("reports:subscription-toggle", OWNER_POST, kwargs=_subscription, method="post"),
    Case("reports:subscription-send", OWNER_POST, kwargs=_subscription, method="post"),
    Case(
        "reports:unsubscribe",
        dict.fromkeys(ROLES, 200),  # the signed token is the authority, no login needed
        kwargs=lambda w: {"token": _unsubscribe_token(w)},
    ),
    # The calendar (the tasks right) and its JSON feed; supervisors overlay a rep's calendar.
    Case("reports:calendar", allow("supervisor", "manager", "other_manager")),
    Case(
        "reports:calendar",
        allow("supervisor", "manager"),
        query=lambda w: f"?user={w.users['manager'].pk}",
        label="overlay",
    ),
    Case(
        "reports:calendar-events",
        allow("supervisor", "manager", "other_manager"),
        query="?start=2026-11-30T00:00:00%2B08:00&end=2027-01-11T00:00:00%2B08:00",
    ),
    Case(
        "reports:calendar-events",
        allow("supervisor", "manager"),
        query=lambda w: f"?start=2026-12-01&end=2026-12-08&user={w.users['manager'].pk}",
        label="overlay",
    ),
    Case(
        "reports:calendar-events",
        allow("supervisor", "manager", "other_manager", ok=400),
        query="?start=2026-12-08&end=2026-12-01",
        label="bad-range",
    ),
    Case(
        "reports:customer-timeline",
        allow("supervisor", "manager", "executive", other_manager=404),
        kwargs=lambda w: {"number": w.customer.number},
    ),
]

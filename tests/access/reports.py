from typing import Any

from tests.access.matrix import Case, allow

READERS = allow("supervisor", "manager", "other_manager", "executive")


class ReportsWorld:
    users: dict[str, Any]


CASES = [
    Case("reports:contribution", READERS),
    Case("reports:composition", READERS),
    Case("reports:service", READERS),
    Case("reports:loss", READERS),
    Case("reports:print", READERS, kwargs=lambda w: {"slug": "loss"}),
    Case("reports:export", READERS, kwargs=lambda w: {"slug": "composition", "fmt": "csv"}),
    Case(
        "reports:export",
        allow(ok=404, denied=404, admin=403),
        kwargs=lambda w: {"slug": "composition", "fmt": "doc"},
        label="unknown format",
    ),
]

from functools import cached_property
from typing import Any

from search.services import MERGE_FIELDS
from tests.access.matrix import Case, allow

EVERYONE = allow("admin", "supervisor", "manager", "other_manager", "executive")
# The merge right: the supervisor only.
MERGERS = allow("supervisor")
MERGERS_POST = allow("supervisor", ok=302)


class SearchWorld:
    users: dict[str, Any]

    @cached_property
    def duplicate_pair(self) -> tuple[Any, Any]:
        from tests.factories.sales import CustomerFactory

        manager = self.users["manager"]
        return (
            CustomerFactory(manager=manager, name="瑞丰科技"),
            CustomerFactory(manager=manager, name="瑞丰有限公司"),
        )


def _pair(world: Any) -> dict[str, str]:
    first, second = world.duplicate_pair
    return {"number": first.number, "other": second.number}


CASES = [
    Case("search:search", EVERYONE, query="?q=瑞丰"),
    Case("search:search", EVERYONE, label="empty"),
    Case("search:duplicates", MERGERS),
    Case("search:duplicates", MERGERS, query="?by=phone", label="by phone"),
    Case("search:merge", MERGERS, kwargs=_pair),
    Case(
        "search:merge",
        MERGERS_POST,
        kwargs=_pair,
        method="post",
        data=lambda w: {"survivor": "first", **dict.fromkeys(MERGE_FIELDS, "first")},
        label="merge",
    ),
]

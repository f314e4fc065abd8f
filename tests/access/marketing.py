from typing import Any

from tests.access.matrix import Case


class MarketingWorld:
    users: dict[str, Any]


CASES: list[Case] = []

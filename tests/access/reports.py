from typing import Any

from tests.access.matrix import Case


class ReportsWorld:
    users: dict[str, Any]


CASES: list[Case] = []

from typing import Any

from tests.access.matrix import Case


class InventoryWorld:
    users: dict[str, Any]


CASES: list[Case] = []

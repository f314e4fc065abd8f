from typing import Any

from tests.access.matrix import Case


class SalesWorld:
    users: dict[str, Any]


CASES: list[Case] = []

from typing import Any

from tests.access.matrix import Case


class ServiceWorld:
    users: dict[str, Any]


CASES: list[Case] = []

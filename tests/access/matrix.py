"""The access matrix: every named URL × every role → the status it must answer.

Each app lists its cases in `tests/access/<app>.py`; `tests/test_access_matrix.py` runs them all
and fails when a named URL has no case. Roles are the four seeded roles, plus `other_manager`, a
customer manager who owns nothing in the `World` and so must get 404 for the objects of
`manager`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

ROLES = ("anonymous", "admin", "supervisor", "manager", "other_manager", "executive")
LOGIN = 302  # anonymous visitors are redirected to the login page


def allow(*roles: str, ok: int = 200, denied: int = 403, **overrides: int) -> dict[str, int]:
    """Expected statuses: `ok` for the given roles, `denied` for the others, login for anonymous."""
    expect = {name: ok if name in roles else denied for name in ROLES}
    expect["anonymous"] = LOGIN
    expect.update(overrides)
    return expect


@dataclass(frozen=True)
class Case:
    url_name: str
    expect: dict[str, int]
    kwargs: Callable[["World"], dict[str, Any]] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[["World"], dict[str, Any]] = field(default=lambda world: {})
    query: str = ""
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.url_name}{'[' + self.label + ']' if self.label else ''}"


class World:
    """The objects the cases point at, created on first use.

    `users` holds one user per role in `ROLES` (anonymous excepted); business objects belong to
    `users["manager"]`.
    """

    def __init__(self, users: dict[str, Any]) -> None:
        self.users = users

    @cached_property
    def spare_user(self) -> Any:
        from tests.factories import UserFactory

        return UserFactory(username="spare")

    @cached_property
    def spare_role(self) -> Any:
        from tests.factories import RoleFactory

        return RoleFactory(name="Spare role")

    @cached_property
    def notification(self) -> Any:
        from tests.factories import NotificationFactory

        return NotificationFactory(user=self.users["manager"], link="/")

"""The access matrix: every named URL × every role → the status it must answer.

Each app lists its cases in `tests/access/<app>.py`; `tests/test_access_matrix.py` runs them all
and fails when a named URL has no case. Roles are the four seeded roles, plus `other_manager`, a
customer manager who owns nothing in the `World` and so must get 404 for the objects of
`manager`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
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
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    query: str | Callable[[Any], str] = ""
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.url_name}{'[' + self.label + ']' if self.label else ''}"


class BaseWorld:
    """The objects the cases point at, created on first use.

    `users` holds one user per role in `ROLES` (anonymous excepted); business objects belong to
    `users["manager"]`. Each app adds the objects its cases need in a mixin of its own
    (`tests/access/<app>.py`), combined in `tests/test_access_matrix.py`.
    """

    def __init__(self, users: dict[str, Any]) -> None:
        self.users = users

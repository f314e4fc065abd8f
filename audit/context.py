"""Who is writing: the actor every change-history row and audit entry records.

A request's actor is its user (set by `audit.middleware.ActorMiddleware`); importers set
"import" with the job's user, periodic jobs "job", the API "api" with its user::

    with history_actor(user, via="api"):
        services.customer_update(...)
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final

USER: Final = "user"
IMPORT: Final = "import"
JOB: Final = "job"
API: Final = "api"
VIA_CHOICES: Final = (USER, IMPORT, JOB, API)


@dataclass(frozen=True)
class Actor:
    user: Any = None  # a User, a lazy request user, or None
    via: str = USER
    address: str = ""
    user_agent: str = ""


_actor: ContextVar[Actor | None] = ContextVar("crm_actor", default=None)


@contextmanager
def history_actor(
    user: Any = None, *, via: str = USER, address: str = "", user_agent: str = ""
) -> Iterator[Actor]:
    """Record `user` (and how they write: `via`) as the author of every change inside."""
    if via not in VIA_CHOICES:
        raise ValueError(f"Unknown actor kind {via!r}")
    actor = Actor(user=user, via=via, address=address, user_agent=user_agent)
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def current_actor() -> Actor:
    return _actor.get() or Actor(via="")


def current_user() -> Any:
    """The acting user, or None (anonymous, a job without a user, the shell)."""
    user = current_actor().user
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def current_via() -> str:
    """How the current change is made ("" outside any request, import, job or API call)."""
    return current_actor().via


def history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> Any:
    """simple-history's `get_user`: the actor of the context, whatever the request."""
    user = current_user()
    # A lazy request user: hand simple-history the real instance.
    return getattr(user, "_wrapped", user) if user is not None else None

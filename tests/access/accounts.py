from functools import cached_property
from typing import Any

from tests.access.matrix import ROLES, Case, allow

ADMIN = ("admin",)
SIGNED_IN = tuple(name for name in ROLES if name != "anonymous")


class AccountsWorld:
    users: dict[str, Any]

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


def _pk_of_spare_user(world):
    return {"pk": world.spare_user.pk}


def _pk_of_spare_role(world):
    return {"pk": world.spare_role.pk}


CASES = [
    Case("accounts:login", {**allow(*SIGNED_IN, ok=302), "anonymous": 200}),
    Case("accounts:logout", allow(*SIGNED_IN, ok=302), method="post"),
    Case(
        "accounts:set-language",
        {**allow(*SIGNED_IN, ok=302), "anonymous": 302},
        method="post",
        data=lambda world: {"language": "zh-hans", "next": "/"},
    ),
    Case("accounts:profile", allow(*SIGNED_IN)),
    Case("accounts:password-change", allow(*SIGNED_IN)),
    Case("accounts:notification-list", allow(*SIGNED_IN)),
    Case("accounts:notification-read-all", allow(*SIGNED_IN, ok=302), method="post"),
    Case(
        "accounts:notification-open",
        allow("manager", ok=302, denied=404),
        kwargs=lambda world: {"pk": world.notification.pk},
    ),
    Case("accounts:user-list", allow(*ADMIN)),
    Case("accounts:user-create", allow(*ADMIN)),
    Case("accounts:user-edit", allow(*ADMIN), kwargs=_pk_of_spare_user),
    Case("accounts:user-history", allow(*ADMIN), kwargs=_pk_of_spare_user),
    Case("accounts:role-history", allow(*ADMIN), kwargs=_pk_of_spare_role),
    Case("audit:log", allow(*ADMIN)),
    Case("audit:export", allow(*ADMIN), query="?format=csv"),
    Case("audit:export", allow(*ADMIN), query="?format=xlsx", label="xlsx"),
    Case("accounts:user-password", allow(*ADMIN), kwargs=_pk_of_spare_user),
    Case("accounts:user-toggle", allow(*ADMIN, ok=302), kwargs=_pk_of_spare_user, method="post"),
    Case("accounts:user-delete", allow(*ADMIN), kwargs=_pk_of_spare_user),
    Case("accounts:role-list", allow(*ADMIN)),
    Case("accounts:role-create", allow(*ADMIN)),
    Case("accounts:role-edit", allow(*ADMIN), kwargs=_pk_of_spare_role),
    Case("accounts:role-rights", allow(*ADMIN), kwargs=_pk_of_spare_role),
    Case("accounts:role-toggle", allow(*ADMIN, ok=302), kwargs=_pk_of_spare_role, method="post"),
    Case("accounts:role-delete", allow(*ADMIN), kwargs=_pk_of_spare_role),
    Case("accounts:right-list", allow(*ADMIN)),
    Case("accounts:login-attempt-list", allow(*ADMIN)),
    Case(
        "accounts:login-unlock",
        allow(*ADMIN, ok=302),
        method="post",
        data=lambda world: {"username": "spare"},
    ),
]


# Saved views (issue 23.5): every signed-in user keeps views; another user's view is a 404.
class SavedViewWorld:
    users: dict[str, Any]

    @cached_property
    def saved_view(self) -> Any:
        from accounts.models import SavedView

        return SavedView.objects.create(
            user=self.users["manager"], list_key="sales:customer-list", name="华", query="name=华"
        )


def _saved_view(world: Any) -> dict[str, int]:
    return {"pk": world.saved_view.pk}


SIGNED_IN_POST = allow("admin", "supervisor", "manager", "other_manager", "executive", ok=302)
OWN_VIEW = allow("manager", ok=302, denied=404)

CASES += [
    Case(
        "accounts:saved-view-create",
        SIGNED_IN_POST,
        method="post",
        data=lambda w: {"list_key": "sales:customer-list", "name": "我的", "query": "name=华"},
    ),
    Case("accounts:saved-view-default", OWN_VIEW, kwargs=_saved_view, method="post"),
    # The owner lacks the share right: refused with a message (302), like the others' 404.
    Case("accounts:saved-view-share", OWN_VIEW, kwargs=_saved_view, method="post"),
    Case("accounts:saved-view-delete", OWN_VIEW, kwargs=_saved_view, method="post"),
]

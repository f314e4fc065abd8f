from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Model, OuterRef, QuerySet, StringAgg, Subquery, Value

from accounts.models import Right, User


class RoleBackend(ModelBackend):
    """Answers `user.has_perm("<app>.<right>")` from the rights of the user's role.

    Disabled users do not authenticate (ModelBackend checks the password first, so a disabled
    account takes as long and answers as a wrong password does), never get a session user and
    never hold a right. Rights are read once per request (with the session's user), so a change
    an admin makes to a role takes effect on the next request.
    """

    _users: QuerySet[Any] | None = None

    @classmethod
    def users_with_rights(cls) -> QuerySet[Any]:
        """Users with their role and the role's rights (`role_right_codes`), in one query; built
        once per process (every request reads the session's user, and building the subquery
        cost more than running it) and handed out as a fresh clone, so that no caller can fill
        the shared queryset's result cache."""
        if cls._users is None:
            codes = (
                Right.objects.filter(roles=OuterRef("role"))
                .exclude(kind="folder")
                .order_by()
                .values("roles")
                .annotate(codes=StringAgg("code", delimiter=Value(" ")))
                .values("codes")
            )
            cls._users = (
                get_user_model()
                ._default_manager.select_related("role")
                .annotate(role_right_codes=Subquery(codes))
            )
        return cls._users.all()

    def get_user(self, user_id: Any) -> User | None:
        user = self.users_with_rights().filter(pk=user_id).first()
        return user if user is not None and user.is_active else None

    def get_user_permissions(self, user_obj: Any, obj: Model | None = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Model | None = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Model | None = None) -> set[str]:
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            role = user_obj.role
            if role is None or not role.is_active:
                user_obj._role_perm_cache = set()
            elif hasattr(user_obj, "role_right_codes"):  # read with the user by `get_user`
                user_obj._role_perm_cache = set((user_obj.role_right_codes or "").split())
            else:
                user_obj._role_perm_cache = set(
                    role.rights.exclude(kind="folder").values_list("code", flat=True)
                )
        return user_obj._role_perm_cache

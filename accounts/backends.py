from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Model

from accounts.models import User


class RoleBackend(ModelBackend):
    """Answers `user.has_perm("<app>.<right>")` from the rights of the user's role.

    Disabled users do not authenticate (ModelBackend checks the password first, so a disabled
    account takes as long and answers as a wrong password does), never get a session user and
    never hold a right. Rights are read once per request, so a change an admin makes to a role
    takes effect on the next request.
    """

    def get_user(self, user_id: Any) -> User | None:
        user_model = get_user_model()
        user = user_model._default_manager.select_related("role").filter(pk=user_id).first()
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
            else:
                user_obj._role_perm_cache = set(
                    role.rights.exclude(kind="folder").values_list("code", flat=True)
                )
        return user_obj._role_perm_cache

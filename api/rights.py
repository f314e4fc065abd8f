from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class RightRequired(BasePermission):
    """The rights the view declares for the current action (like `permission_required`),
    answered by the role backend. Anonymous: 401; missing right: 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated or not user.is_active:
            return False
        return bool(user.has_perms(view.required_rights()))

"""Who may see and revoke which API tokens."""

from django.db.models import QuerySet

from accounts.models import User
from api.models import ApiToken

ADMIN_RIGHT = "accounts.manage_users"  # admins list and revoke everyone's tokens


def visible_tokens(user: User) -> QuerySet[ApiToken]:
    """A user's own live tokens."""
    if not user.is_authenticated or not user.is_active:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user, revoked_at=None)


def all_tokens(user: User) -> QuerySet[ApiToken]:
    """Everyone's live tokens, for admins."""
    if not user.is_authenticated or not user.is_active or not user.has_perm(ADMIN_RIGHT):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(revoked_at=None).select_related("user")


def can_revoke_token(user: User, token: ApiToken) -> bool:
    return user.is_active and (token.user_id == user.pk or user.has_perm(ADMIN_RIGHT))

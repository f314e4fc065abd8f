"""Every write of the API app: personal tokens."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from api.models import ApiToken
from api.permissions import can_revoke_token

NAME_REQUIRED = gettext_lazy("Give the token a name.")
REVOKE_DENIED = gettext_lazy("You may not revoke this token.")
ALREADY_REVOKED = gettext_lazy("This token is revoked already.")
TOO_MANY = gettext_lazy("You have too many tokens; revoke one first.")
MAX_TOKENS = 20


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token of `actor`'s; returns it and its secret, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if ApiToken.objects.filter(user=actor, revoked_at=None).count() >= MAX_TOKENS:
        raise ValidationError(TOO_MANY)
    secret = secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=name, digest=token_digest(secret), prefix=secret[:8])
    token.full_clean(exclude=["digest", "prefix"])
    token.save()
    return token, secret


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not can_revoke_token(actor, token):
        raise ValidationError(REVOKE_DENIED)
    if token.revoked_at is not None:
        raise ValidationError(ALREADY_REVOKED)
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_touch(token: ApiToken, *, every_seconds: int = 60) -> None:
    """Record a use, at most once a minute (one UPDATE, no lock)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= every_seconds:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now

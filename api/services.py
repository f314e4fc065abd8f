"""Every write of the API app: personal tokens, idempotency keys."""

import datetime
import hashlib
import secrets
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from api.models import ApiToken, IdempotencyKey
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


# Idempotency keys -------------------------------------------------------------------------------

IDEMPOTENCY_KEY_REUSED = gettext_lazy(
    "This Idempotency-Key was sent before with another request; use a new key for a new request."
)


class IdempotencyKeyReusedError(ValidationError):
    """The key is known with another request (the API answers 422)."""


def _idempotency_cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)


@transaction.atomic
def idempotent_call(
    *, actor: User, key: str, fingerprint: str, run: Callable[[], tuple[int, Any]]
) -> tuple[int, Any, bool]:
    """Run `run` (a creating request, answering its status and body) once per key of
    `actor`'s: returns (status, body, replayed). A key already used for the same request
    (`fingerprint`) within the retention period returns its stored answer and runs nothing; for
    another request it raises IdempotencyKeyReusedError. The key's row is inserted first, in this
    transaction: a concurrent request with the same key waits on the unique index until this one
    commits, then replays its answer. An answer other than 2xx (or an error raised by `run`)
    rolls the key back, so the request can be sent again, corrected, with the same key."""
    now = timezone.now()
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(user=actor, key=key, fingerprint=fingerprint)
    except IntegrityError:
        record = IdempotencyKey.objects.select_for_update().get(user=actor, key=key)
        if record.created_at >= _idempotency_cutoff(now):
            if record.fingerprint != fingerprint:
                raise IdempotencyKeyReusedError(IDEMPOTENCY_KEY_REUSED) from None
            return record.status, record.response, True
        # Expired (the pruning job has not run yet): the key starts again.
        record.fingerprint, record.created_at = fingerprint, now
    status, body = run()
    if not HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
        transaction.set_rollback(True)
        return status, body, False
    record.status, record.response = status, body
    record.save()
    return status, body, False


def prune_idempotency_keys(*, now: datetime.datetime | None = None) -> int:
    """Delete the keys older than `API_IDEMPOTENCY_HOURS`; returns how many."""
    cutoff = _idempotency_cutoff(now or timezone.now())
    deleted, _counts = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted

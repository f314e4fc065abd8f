"""The one writer of the audit log, and its retention."""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from audit.context import current_actor, current_user
from audit.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_record(
    *,
    action: str,
    actor: Any = None,
    obj: Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    label: str = "",
    details: dict[str, Any] | None = None,
    address: str = "",
    user_agent: str = "",
) -> AuditEvent:
    """Append one entry to the audit log. The actor, address and user agent default to the
    context's (the request's user, its address)."""
    context = current_actor()
    user = actor if actor is not None else current_user()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        label = label or str(obj)
    return AuditEvent.objects.create(
        actor=getattr(user, "_wrapped", user) if user is not None else None,
        actor_name=(user.get_username() if user is not None else "")[:150],
        via=context.via,
        action=action,
        object_type=object_type[:50],
        object_id=str(object_id or "")[:50],
        object_label=str(label)[:200],
        details=_jsonable(details or {}),
        address=(address or context.address)[:45],
        user_agent=(user_agent or context.user_agent)[:300],
    )


def prune_audit_events(*, now: datetime.datetime | None = None) -> int:
    """Delete the entries older than `AUDIT_RETENTION_DAYS`; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _counts = AuditEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted

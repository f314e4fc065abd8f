"""Sign-ins, failed sign-ins and sign-outs go to the audit log (Django's auth signals)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.middleware import client_address, client_agent
from audit.models import AuditEvent
from audit.services import audit_record


def _request_meta(request: Any) -> dict[str, Any]:
    if request is None:
        return {"address": "", "user_agent": ""}
    return {"address": client_address(request), "user_agent": client_agent(request)}


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditEvent.Action.LOGIN, actor=user, obj=user, **_request_meta(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    audit_record(action=AuditEvent.Action.LOGOUT, actor=user, obj=user, **_request_meta(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    known = get_user_model()._default_manager.filter(username=username).first()
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=known.pk if known is not None else "",
        label=username,
        details={"username": username},
        **_request_meta(request),
    )

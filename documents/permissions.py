"""Who may see, add and delete attachments: the record's own visibility (from the owning app's
`permissions.py`, through the registry) and the documents rights."""

from typing import Any

from django.db.models import Model

from accounts.models import User
from documents.models import Attachment
from documents.registry import VIEW_RIGHT, attachment_target

ADD_RIGHT = "documents.add_attachment"
DELETE_ANY_RIGHT = "documents.delete_any_attachment"


def visible_record(user: User, kind: str, object_id: Any) -> Model | None:
    """The record `kind` #`object_id` if the user may see it (None: unknown kind, no such
    record, or out of the user's scope)."""
    target = attachment_target(kind)
    if target is None or not user.is_authenticated or not user.is_active:
        return None
    try:
        return target.visible(user).filter(pk=int(object_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def can_view_attachments(user: User, record: Model | None) -> bool:
    return record is not None and user.has_perm(VIEW_RIGHT)


def can_add_attachment(user: User, kind: str, record: Model | None) -> bool:
    """Add to a record one may see, with the add right (and, where the kind asks, the right to
    change the record)."""
    target = attachment_target(kind)
    if target is None or record is None or not user.has_perm(ADD_RIGHT):
        return False
    return target.can_change is None or bool(target.can_change(user, record))


def can_delete_attachment(user: User, attachment: Attachment) -> bool:
    """Its uploader (still holding the add right), or a holder of the delete-any right; the
    record must be one the user may see."""
    if visible_record(user, attachment.kind, attachment.object_id) is None:
        return False
    if user.has_perm(DELETE_ANY_RIGHT):
        return True
    return attachment.uploader_id == user.pk and user.has_perm(ADD_RIGHT)

"""Reads of attachments."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from audit.history import author
from documents.models import Attachment
from documents.permissions import can_view_attachments, visible_record


def record_attachments(kind: str, object_id: Any) -> QuerySet[Attachment]:
    """A record's attachments, newest first, with their uploaders (one query)."""
    return (
        Attachment.objects.filter(kind=kind, object_id=object_id)
        .select_related("uploader")
        .order_by("-created_at", "-id")
    )


def attachment_for_download(user: User, pk: int) -> Attachment | None:
    """The attachment `pk` if its record is one the user may see (None otherwise)."""
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None or visible_record(user, attachment.kind, attachment.object_id) is None:
        return None
    return attachment


@dataclass(frozen=True)
class AttachmentEvent:
    """An upload or a deletion of one of a record's attachments (for a timeline)."""

    at: datetime.datetime
    name: str
    who: str
    deleted: bool


def record_attachment_events(
    user: User, kind: str, record: Any, limit: int
) -> list[AttachmentEvent]:
    """The newest `limit` uploads and deletions of the record's attachments, newest first (one
    query); none for a user without the view right. The caller has checked that the user sees
    the record."""
    if not can_view_attachments(user, record):
        return []
    rows = (
        Attachment.history.filter(kind=kind, object_id=record.pk, history_type__in=["+", "-"])
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    return [
        AttachmentEvent(
            at=row.history_date, name=row.name, who=author(row), deleted=row.history_type == "-"
        )
        for row in rows
    ]

"""Every write of attachments: add a batch (all or nothing), delete one, move a record's."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.history import update_with_history
from documents.models import Attachment
from documents.names import clean_name, extension_of
from documents.permissions import can_add_attachment, can_delete_attachment, visible_record
from documents.sniff import FileType, content_type_for, sniff

# Refusals (tests match these).
NOT_VISIBLE = gettext_lazy("This record does not exist or you may not see it.")
ADD_DENIED = gettext_lazy("You may not add attachments to this record.")
NO_FILES = gettext_lazy("Choose at least one file.")
TOO_MANY = gettext_lazy("Upload at most %(count)d files at a time.")
TOO_LARGE = gettext_lazy("“%(name)s” is larger than %(limit)s.")
EMPTY_FILE = gettext_lazy("“%(name)s” is empty.")
TYPE_REFUSED = gettext_lazy(
    "“%(name)s” is not a file type that can be attached (PDF, PNG, JPEG, GIF, WebP, Word, "
    "Excel, PowerPoint, text or CSV)."
)
EXTENSION_MISMATCH = gettext_lazy(
    "“%(name)s” is a %(type)s file, but its name ends in .%(extension)s; rename it or choose "
    "another file."
)
NOTHING_UPLOADED = gettext_lazy("Nothing was uploaded.")
DELETE_DENIED = gettext_lazy("Only its uploader or a supervisor may delete this attachment.")
GONE = gettext_lazy("This attachment was deleted already.")


@dataclass(frozen=True)
class _Checked:
    file: Any
    name: str
    found: FileType


def _check(upload: Any) -> _Checked:
    """The upload's clean name and type, or the refusal naming it."""
    name = clean_name(str(upload.name or ""))
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            TOO_LARGE % {"name": name, "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        )
    if not upload.size:
        raise ValidationError(EMPTY_FILE % {"name": name})
    found = sniff(upload)
    if found is None:
        raise ValidationError(TYPE_REFUSED % {"name": name})
    extension = extension_of(name)
    if not extension:
        name = clean_name(f"{name}.{found.extension}")
    elif extension not in found.extensions:
        raise ValidationError(
            EXTENSION_MISMATCH
            % {"name": name, "type": found.extension.upper(), "extension": extension}
        )
    return _Checked(file=upload, name=name, found=found)


def check_uploads(files: Iterable[Any]) -> list[_Checked]:
    """Every file checked; the refusals of all of them at once (each naming its file)."""
    files = list(files)
    if not files:
        raise ValidationError(NO_FILES)
    if len(files) > settings.ATTACHMENT_MAX_FILES:
        raise ValidationError(TOO_MANY % {"count": settings.ATTACHMENT_MAX_FILES})
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(_check(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError([*errors, str(NOTHING_UPLOADED)])
    return checked


@transaction.atomic
def attachments_add(
    *, actor: User, kind: str, object_id: Any, files: Iterable[Any]
) -> list[Attachment]:
    """Attach `files` to the record `kind` #`object_id`: all of them, or (one refused) none,
    neither rows nor stored files. Each file's type is read from its content and must agree
    with its name's extension."""
    record = visible_record(actor, kind, object_id)
    if record is None:
        raise ValidationError(NOT_VISIBLE)
    if not can_add_attachment(actor, kind, record):
        raise ValidationError(ADD_DENIED)
    checked = check_uploads(files)
    stored: list[str] = []
    added = []
    try:
        for item in checked:
            attachment = Attachment(
                kind=kind,
                object_id=record.pk,
                name=item.name,
                content_type=content_type_for(item.found, extension_of(item.name)),
                size=item.file.size,
                uploader=actor,
            )
            item.file.seek(0)
            stored_name = f"{uuid.uuid4().hex}.{extension_of(item.name)}"
            attachment.file.save(stored_name, File(item.file), save=False)
            stored.append(str(attachment.file.name))
            attachment.save()
            added.append(attachment)
    except BaseException:
        for name in stored:
            Attachment.file.field.storage.delete(name)
        raise
    return added


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    """Delete an attachment (its uploader, or a holder of the delete-any right); the stored file
    is removed once the deletion is committed."""
    locked = Attachment.objects.select_for_update().filter(pk=attachment.pk).first()
    if locked is None:
        raise ValidationError(GONE)
    if not can_delete_attachment(actor, locked):
        raise ValidationError(DELETE_DENIED)
    storage, name = locked.file.storage, str(locked.file.name)
    locked.delete()
    transaction.on_commit(lambda: storage.delete(name))


def attachments_move(*, kind: str, source: Any, target: Any) -> int:
    """Give the attachments of record `source` to `target` (the customer merge; called inside
    its transaction and locks), with their history."""
    return update_with_history(
        Attachment.objects.filter(kind=kind, object_id=source.pk), object_id=target.pk
    )


def attachments_delete_of(*, kind: str, record: Any) -> int:
    """Delete the attachments of a record that is being deleted (called by its app's delete
    service, inside its transaction), each with its history; the stored files go on commit."""
    found = list(Attachment.objects.filter(kind=kind, object_id=record.pk).select_for_update())
    for attachment in found:
        attachment.delete()
        transaction.on_commit(partial(attachment.file.storage.delete, str(attachment.file.name)))
    return len(found)

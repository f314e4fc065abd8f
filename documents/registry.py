"""The kinds of records that take attachments; each owning app registers its own.

`documents` sits below the apps it serves, so it imports none of them: an app registers its
records from its `AppConfig.ready()`, with the visibility of its own `permissions.py`:

    from documents.registry import register_attachment_target

    register_attachment_target(
        "quote", model=Quote, visible=visible_quotes, label=_("Quote"),
        url=lambda quote: reverse("quotes:detail", args=[quote.pk]),
    )

(`can_change(user, record)`, optional, also limits who may add files), then includes the panel
on the record's page:

    {% include "documents/_attachments.html" with attachment_kind="quote" attachment_id=quote.pk %}

The record's history tab and (for customers) the timeline then show its attachments' uploads
and deletions; a merge moves a customer's (`documents.services.attachments_move`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from audit.history import register_related_history

VIEW_RIGHT = "documents.view_attachment"


@dataclass(frozen=True)
class AttachmentTarget:
    kind: str
    model: type[Model]
    visible: Callable[[Any], QuerySet[Any]]  # the records of this kind the user may see
    can_change: Callable[[Any, Any], bool] | None  # may the user add to this one (None: seeing)
    label: str | Promise
    url: Callable[[Any], str] | None = None  # the record's page (where a deletion returns)


_TARGETS: dict[str, AttachmentTarget] = {}


def register_attachment_target(
    kind: str,
    *,
    model: type[Model],
    visible: Callable[[Any], QuerySet[Any]],
    can_change: Callable[[Any, Any], bool] | None = None,
    label: str | Promise,
    url: Callable[[Any], str] | None = None,
) -> None:
    """Let records of `model` take attachments, named by `kind` (a short slug, in URLs and in
    `Attachment.kind`); registering a kind again replaces it."""
    _TARGETS[kind] = AttachmentTarget(
        kind=kind, model=model, visible=visible, can_change=can_change, label=label, url=url
    )
    from documents.models import Attachment  # models are loaded once the apps are ready

    register_related_history(
        model,
        key=f"documents.{kind}",
        rows=lambda record: Attachment.history.filter(kind=kind, object_id=record.pk),
        subject=_subject,
        right=VIEW_RIGHT,
    )


def _subject(row: Any) -> str:
    from django.utils.translation import gettext

    return gettext("Attachment “%(name)s”") % {"name": row.name}


def attachment_target(kind: str) -> AttachmentTarget | None:
    return _TARGETS.get(kind)


def attachment_kinds() -> list[str]:
    return sorted(_TARGETS)

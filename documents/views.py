"""The attachments panel of a record (list, upload, delete) and the download."""

from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from core.middleware import NUL_IN_REQUEST, has_nul
from core.views import ConfirmDeleteView, acting_user, error_messages
from documents import selectors, services
from documents.models import Attachment
from documents.permissions import (
    ADD_RIGHT,
    DELETE_ANY_RIGHT,
    can_add_attachment,
    can_delete_attachment,
    visible_record,
)
from documents.registry import VIEW_RIGHT, attachment_target
from documents.uploads import LimitedUploadHandler, install


def _record(request: HttpRequest, kind: str, object_id: int) -> Model:
    record = visible_record(acting_user(request), kind, object_id)
    if record is None:
        raise Http404
    return record


def record_url(kind: str, record: Model) -> str:
    """The record's page, or (for a kind without one) its attachments page."""
    target = attachment_target(kind)
    if target is not None and target.url is not None:
        return target.url(record)
    return reverse("documents:panel", args=[kind, record.pk])


def _refusal(limited: LimitedUploadHandler) -> str:
    reason, name = limited.refused or ("", "")
    if reason == "count":
        return str(services.TOO_MANY % {"count": settings.ATTACHMENT_MAX_FILES})
    limit = filesizeformat(settings.ATTACHMENT_MAX_BYTES)
    return str(services.TOO_LARGE % {"name": name, "limit": limit})


@method_decorator(csrf_exempt, name="dispatch")  # checked in `upload`, once the handlers are in
class AttachmentPanelView(PermissionRequiredMixin, View):
    """GET: a record's attachments with the upload form (the htmx panel, or a page of its own
    without htmx). POST: upload files, streamed through `documents.uploads`."""

    permission_required = VIEW_RIGHT
    handles_uploads = True  # core.middleware leaves the body unread

    def get(self, request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
        record = _record(request, kind, object_id)
        return self.render(request, kind, record)

    def post(self, request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
        if not request.user.has_perm(ADD_RIGHT):
            raise PermissionDenied
        record = _record(request, kind, object_id)
        limited = install(request)
        return self.upload(request, kind=kind, record=record, limited=limited)

    @method_decorator(csrf_protect)
    def upload(
        self, request: HttpRequest, *, kind: str, record: Model, limited: LimitedUploadHandler
    ) -> HttpResponse:
        if has_nul(request):
            raise SuspiciousOperation(NUL_IN_REQUEST)
        files = request.FILES.getlist("files")
        try:
            if limited.refused is not None:
                raise ValidationError([_refusal(limited), str(services.NOTHING_UPLOADED)])
            added = services.attachments_add(
                actor=acting_user(request), kind=kind, object_id=record.pk, files=files
            )
        except ValidationError as error:
            return self.render(request, kind, record, errors=error_messages(error), status=400)
        finally:
            for upload in files:
                upload.close()  # the temporary files go now, not at garbage collection
        notice = ngettext(
            "%(count)d file was attached.", "%(count)d files were attached.", len(added)
        ) % {"count": len(added)}
        return self.render(request, kind, record, notice=notice)

    def render(
        self,
        request: HttpRequest,
        kind: str,
        record: Model,
        *,
        errors: list[str] | None = None,
        notice: str = "",
        status: int = 200,
    ) -> HttpResponse:
        user = acting_user(request)
        partial = request.headers.get("HX-Request") == "true"
        context: dict[str, Any] = {
            "kind": kind,
            "record": record,
            "record_label": attachment_target(kind).label,  # type: ignore[union-attr]
            "record_url": record_url(kind, record),
            "attachments": list(selectors.record_attachments(kind, record.pk)),
            "can_add": can_add_attachment(user, kind, record),
            "can_add_right": user.has_perm(ADD_RIGHT),
            "can_delete_any": user.has_perm(DELETE_ANY_RIGHT),
            "max_bytes": settings.ATTACHMENT_MAX_BYTES,
            "max_files": settings.ATTACHMENT_MAX_FILES,
            "errors": errors or [],
            "notice": notice,
        }
        if partial:  # htmx swaps only successful answers: the panel shows its errors itself
            return TemplateResponse(request, "documents/_panel.html", context)
        return TemplateResponse(request, "documents/attachment_page.html", context, status=status)


class AttachmentDownloadView(PermissionRequiredMixin, View):
    """The file, as a download (never shown inline), to users who may see its record."""

    permission_required = VIEW_RIGHT

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        attachment = selectors.attachment_for_download(acting_user(request), pk)
        if attachment is None:
            raise Http404
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.name,  # FileResponse writes filename* (RFC 5987) for non-ASCII
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class AttachmentDeleteView(ConfirmDeleteView):
    """Ask, then delete on POST: the uploader, or a holder of the delete-any right."""

    permission_required = (ADD_RIGHT, DELETE_ANY_RIGHT)  # either (has_permission)

    def has_permission(self) -> bool:
        user = self.request.user
        return any(user.has_perm(code) for code in self.get_permission_required())

    def get_object(self) -> Attachment:
        user = acting_user(self.request)
        attachment = selectors.attachment_for_download(user, self.kwargs["pk"])
        if attachment is None:
            raise Http404
        if not can_delete_attachment(user, attachment):
            raise PermissionDenied(str(services.DELETE_DENIED))
        return attachment

    def get_success_url(self) -> str:
        record = visible_record(acting_user(self.request), self.object.kind, self.object.object_id)
        if record is None:  # pragma: no cover - checked by get_object
            raise Http404
        return record_url(self.object.kind, record)

    def delete(self) -> str:
        services.attachment_delete(actor=acting_user(self.request), attachment=self.object)
        return _("Attachment “%(name)s” was deleted.") % {"name": self.object.name}

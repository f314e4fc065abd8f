"""Files attached to records of other apps (customers, opportunities, service requests …).

An attachment names its record by `kind` (the slug of `documents.registry`) and `object_id`, so
this app, low in the layers, knows none of the apps it serves. The file goes through Django's
default storage: `MEDIA_ROOT` by default, the S3 bucket when one is configured."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import tracked

NAME_MAX_LENGTH = 150


class Attachment(models.Model):
    kind = models.CharField(_("record type"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("record id"))
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", max_length=255)
    name = models.CharField(_("file name"), max_length=NAME_MAX_LENGTH)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = tracked(excluded_fields=["file"])

    class Meta:
        db_table = "doc_attachment"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "object_id"], name="doc_attachment_record")]

    def __str__(self) -> str:
        return self.name

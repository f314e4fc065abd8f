from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "sales"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from sales import exports, importers  # noqa: F401 - registers the importer and exporter
        from sales.filters import forget_tag_options
        from sales.models import Tag
        from sales.sections import register_attachments

        register_attachments()  # customers take attachments; their panel on the customer page
        # The filter forms' cached tag choices, whoever writes a tag.
        post_save.connect(forget_tag_options, sender=Tag, dispatch_uid="tag_saved")
        post_delete.connect(forget_tag_options, sender=Tag, dispatch_uid="tag_gone")

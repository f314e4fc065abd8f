from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "sales"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from sales import exports, importers  # noqa: F401 - registers the importer and exporter
        from sales.duplicate_keys import install_after_migrate, register_sqlite_functions
        from sales.filters import forget_tag_options
        from sales.models import Tag
        from sales.sections import register_attachments

        register_attachments()  # customers take attachments; their panel on the customer page
        # The filter forms' cached tag choices, whoever writes a tag.
        post_save.connect(forget_tag_options, sender=Tag, dispatch_uid="tag_saved")
        post_delete.connect(forget_tag_options, sender=Tag, dispatch_uid="tag_gone")
        # The triggers counting duplicate keys, and on SQLite the key functions they call.
        connection_created.connect(register_sqlite_functions, dispatch_uid="duplicate_keys")
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="duplicate_keys")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "sales"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from sales import exports, importers  # noqa: F401 - registers the importer and exporter
        from sales.sections import register_attachments

        register_attachments()  # customers take attachments; their panel on the customer page

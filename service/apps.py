from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "service"
    verbose_name = _("Customer service")

    def ready(self) -> None:
        from service import sections

        sections.register()  # the service requests on the customer page

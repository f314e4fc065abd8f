from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "service"
    verbose_name = _("Customer service")

    def ready(self) -> None:
        from service import sections

        sections.register()  # the service requests on the customer page
        from django.urls import reverse

        from documents.registry import register_attachment_target
        from service.models import ServiceRequest
        from service.permissions import visible_service_requests

        register_attachment_target(
            "ticket", model=ServiceRequest, visible=visible_service_requests,
            label=_("Service request"), url=lambda t: reverse("service:detail", args=[t.pk]),
        )  # fmt: skip

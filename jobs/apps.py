from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs. The label stays "crm", the app these tables and migrations began in."""

    name = "jobs"
    label = "crm"
    verbose_name = _("Background jobs")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel every module builds on; it imports nothing of the project's own."""

    name = "core"
    verbose_name = _("Core")

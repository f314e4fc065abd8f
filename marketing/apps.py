from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    name = "marketing"
    verbose_name = _("Marketing")

    def ready(self) -> None:
        post_migrate.connect(_seed_stages, sender=self)


def _seed_stages(**kwargs: object) -> None:
    from marketing.services import stage_seed_defaults

    stage_seed_defaults(using=str(kwargs.get("using", "default")))

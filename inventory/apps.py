from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Base data")

    def ready(self) -> None:
        from inventory import importers  # noqa: F401 - registers the importers

        post_migrate.connect(_seed_dictionary, sender=self)


def _seed_dictionary(**kwargs: object) -> None:
    from inventory.services import dictionary_seed_defaults

    dictionary_seed_defaults(using=str(kwargs.get("using", "default")))

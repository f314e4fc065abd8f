from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Base data")

    def ready(self) -> None:
        from inventory import importers  # noqa: F401 - registers the importers
        from inventory.models import DictItem
        from inventory.selectors import forget_dictionary_choices

        post_migrate.connect(_seed_dictionary, sender=self)
        # The filter forms' cached dictionary choices, whoever writes an entry.
        post_save.connect(forget_dictionary_choices, sender=DictItem, dispatch_uid="dict_saved")
        post_delete.connect(forget_dictionary_choices, sender=DictItem, dispatch_uid="dict_gone")


def _seed_dictionary(**kwargs: object) -> None:
    from inventory.services import dictionary_seed_defaults

    dictionary_seed_defaults(using=str(kwargs.get("using", "default")))

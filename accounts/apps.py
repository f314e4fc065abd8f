from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Permissions")

    def ready(self) -> None:
        post_migrate.connect(_sync_rights, sender=self)
        from accounts.saved_views import list_views
        from core.views import register_list_views

        register_list_views(list_views)  # the saved views of every list page


def _sync_rights(**kwargs: object) -> None:
    from accounts.services import rights_sync

    rights_sync(using=str(kwargs.get("using", "default")))

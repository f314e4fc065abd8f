from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    name = "marketing"
    verbose_name = _("Marketing")

    def ready(self) -> None:
        post_migrate.connect(_seed_stages, sender=self)
        from marketing.selectors import open_chance_of_customer
        from sales.lifecycle import register_open_interest

        # The "interested" lifecycle class: customers with an open opportunity.
        register_open_interest("marketing.chances", open_chance_of_customer)

        from marketing import exports, sections  # noqa: F401 - registers the quote exporter

        sections.register()  # the quotes on the customer page


def _seed_stages(**kwargs: object) -> None:
    from marketing.services import stage_seed_defaults

    stage_seed_defaults(using=str(kwargs.get("using", "default")))

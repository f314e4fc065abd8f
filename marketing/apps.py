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
        _register_attachments()


def _register_attachments() -> None:
    from django.urls import reverse

    from documents.registry import register_attachment_target
    from marketing.models import SalesChance
    from marketing.permissions import visible_chances

    def page(chance: SalesChance) -> str:
        if chance.status == SalesChance.Status.UNASSIGNED:  # no page of its own yet
            return reverse("documents:panel", args=["chance", chance.pk])
        return reverse("marketing:development-detail", args=[chance.pk])

    register_attachment_target(
        "chance", model=SalesChance, visible=visible_chances, label=_("Sales opportunity"), url=page
    )


def _seed_stages(**kwargs: object) -> None:
    from marketing.services import stage_seed_defaults

    stage_seed_defaults(using=str(kwargs.get("using", "default")))

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

        from marketing import exports, sections  # noqa: F401 - registers the quote exporter

        sections.register()  # the quotes on the customer page


def _register_attachments() -> None:
    from django.urls import reverse

    from documents.registry import register_attachment_target
    from marketing.models import Quote, SalesChance
    from marketing.permissions import visible_chances, visible_quotes

    def page(chance: SalesChance) -> str:
        if chance.status == SalesChance.Status.UNASSIGNED:  # no page of its own yet
            return reverse("documents:panel", args=["chance", chance.pk])
        return reverse("marketing:development-detail", args=[chance.pk])

    register_attachment_target(
        "chance", model=SalesChance, visible=visible_chances, label=_("Sales opportunity"), url=page
    )
    register_attachment_target(
        "quote",
        model=Quote,
        visible=visible_quotes,
        label=_("Quote"),
        url=lambda quote: reverse("marketing:quote-detail", args=[quote.pk]),
    )


def _seed_stages(**kwargs: object) -> None:
    from marketing.services import stage_seed_defaults

    stage_seed_defaults(using=str(kwargs.get("using", "default")))

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from marketing.models import PlanItem, Quote, QuoteLine, SalesChance, Stage
from tests.factories.accounts import UserFactory


class SalesChanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesChance

    source = "展会"
    customer_name = factory.Sequence(lambda n: f"北京明科科技有限公司{n}")
    title = factory.Sequence(lambda n: f"采购笔记本电脑{n}")
    rate = 60
    contact = "王经理"
    contact_phone = "13800138000"
    description = "客户有批量采购意向。"
    creator = factory.SubFactory(UserFactory)
    status = SalesChance.Status.UNASSIGNED
    # A developing opportunity is in a stage (a check constraint): the first one by default.
    stage = factory.LazyAttribute(
        lambda o: (
            Stage.objects.filter(is_active=True).order_by("order", "id").first()
            if o.status == SalesChance.Status.ASSIGNED
            else None
        )
    )
    stage_changed_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == SalesChance.Status.ASSIGNED else None
    )


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    name = factory.Sequence(lambda n: f"阶段{n}")
    order = factory.Sequence(lambda n: 100 + n)
    probability = 50


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    chance = factory.SubFactory(SalesChanceFactory)
    date = factory.Faker("date_this_year")
    todo = factory.Sequence(lambda n: f"电话沟通{n}")


class QuoteFactory(factory.django.DjangoModelFactory):
    """A draft quote of a customer, created by the customer's manager (no lines: use
    `QuoteLineFactory` or the services)."""

    class Meta:
        model = Quote

    number = factory.Sequence(lambda n: f"BJ{timezone.localdate():%y%m%d}{90000 + n:05d}")
    customer = factory.SubFactory("tests.factories.sales.CustomerFactory")
    creator = factory.LazyAttribute(lambda quote: quote.customer.manager)
    status = Quote.Status.DRAFT
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class QuoteLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuoteLine

    quote = factory.SubFactory(QuoteFactory)
    product = factory.SubFactory("tests.factories.inventory.ProductFactory")
    quantity = 2
    unit = "台"
    unit_price = Decimal("100.00")
    discount = Decimal(0)
    tax_rate = Decimal(13)


def campaign_kind(value: str = "exhibition"):
    from inventory.models import DictItem, DictType

    return DictItem.objects.get(type=DictType.CAMPAIGN_KIND, value=value)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "marketing.Campaign"

    name = factory.Sequence(lambda n: f"春季展会{n}")
    kind = factory.LazyFunction(campaign_kind)
    start_date = factory.LazyFunction(lambda: timezone.localdate())
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=30))
    owner = factory.SubFactory(UserFactory)
    budget = Decimal("10000.00")
    status = 1
    approver = factory.LazyAttribute(lambda o: o.owner if o.status in (2, 3, 4) else None)


class CampaignLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "marketing.CampaignLog"

    campaign = factory.SubFactory(CampaignFactory, status=3)
    date = factory.LazyFunction(lambda: timezone.localdate())
    note = factory.Sequence(lambda n: f"展位费{n}")
    cost = Decimal("1000.00")
    author = factory.LazyAttribute(lambda o: o.campaign.owner)

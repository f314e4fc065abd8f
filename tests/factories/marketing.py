import factory

from marketing.models import PlanItem, SalesChance
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


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    chance = factory.SubFactory(SalesChanceFactory)
    date = factory.Faker("date_this_year")
    todo = factory.Sequence(lambda n: f"电话沟通{n}")

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from core.services import sequence_next
from sales import summaries
from sales.models import (
    Activity,
    Contact,
    Customer,
    CustomerGroup,
    CustomerLoss,
    Order,
    OrderLine,
    Tag,
)
from sales.services import refresh_order_amounts
from tests.factories.accounts import UserFactory
from tests.factories.inventory import ProductFactory, level, region


def _number(_obj: object) -> str:
    return f"KH{timezone.localdate():%y%m%d}{sequence_next(key='customer'):05d}"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    number = factory.LazyAttribute(_number)
    name = factory.Sequence(lambda n: f"聪海信息科技有限公司{n}")
    manager = factory.SubFactory(UserFactory)
    region = factory.LazyFunction(region)
    level = factory.LazyFunction(level)
    satisfaction = 3
    credit = 3
    address = "北京市海淀区"
    zip_code = "100000"
    phone = "010-62345678"
    fax = "010-62345679"
    website = "www.example.com"
    legal_person = "张三"
    bank = "中国银行"
    bank_account = "6222000011112222"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    position = "经理"
    phone = "010-88886666"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    customer = factory.SubFactory(CustomerFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    author = factory.LazyAttribute(lambda activity: activity.customer.manager)
    kind = "visit"
    place = "客户公司"
    title = factory.Sequence(lambda n: f"拜访{n}")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order
        skip_postgeneration_save = True  # the hook writes the summaries, not the order

    number = factory.Sequence(lambda n: f"ODR{n:08d}")
    customer = factory.SubFactory(CustomerFactory)
    date = factory.LazyFunction(timezone.localdate)
    address = "北京市海淀区中关村"
    status = Order.Status.PAID

    @factory.post_generation
    def _summaries(self: Order, create: bool, extracted: object, **kwargs: object) -> None:
        """Keep the monthly summaries exact, as every writer of orders does."""
        if create:
            summaries.apply_orders([self.pk])


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine
        skip_postgeneration_save = True  # the hook changes the order, not the line

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    count = 2
    unit = "台"
    unit_price = Decimal("10800.00")

    @factory.post_generation
    def _order_amount(self: OrderLine, create: bool, extracted: object, **kwargs: object) -> None:
        """Keep the order's stored amount equal to the sum of its lines, as the services do."""
        if create:
            refresh_order_amounts(Order.objects.filter(pk=self.order_id))
            self.order.refresh_from_db(fields=["amount"])


class CustomerLossFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerLoss

    customer = factory.SubFactory(CustomerFactory)
    manager = factory.LazyAttribute(lambda loss: loss.customer.manager)
    last_order_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=200)
    )


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"标签{n}")
    colour = "blue"


class CustomerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerGroup

    name = factory.Sequence(lambda n: f"客户群{n}")
    owner = factory.SubFactory(UserFactory)
    filters = factory.LazyFunction(dict)

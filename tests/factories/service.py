import factory

from service.models import ServiceRequest
from tests.factories.accounts import UserFactory
from tests.factories.inventory import service_type
from tests.factories.sales import CustomerFactory


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequest

    type = factory.LazyFunction(service_type)
    title = factory.Sequence(lambda n: f"咨询产品价格{n}")
    customer = factory.SubFactory(CustomerFactory)
    request = "客户询问新款笔记本的价格。"
    creator = factory.SubFactory(UserFactory)

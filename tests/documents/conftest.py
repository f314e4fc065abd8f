import pytest

from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import CustomerFactory
from tests.factories.service import ServiceRequestFactory


@pytest.fixture
def customer(manager):
    """manager1's customer: other_manager may not see it."""
    return CustomerFactory(manager=manager, name="北京明科科技有限公司")


@pytest.fixture
def chance(manager):
    return SalesChanceFactory(creator=manager)


@pytest.fixture
def ticket(manager, customer):
    return ServiceRequestFactory(customer=customer, creator=manager)

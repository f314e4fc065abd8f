"""A bounded schemathesis run against the API's own OpenAPI description, in process (WSGI):
whatever the input, no server error, and every documented answer matches its schema.

One test per operation of the description (so a new endpoint is fuzzed without listing it),
each with a few generated cases: a few minutes at most for the whole API.
"""

import json
from functools import cache

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.services import token_create
from config.wsgi import application
from tests.factories.marketing import PlanItemFactory, SalesChanceFactory
from tests.factories.sales import ActivityFactory, ContactFactory, CustomerFactory, OrderFactory
from tests.factories.service import ServiceRequestFactory
from tests.factories.tasks import TaskFactory

EXAMPLES = 8  # per operation


@cache
def _schema():
    description = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(description)))
    loaded.app = application
    return loaded


def _labels() -> list[str]:
    return [result.ok().label for result in _schema().get_all_operations()]


@pytest.fixture
def _connections_stay_open():
    """The WSGI handler closes the database connection after each request (request_finished), as
    in production; the test's transaction lives on that connection, so keep it open for the run
    as Django's own test client does (on PostgreSQL the next query would find it closed)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_auth(db, manager, supervisor, settings, _connections_stay_open) -> dict[str, str]:
    settings.API_THROTTLE_RATE = ""  # the run sends hundreds of requests on one token
    customer = CustomerFactory(manager=manager)
    ContactFactory(customer=customer)
    ActivityFactory(customer=customer)
    OrderFactory(customer=customer)
    SalesChanceFactory(creator=manager)
    PlanItemFactory(chance=SalesChanceFactory(creator=supervisor, assignee=manager, status=2))
    ServiceRequestFactory(customer=customer, creator=manager)
    TaskFactory(owner=manager, customer=customer)
    _, secret = token_create(actor=manager, name="fuzz")
    # The in-process client does not decompress: ask for the plain body.
    return {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}


def test_every_endpoint_is_described() -> None:
    labels = set(_labels())
    assert "GET /api/v1/customers/" in labels
    assert "POST /api/v1/opportunities/{id}/assign/" in labels
    assert "GET /api/v1/reports/{slug}/" in labels
    assert len(labels) >= 40


@pytest.mark.parametrize("label", _labels())
def test_the_api_never_fails_and_keeps_its_schema(api_auth, label) -> None:
    operation = _schema().find_operation_by_label(label)

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        response = case.call(headers=api_auth)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()

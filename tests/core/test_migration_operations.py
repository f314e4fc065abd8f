import json

import pytest
from django.db import connection

from service.models import ServiceRequest
from tests.factories.sales import CustomerFactory
from tests.factories.service import ServiceRequestFactory


def _estimated_rows(queryset) -> int:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]


@pytest.mark.django_db
def test_contains_filters_are_estimated_from_statistics(manager) -> None:
    """Without statistics on UPPER(title) PostgreSQL guesses one row for a two-character
    `contains` and plans nested loops; with them it sees that half the table matches."""
    if connection.vendor != "postgresql":
        pytest.skip("expression statistics are PostgreSQL's")
    customer = CustomerFactory(manager=manager)
    ServiceRequestFactory.create_batch(150, customer=customer, creator=manager)  # 咨询…
    ServiceRequestFactory.create_batch(
        150, customer=customer, creator=manager, title="投诉：发货延迟"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ServiceRequest._meta.db_table}")
    estimate = _estimated_rows(ServiceRequest.objects.filter(title__icontains="咨询"))
    assert 75 <= estimate <= 300

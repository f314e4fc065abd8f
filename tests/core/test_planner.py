"""`core.planner`: each hint holds inside its block only, whatever surrounds it, and the deep
pages of a list that asks for it are read under it."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.planner import index_reads, nested_loops
from tests.factories.marketing import QuoteFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting"),
]

HINTS = [
    (index_reads, ("enable_seqscan",)),
    (nested_loops, ("enable_hashjoin", "enable_mergejoin")),
]


def _settings(names: tuple[str, ...]) -> set[str]:
    with connection.cursor() as cursor:
        values = set()
        for name in names:
            cursor.execute(f"SHOW {name}")
            values.add(cursor.fetchone()[0])
        return values


@pytest.mark.parametrize(("hint", "names"), HINTS)
def test_the_hint_ends_with_the_block_alone_and_inside_a_transaction(hint, names) -> None:
    assert _settings(names) == {"on"}
    with hint():
        assert _settings(names) == {"off"}
    assert _settings(names) == {"on"}
    with transaction.atomic():
        with hint():
            assert _settings(names) == {"off"}
        assert _settings(names) == {"on"}


@pytest.mark.parametrize(("hint", "names"), HINTS)
def test_an_error_inside_rolls_the_hint_back_with_the_block(hint, names) -> None:
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), hint():
            1 / 0  # noqa: B018
        assert _settings(names) == {"on"}


def test_a_deep_page_of_quotes_reads_its_ids_row_by_row(client, manager) -> None:
    from tests.factories.sales import CustomerFactory

    customer = CustomerFactory(manager=manager)
    QuoteFactory.create_batch(115, customer=customer)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("marketing:quote-list"), {"page": 12})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 5
    sql = [query["sql"] for query in queries]
    hinted = [n for n, text in enumerate(sql) if "'enable_hashjoin', 'off'" in text]
    assert len(hinted) == 1
    # The ids of the page come right after the hint; the rows, read by id, after them.
    assert "OFFSET 110" in sql[hinted[0] + 1]
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("marketing:quote-list"))
    assert not any("enable_hashjoin" in query["sql"] for query in queries)

"""`core.planner`: each hint holds inside its block only, whatever surrounds it."""

import pytest
from django.db import connection, transaction

from core.planner import index_reads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting"),
]

HINTS = [
    (index_reads, ("enable_seqscan",)),
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

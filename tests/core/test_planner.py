"""`core.planner.index_reads`: the hint holds inside the block only, whatever surrounds it."""

import pytest
from django.db import connection, transaction

from core.planner import index_reads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting"),
]


def _seq_scans() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        return cursor.fetchone()[0]


def test_the_hint_ends_with_the_block_alone_and_inside_a_transaction() -> None:
    assert _seq_scans() == "on"
    with index_reads():
        assert _seq_scans() == "off"
    assert _seq_scans() == "on"
    with transaction.atomic():
        with index_reads():
            assert _seq_scans() == "off"
        assert _seq_scans() == "on"


def test_an_error_inside_rolls_the_hint_back_with_the_block() -> None:
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), index_reads():
            1 / 0  # noqa: B018
        assert _seq_scans() == "on"

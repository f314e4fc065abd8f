"""The application's PostgreSQL connections run without JIT and without parallel workers
(config/settings.py: both cost our short queries more CPU than they saved)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings"),
]


def _show(setting: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        return cursor.fetchone()[0]


def test_no_jit_and_no_parallel_workers() -> None:
    assert _show("jit") == "off"
    assert _show("max_parallel_workers_per_gather") == "0"

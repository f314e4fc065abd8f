import threading

import pytest
from django.db import close_old_connections, connection

from sales.models import CustomerUserObjectPermission
from sales.services import customer_share, customer_shares
from tests.factories.sales import CustomerFactory


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_shares_of_one_customer_all_succeed(manager, other_manager) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    customer = CustomerFactory(manager=manager)
    barrier = threading.Barrier(10)
    errors: list[Exception] = []

    def share(index: int) -> None:
        try:
            barrier.wait()
            customer_share(
                actor=manager, customers=[customer], user=other_manager, can_edit=index % 2 == 0
            )
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=share, args=(index,)) for index in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [row["user"] for row in customer_shares(customer)] == [other_manager]
    grants = CustomerUserObjectPermission.objects.filter(user=other_manager)
    assert grants.count() in (1, 2)  # view, plus edit if the last one asked for it
    assert grants.values("permission").distinct().count() == grants.count()

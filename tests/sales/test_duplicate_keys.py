"""The duplicate keys' holder counts (`sales.duplicate_keys`): the triggers keep them equal to a
count from the customers after every kind of write, on both databases."""

from collections import Counter

import pytest
from django.db import connection, transaction

from jobs.models import Job
from sales import duplicate_keys
from sales.models import Customer, DuplicateKey
from sales.selectors import (
    NAME_CORE_LENGTH,
    PHONE_DIGITS,
    duplicate_pairs,
    name_core,
    phone_digits,
)
from sales.services import customer_delete, customer_transfer, customer_update
from search.services import customer_merge
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db


def _counted() -> dict[tuple[str, str], int]:
    """The table, without the keys no one holds any more."""
    return {(row.kind, row.key): row.holders for row in DuplicateKey.objects.exclude(holders=0)}


def _expected() -> dict[tuple[str, str], int]:
    """The holders of every key, counted in Python from the live customers."""
    counts: Counter[tuple[str, str]] = Counter()
    for name, phone in Customer.objects.exclude(status=Customer.Status.DELETED).values_list(
        "name", "phone"
    ):
        if len(core := name_core(name)) >= NAME_CORE_LENGTH:
            counts["name", core] += 1
        if len(digits := phone_digits(phone)) >= PHONE_DIGITS:
            counts["phone", digits] += 1
    return dict(counts)


def _exact() -> None:
    assert _counted() == _expected()


def test_creates_count_their_keys_and_short_keys_are_left_out(manager) -> None:
    CustomerFactory(manager=manager, name="北京瑞丰科技有限公司", phone="010-8877 6655")
    CustomerFactory(manager=manager, name="瑞丰", phone="０１０８８７７６６５５")
    CustomerFactory(manager=manager, name="有限公司", phone="8001")  # core "", 4 digits
    assert _counted() == {("name", "北京瑞丰"): 1, ("name", "瑞丰"): 1, ("phone", "01088776655"): 2}


def test_updates_deletes_restores_and_bulk_writes_keep_the_counts(supervisor, manager) -> None:
    first = CustomerFactory(manager=manager, name="北京瑞丰科技", phone="010-88776655")
    second = CustomerFactory(manager=manager, name="上海明科", phone="010-88776655")
    _exact()
    customer_update(actor=manager, customer=first, name="上海明科有限公司", phone="021-1234567")
    _exact()
    customer_delete(actor=manager, customer=second)  # soft: status DELETED
    _exact()
    assert ("name", "上海明科") in _counted()
    Customer.objects.filter(pk=second.pk).update(status=Customer.Status.NORMAL)  # restored
    assert _counted()[("name", "上海明科")] == 2
    Customer.objects.bulk_create(
        [Customer(number=f"KH9{n:04}", name="深圳海通", phone="", manager=manager) for n in (1, 2)]
    )
    _exact()
    Customer.objects.filter(name="深圳海通").update(phone="0755-22223333")
    _exact()
    Customer.objects.filter(pk=first.pk).delete()  # a hard delete
    _exact()


def test_a_transfer_changes_no_key(supervisor, manager, other_manager) -> None:
    customer = CustomerFactory(manager=manager, name="北京瑞丰科技", phone="010-88776655")
    before = _counted()
    customer_transfer(actor=supervisor, customers=[customer], to_manager=other_manager)
    assert _counted() == before


def test_a_merge_counts_the_merged_customer_out(supervisor, manager) -> None:
    survivor = CustomerFactory(manager=manager, name="北京瑞丰科技", phone="010-88776655")
    other = CustomerFactory(manager=manager, name="北京瑞丰", phone="010-88776655")
    assert list(duplicate_pairs(user=supervisor, by="phone")) == [
        {"pk": other.pk, "duplicate_of": survivor.pk}
    ]
    customer_merge(actor=supervisor, survivor=survivor, other=other)
    _exact()
    assert list(duplicate_pairs(user=supervisor, by="phone")) == []


def test_an_import_counts_its_rows(importer, manager) -> None:
    CustomerFactory(manager=manager, name="聪海信息科技有限公司", phone="010-1234567")
    header = "客户名称,客户经理（用户名）,地区,客户等级,地址,电话\n"
    rows = "".join(f"聪海信息{n},manager1,北京,2,北京海淀,010-1234567\n" for n in range(3))
    job = importer("sales:customer-import", (header + rows).encode())
    assert job.status == Job.Status.DONE, job.errors
    _exact()
    assert _counted()[("phone", "0101234567")] == 4


def test_a_rolled_back_write_leaves_the_counts(manager) -> None:
    CustomerFactory(manager=manager, name="北京瑞丰科技", phone="010-88776655")
    before = _counted()

    def write_then_fail() -> None:
        with transaction.atomic():
            CustomerFactory(manager=manager, name="北京瑞丰", phone="010-88776655")
            assert _counted() != before
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert _counted() == before


def test_missing_triggers_are_installed_and_the_counts_rebuilt(manager) -> None:
    """As after a migration that rebuilt the customers' table on SQLite (its triggers gone):
    the writes made meanwhile are counted by the rebuild that `migrate` then runs."""
    CustomerFactory(manager=manager, name="北京瑞丰科技", phone="010-88776655")
    with connection.cursor() as cursor:
        for trigger in duplicate_keys.TRIGGERS:
            suffix = f" ON {duplicate_keys.CUSTOMERS}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER {trigger}{suffix}")
    assert duplicate_keys.installed() == set()
    CustomerFactory(manager=manager, name="北京瑞丰", phone="010-88776655")  # uncounted
    assert _counted() != _expected()
    duplicate_keys.install_after_migrate()
    assert duplicate_keys.installed() == set(duplicate_keys.TRIGGERS)
    _exact()
    CustomerFactory(manager=manager, name="北京明科", phone="010-88776655")
    _exact()


def test_migrate_replaces_a_trigger_by_the_current_code(manager) -> None:
    """A trigger in the database as an earlier version wrote it (here one that counts
    nothing) is written again as this code writes it when `migrate` ends."""
    insert = duplicate_keys.TRIGGERS[0]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {insert}_rows() RETURNS trigger LANGUAGE plpgsql"
                " AS $$ BEGIN RETURN NULL; END $$"
            )
        else:
            cursor.execute(f"DROP TRIGGER {insert}")
            cursor.execute(
                f"CREATE TRIGGER {insert} AFTER INSERT ON {duplicate_keys.CUSTOMERS}"
                " BEGIN SELECT 1; END"
            )
    CustomerFactory(manager=manager, name="北京瑞丰科技", phone="")
    assert ("name", "北京瑞丰") not in _counted()  # the old body counted nothing
    duplicate_keys.install_after_migrate()
    CustomerFactory(manager=manager, name="上海明科", phone="")
    assert _counted()[("name", "上海明科")] == 1


def test_the_rebuild_gives_what_the_triggers_kept(manager) -> None:
    for name, phone in [("北京瑞丰科技", "010-88776655"), ("瑞丰", "01088776655"), ("明", "1")]:
        CustomerFactory(manager=manager, name=name, phone=phone)
    kept = _counted()
    assert duplicate_keys.rebuild() == len(kept)
    assert _counted() == kept


def test_a_customer_deleted_after_its_keys_rows_leaves_no_negative_count(manager) -> None:
    """As a flush may delete the tables in either order."""
    customer = CustomerFactory(manager=manager, name="北京瑞丰科技", phone="010-88776655")
    DuplicateKey.objects.all().delete()
    Customer.objects.filter(pk=customer.pk).update(name="上海明科")  # counted out, then in
    customer.delete()
    assert list(DuplicateKey.objects.filter(holders__lt=0)) == []
    assert _counted() == _expected() == {}

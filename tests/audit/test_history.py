"""Field history: who, how and the exact old and new values, shown readably on each record."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audit.context import IMPORT, JOB, USER, history_actor
from audit.history import EMPTY
from audit.models import AuditEvent
from jobs.models import Job
from jobs.scheduling import recorded
from marketing.models import SalesChance
from sales import services
from sales.models import Customer
from tests.factories.inventory import level, region
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import CustomerFactory, CustomerLossFactory
from tests.sales.test_customer_writes import _data

pytestmark = pytest.mark.django_db


def _entries(client, url_name: str, *args):
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    return response.context["object_list"]


def _changes(entry) -> dict[str, tuple[str, str]]:
    return {change.label: (change.old, change.new) for change in entry.changes}


def test_an_edit_through_the_page_records_who_and_each_changed_field(client, manager) -> None:
    customer = CustomerFactory(
        manager=manager, name="旧名称", region=region("北京"), level=level(1)
    )
    client.force_login(manager)
    client.post(
        reverse("sales:customer-edit", args=[customer.number]),
        _data(name="新名称", region=region("上海").pk, level=level(2).pk),
    )
    latest = customer.history.first()
    assert (latest.history_type, latest.history_user, latest.history_via) == ("~", manager, USER)

    entries = _entries(client, "sales:customer-history", customer.number)
    assert entries[0].who == str(manager)
    changes = _changes(entries[0])
    assert changes["name"] == ("旧名称", "新名称")
    assert changes["region"] == (str(region("北京")), str(region("上海")))
    assert changes["customer level"] == (str(level(1)), str(level(2)))
    assert "customer manager" not in changes  # unchanged fields are not listed
    assert entries[-1].kind == "Created"  # newest first: the creation comes last


def test_an_import_records_import_and_the_jobs_user(
    client, supervisor, manager, django_capture_on_commit_callbacks
) -> None:
    content = (
        "客户名称,客户经理（用户名）,地区,客户等级,地址,电话,联系人,联系人职务,联系人电话,联系人邮箱\n"
        "太阳药业,manager1,上海,2,上海浦东,021-1,张先生,经理,139,z@x.cn\n"
    ).encode()
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("sales:customer-import"), {"file": SimpleUploadedFile("f.csv", content)}
        )
    job = Job.objects.latest("pk")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jobs:confirm", args=[job.pk]))
    customer = Customer.objects.get(name="太阳药业")
    record = customer.history.get()
    assert (record.history_type, record.history_user, record.history_via) == (
        "+",
        supervisor,
        IMPORT,
    )
    assert customer.contacts.get().history.get().history_via == IMPORT
    entry = _entries(client, "sales:customer-history", customer.number)[0]
    assert entry.who == f"{supervisor} (import)"
    assert _changes(entry)["name"] == (EMPTY, "太阳药业")
    assert _changes(entry)["customer manager"] == (EMPTY, str(manager))
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.actor, event.details["rows"]) == (supervisor, 1)


def test_a_background_job_is_recorded_as_job(client, manager, other_manager, supervisor) -> None:
    customer = CustomerFactory(manager=manager)

    @recorded("detect-customer-loss")
    def move() -> str:
        services.customer_transfer(actor=supervisor, customers=[customer], to_manager=other_manager)
        return "moved"

    move()
    record = customer.history.first()
    assert (record.history_via, record.history_user, record.manager_id) == (
        JOB,
        None,
        other_manager.pk,
    )
    client.force_login(supervisor)
    entry = _entries(client, "sales:customer-history", customer.number)[0]
    assert entry.who == "job"
    assert _changes(entry)["customer manager"] == (str(manager), str(other_manager))


def test_a_merge_moves_the_contacts_with_their_history(client, supervisor, manager) -> None:
    from search.services import customer_merge
    from tests.factories.sales import ContactFactory

    survivor, other = CustomerFactory(manager=manager), CustomerFactory(manager=manager)
    contact = ContactFactory(customer=other)
    with history_actor(supervisor):
        customer_merge(actor=supervisor, survivor=survivor, other=other)
    client.force_login(supervisor)
    entry = _entries(client, "sales:contact-history", survivor.number, contact.pk)[0]
    assert entry.who == str(supervisor)
    assert _changes(entry)["customer"] == (str(other), str(survivor))


def test_a_loss_confirmation_shows_the_status_change(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    loss = CustomerLossFactory(customer=customer)
    with history_actor(manager):
        services.loss_confirm(actor=manager, loss=loss, reason="价格")
    client.force_login(manager)
    entry = _entries(client, "sales:customer-history", customer.number)[0]
    assert _changes(entry)["status"] == ("Normal", "Lost")


def test_opportunity_assignment_and_win_are_recorded(client, supervisor, manager) -> None:
    chance = SalesChanceFactory(creator=supervisor, customer_name="远大集团")
    client.force_login(supervisor)
    client.post(reverse("marketing:chance-assign", args=[chance.pk]), {"assignee": manager.pk})
    assigned = _changes(_entries(client, "marketing:chance-history", chance.pk)[0])
    assert assigned["status"] == ("Unassigned", "Developing")
    assert assigned[str(SalesChance._meta.get_field("assignee").verbose_name)] == (
        EMPTY,
        str(manager),
    )
    client.force_login(manager)
    client.post(reverse("marketing:chance-win", args=[chance.pk]))
    won = _changes(_entries(client, "marketing:chance-history", chance.pk)[0])
    assert won["status"] == ("Developing", "Won")
    customer = Customer.objects.get(name="远大集团")
    assert won[str(SalesChance._meta.get_field("customer").verbose_name)] == (EMPTY, str(customer))


def test_history_is_paged_newest_first_with_the_previous_value_across_pages(
    client, manager
) -> None:
    customer = CustomerFactory(manager=manager, phone="0")
    for number in range(1, 26):
        services.customer_update(actor=manager, customer=customer, phone=str(number))
    client.force_login(manager)
    first = _entries(client, "sales:customer-history", customer.number)
    assert len(first) == 20
    assert _changes(first[0])["phone"] == ("24", "25")
    response = client.get(reverse("sales:customer-history", args=[customer.number]) + "?page=2")
    second = response.context["object_list"]
    # The last entry of page 2 compares with the creation, on the same page.
    assert [_changes(entry).get("phone") for entry in second][:2] == [("4", "5"), ("3", "4")]
    assert second[-1].kind == "Created"


def test_query_count_is_constant(client, manager, django_assert_max_num_queries) -> None:
    def page_for(edits: int) -> int:
        customer = CustomerFactory(manager=manager, region=region("北京"), level=level(1))
        for number in range(edits):
            services.customer_update(
                actor=manager,
                customer=customer,
                phone=str(number),
                level=level(1 + number % 3),
                region=region("上海" if number % 2 else "北京"),
            )
        with django_assert_max_num_queries(12) as captured:
            _entries(client, "sales:customer-history", customer.number)
        return len(captured)

    client.force_login(manager)
    assert page_for(3) == page_for(40)


def test_a_history_of_1000_entries_takes_the_queries_of_a_short_one(
    client, manager, django_assert_max_num_queries
) -> None:
    """The bench's page (DESIGN §9: a record's history with 1,000 entries ≤ 30 ms)."""
    import datetime

    from django.utils import timezone

    def page_for(entries: int) -> int:
        customer = CustomerFactory(manager=manager, region=region("北京"), level=level(1))
        history = customer.history.model
        fields = {f.attname: getattr(customer, f.attname) for f in history.tracked_fields}
        start = timezone.now() - datetime.timedelta(days=entries)
        history.objects.bulk_create(
            history(
                **{**fields, "phone": f"010-{index:06d}"},
                history_date=start + datetime.timedelta(days=index),
                history_type="~",
                history_user_id=manager.pk,
                history_via=USER,
            )
            for index in range(entries)
        )
        with django_assert_max_num_queries(12) as captured:
            shown = _entries(client, "sales:customer-history", customer.number)
        # The newest is the creation (now); then the newest bulk row, against the one before it.
        assert _changes(shown[1])["phone"] == (f"010-{entries - 2:06d}", f"010-{entries - 1:06d}")
        return len(captured)

    client.force_login(manager)
    assert page_for(1000) == page_for(5)


def test_history_exports_to_xlsx_and_is_audited(client, manager) -> None:
    customer = CustomerFactory(manager=manager, phone="1")
    services.customer_update(actor=manager, customer=customer, phone="2")
    client.force_login(manager)
    response = client.get(
        reverse("sales:customer-history", args=[customer.number]) + "?format=xlsx"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3:] == ("field", "old value", "new value")
    assert ("phone", "1", "2") in [row[3:] for row in rows]
    event = AuditEvent.objects.get(action=AuditEvent.Action.HISTORY_EXPORT)
    assert (event.actor, event.object_id) == (manager, str(customer.pk))


def test_other_records_have_their_pages(client, admin_user, manager) -> None:
    from accounts import services as account_services

    client.force_login(admin_user)
    account_services.user_update(
        actor=admin_user,
        user=manager,
        username=manager.username,
        role=manager.role,
        first_name="大明",
        last_name="",
        email="m@example.com",
    )
    entry = _entries(client, "accounts:user-history", manager.pk)[0]
    assert _changes(entry)["first name"] == ("小明", "大明")
    assert "password" not in str(manager.history.model._meta.get_fields())


def test_role_rights_changes_are_recorded(admin_user) -> None:
    from accounts import services as account_services
    from accounts.models import Role, RoleRight

    role = Role.objects.create(name="测试", description="")
    with history_actor(admin_user):
        account_services.role_set_rights(actor=admin_user, role=role, codes=["sales.view_customer"])
        account_services.role_set_rights(actor=admin_user, role=role, codes=["tasks.view_task"])
    kinds = sorted(
        (row.history_type, row.right.code)
        for row in RoleRight.history.filter(role_id=role.pk).select_related("right")
    )
    assert kinds == sorted(
        [
            ("+", "sales.view_customer"),
            ("+", "menu.customers"),
            ("-", "sales.view_customer"),
            ("-", "menu.customers"),
            ("+", "tasks.view_task"),
            ("+", "menu.tasks"),
        ]
    )
    event = AuditEvent.objects.filter(action=AuditEvent.Action.RIGHTS_CHANGE).first()
    assert event.details == {
        "granted": ["menu.tasks", "tasks.view_task"],
        "revoked": ["menu.customers", "sales.view_customer"],
    }

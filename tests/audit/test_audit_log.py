"""The security audit log: sign-ins, exports, rights; read-only; pruned after the retention."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AUDIT_IMMUTABLE, AuditEvent
from audit.services import audit_record, prune_audit_events
from sales import services
from tests.factories.accounts import PASSWORD
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11) Test"


def _login(client, username: str, password: str):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR="10.1.2.3",
    )


def test_a_failed_login_is_recorded_with_address_and_agent(client, manager) -> None:
    _login(client, manager.username, "not-the-password")
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_label) == (
        AuditEvent.Action.LOGIN_FAILED,
        None,
        manager.username,
    )
    assert (event.address, event.user_agent, event.object_id) == (
        "10.1.2.3",
        BROWSER,
        str(manager.pk),
    )


def test_login_and_logout_are_recorded(client, manager) -> None:
    _login(client, manager.username, PASSWORD)
    client.post(reverse("accounts:logout"))
    assert list(AuditEvent.objects.order_by("id").values_list("action", "actor", "address")) == [
        (AuditEvent.Action.LOGIN, manager.pk, "10.1.2.3"),
        (AuditEvent.Action.LOGOUT, manager.pk, "127.0.0.1"),
    ]


def test_an_export_is_recorded_with_rows_and_filters(client, manager) -> None:
    CustomerFactory(manager=manager, name="甲公司")
    CustomerFactory(manager=manager, name="乙公司")
    client.force_login(manager)
    response = client.get(reverse("sales:customer-export") + "?name=公司&format=csv")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == manager
    assert event.details == {"rows": 2, "filters": {"name": "公司"}, "format": "csv"}


def test_transfers_are_recorded(supervisor, manager, other_manager) -> None:
    customer = CustomerFactory(manager=manager)
    services.customer_transfer(actor=supervisor, customers=[customer], to_manager=other_manager)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CUSTOMER_TRANSFER)
    assert (event.actor, event.object_id) == (supervisor, str(customer.pk))
    assert (event.details["from"], event.details["to"]) == (str(manager), str(other_manager))


def test_entries_cannot_be_changed_or_deleted(admin_user) -> None:
    event = audit_record(action=AuditEvent.Action.EXPORT, actor=admin_user)
    event.object_label = "changed"
    with pytest.raises(ValidationError) as refused:
        event.save()
    assert refused.value.messages == [str(AUDIT_IMMUTABLE)]
    with pytest.raises(ValidationError):
        event.delete()
    assert AuditEvent.objects.get().object_label == ""


def test_prune_deletes_only_entries_past_the_retention(admin_user, settings) -> None:
    settings.AUDIT_RETENTION_DAYS = 30
    old = audit_record(action=AuditEvent.Action.EXPORT, actor=admin_user)
    AuditEvent.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    kept = audit_record(action=AuditEvent.Action.EXPORT, actor=admin_user)
    assert prune_audit_events() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_log_page_filters_and_exports(client, admin_user, manager) -> None:
    audit_record(action=AuditEvent.Action.EXPORT, actor=manager, label="客户")
    audit_record(action=AuditEvent.Action.LOGIN, actor=admin_user)
    client.force_login(admin_user)
    page = client.get(reverse("audit:log") + "?action=export")
    assert [event.action for event in page.context["object_list"]] == ["export"]
    response = client.get(reverse("audit:export") + "?action=export&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "客户" in text
    assert text.count("\n") == 2  # header and the one export (the login is filtered out)
    exported = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).first()
    assert exported.details["filters"] == {"action": "export"}
    assert exported.details["rows"] == 1


def test_the_log_page_query_count_is_constant(
    client, admin_user, django_assert_max_num_queries
) -> None:
    client.force_login(admin_user)
    for _index in range(60):
        audit_record(action=AuditEvent.Action.LOGIN, actor=admin_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("audit:log"))


def test_an_anonymous_actor_is_no_actor_and_details_become_json() -> None:
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(
        action=AuditEvent.Action.EXPORT,
        actor=AnonymousUser(),
        details={"day": datetime.date(2026, 1, 2), "codes": ("a", "b"), "none": None},
    )
    event.refresh_from_db()
    assert (event.actor, event.actor_name) == (None, "")
    assert event.details == {"day": "2026-01-02", "codes": ["a", "b"], "none": None}

"""The sales write services check their own rules: called directly by a user without the right,
each refuses with its message and changes nothing. Also the customer page's section registry."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from sales import sections, services
from sales.models import (
    Activity,
    Contact,
    Customer,
    CustomerLoss,
    CustomerTransfer,
    CustomerUserObjectPermission,
)
from tests.factories.sales import (
    ActivityFactory,
    ContactFactory,
    CustomerFactory,
    CustomerLossFactory,
)

pytestmark = pytest.mark.django_db


def _refused(message, call, *args, **kwargs) -> None:
    with pytest.raises(ValidationError) as error:
        call(*args, **kwargs)
    assert error.value.messages == [str(message)]


def test_only_customer_managers_create_customers(supervisor, executive, manager) -> None:
    for user in (supervisor, executive):
        _refused(
            services.CREATE_DENIED, services.customer_create, actor=user, name="甲", manager=manager
        )
    assert not Customer.objects.exists()


def test_changes_to_a_customer_need_the_edit_rule(supervisor, other_manager, manager) -> None:
    customer = CustomerFactory(manager=manager, name="原名")
    contact = ContactFactory(customer=customer)
    activity = ActivityFactory(customer=customer)
    for user in (supervisor, other_manager):
        _refused(
            services.EDIT_DENIED,
            services.customer_update,
            actor=user,
            customer=customer,
            name="新名",
        )
        _refused(
            services.EDIT_DENIED,
            services.contact_create,
            actor=user,
            customer=customer,
            name="李",
        )
        _refused(
            services.EDIT_DENIED, services.contact_update, actor=user, contact=contact, name="王"
        )
        _refused(services.EDIT_DENIED, services.contact_delete, actor=user, contact=contact)
        _refused(
            services.EDIT_DENIED,
            services.activity_save,
            actor=user,
            activity=Activity(customer=customer),
            title="拜访",
        )
        _refused(
            services.EDIT_DENIED,
            services.activity_save,
            actor=user,
            activity=activity,
            title="改",
        )
        _refused(services.EDIT_DENIED, services.activity_delete, actor=user, activity=activity)
        _refused(services.DELETE_DENIED, services.customer_delete, actor=user, customer=customer)
    customer.refresh_from_db()
    assert (customer.name, customer.status) == ("原名", Customer.Status.NORMAL)
    assert list(Contact.objects.all()) == [contact]
    assert list(Activity.objects.all()) == [activity]


def test_the_manager_changes_their_own_customer(manager) -> None:
    customer = CustomerFactory(manager=manager)
    contact = services.contact_create(actor=manager, customer=customer, name="李")
    services.contact_update(actor=manager, contact=contact, name="王")
    activity = services.activity_save(
        actor=manager,
        activity=Activity(customer=customer),
        title="拜访",
        occurred_at=timezone.now(),
        place="公司",
    )
    services.activity_delete(actor=manager, activity=activity)
    services.contact_delete(actor=manager, contact=contact)
    services.customer_delete(actor=manager, customer=customer)
    customer.refresh_from_db()
    assert customer.status == Customer.Status.DELETED
    assert not Contact.objects.exists()
    _refused(
        services.CUSTOMER_DELETED,
        services.customer_update,
        actor=manager,
        customer=customer,
        name="x",
    )


def test_customer_update_refuses_the_number_manager_and_status(manager) -> None:
    customer = CustomerFactory(manager=manager)
    with pytest.raises(ValueError, match="manager"):
        services.customer_update(actor=manager, customer=customer, manager=manager)


def test_transfer_needs_the_right_and_a_customer_holder(
    supervisor, manager, other_manager, executive
) -> None:
    customer = CustomerFactory(manager=manager)
    _refused(
        services.TRANSFER_DENIED,
        services.customer_transfer,
        actor=manager,
        customers=[customer],
        to_manager=other_manager,
    )
    # A supervisor reads customers but does not hold them; neither does an executive.
    for user in (supervisor, executive):
        _refused(
            services.NOT_A_HOLDER,
            services.customer_transfer,
            actor=supervisor,
            customers=[customer],
            to_manager=user,
        )
    other_manager.role.is_active = False
    other_manager.role.save()
    _refused(
        services.NOT_A_HOLDER,
        services.customer_transfer,
        actor=supervisor,
        customers=[customer],
        to_manager=other_manager,
    )
    customer.refresh_from_db()
    assert customer.manager == manager
    assert not CustomerTransfer.objects.exists()


def test_transfer_moves_live_customers_and_drops_a_redundant_share(
    supervisor, manager, other_manager
) -> None:
    customer = CustomerFactory(manager=manager)
    deleted = CustomerFactory(manager=manager, status=Customer.Status.DELETED)
    already = CustomerFactory(manager=other_manager)
    services.customer_share(actor=manager, customers=[customer], user=other_manager, can_edit=False)
    moved = services.customer_transfer(
        actor=supervisor, customers=[customer, deleted, already], to_manager=other_manager
    )
    assert moved == 1
    assert set(Customer.objects.filter(manager=other_manager)) == {customer, already}
    assert not CustomerUserObjectPermission.objects.exists()
    assert Notification.objects.get(user=other_manager).link == reverse("sales:customer-list")
    assert services.customer_transfer(actor=supervisor, customers=[], to_manager=manager) == 0


def test_sharing_needs_the_share_rule(manager, other_manager, executive, supervisor) -> None:
    mine = CustomerFactory(manager=manager)
    theirs = CustomerFactory(manager=other_manager)
    _refused(
        services.SHARE_DENIED,
        services.customer_share,
        actor=manager,
        customers=[mine, theirs],
        user=supervisor,
        can_edit=False,
    )
    _refused(
        services.SHARE_DENIED,
        services.customer_share,
        actor=executive,
        customers=[mine],
        user=supervisor,
        can_edit=False,
    )
    assert not CustomerUserObjectPermission.objects.exists()
    # The supervisor (view-all) shares any customer; sharing with its manager is a no-op.
    assert (
        services.customer_share(
            actor=supervisor, customers=[mine, theirs], user=manager, can_edit=True
        )
        == 1
    )
    assert [row["can_edit"] for row in services.customer_shares(theirs)] == [True]
    _refused(
        services.SHARE_DENIED,
        services.customer_unshare,
        actor=manager,
        customer=theirs,
        user=manager,
    )
    services.customer_unshare(actor=supervisor, customer=theirs, user=manager)
    assert services.customer_shares(theirs) == []


def test_sharing_with_a_disabled_user_is_refused(manager, other_manager) -> None:
    other_manager.is_active = False
    _refused(
        services.SHARE_INACTIVE,
        services.customer_share,
        actor=manager,
        customers=[CustomerFactory(manager=manager)],
        user=other_manager,
        can_edit=False,
    )


def test_loss_handling_needs_the_loss_rule(supervisor, other_manager, manager) -> None:
    loss = CustomerLossFactory(customer=CustomerFactory(manager=manager))
    for user in (supervisor, other_manager):
        _refused(services.LOSS_DENIED, services.loss_pause, actor=user, loss=loss, measure="回访")
        _refused(services.LOSS_DENIED, services.loss_confirm, actor=user, loss=loss, reason="转向")
    loss.refresh_from_db()
    assert loss.status == CustomerLoss.Status.WARNING
    _refused(services.MEASURE_REQUIRED, services.loss_pause, actor=manager, loss=loss, measure=" ")
    _refused(services.REASON_REQUIRED, services.loss_confirm, actor=manager, loss=loss, reason="")
    services.loss_confirm(actor=manager, loss=loss, reason="转向")
    _refused(
        services.LOSS_CLOSED % {"status": CustomerLoss.Status.CONFIRMED.label},
        services.loss_pause,
        actor=manager,
        loss=loss,
        measure="回访",
    )


def test_sections_render_in_order_with_their_own_context(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    calls = []

    def context(user, shown):
        calls.append((user, shown))
        return {"tickets": []}

    before = dict(sections._SECTIONS)
    try:
        sections.register_customer_section(
            order=1, template="service/_customer_tickets.html", context=context
        )
        sections.register_customer_section(
            order=0, template="sales/_test_section.html", context=lambda user, shown: {}
        )
        listed = [s.template for s in sections.registered_sections()]
        assert listed.index("sales/_test_section.html") == 0
        assert listed.index("service/_customer_tickets.html") == 1
    finally:
        sections._SECTIONS.clear()
        sections._SECTIONS.update(before)
    # The apps registered their sections once each (a second registration replaces the first).
    assert [s.template for s in sections.registered_sections()] == [
        "tasks/_customer_tasks.html",
        "service/_customer_tickets.html",
        "marketing/_customer_quotes.html",
        "documents/_attachments.html",
        "reports/_customer_timeline.html",
    ]
    sections.register_customer_section(
        order=100, template="service/_customer_tickets.html", context=context
    )
    try:
        client.force_login(manager)
        page = client.get(reverse("sales:customer-detail", args=[customer.number]))
        assert calls == [(manager, customer)]
        assert 'id="tickets"' in page.content.decode()
    finally:
        sections._SECTIONS.clear()
        sections._SECTIONS.update(before)

from functools import cached_property
from typing import Any

from tests.access.matrix import Case, allow

CUSTOMER_READERS = ("supervisor", "manager", "other_manager", "executive")
# Pages of one customer (manager1's): the others with view-all read it; other_manager gets 404.
CUSTOMER_PAGE = allow("supervisor", "manager", "executive", other_manager=404)
# Changing it: only its manager (supervisors and executives read all but cannot change).
CUSTOMER_CHANGE = allow("manager", other_manager=404)


class SalesWorld:
    users: dict[str, Any]

    @cached_property
    def customer(self) -> Any:
        from tests.factories.sales import CustomerFactory

        return CustomerFactory(manager=self.users["manager"])

    @cached_property
    def contact(self) -> Any:
        from tests.factories.sales import ContactFactory

        return ContactFactory(customer=self.customer)

    @cached_property
    def activity(self) -> Any:
        from tests.factories.sales import ActivityFactory

        return ActivityFactory(customer=self.customer)

    @cached_property
    def order(self) -> Any:
        from tests.factories.sales import OrderLineFactory

        return OrderLineFactory(order__customer=self.customer).order

    @cached_property
    def loss(self) -> Any:
        from tests.factories.sales import CustomerLossFactory

        return CustomerLossFactory(customer=self.customer)

    @cached_property
    def tag(self) -> Any:
        from tests.factories.sales import TagFactory

        return TagFactory()

    @cached_property
    def group(self) -> Any:
        """manager1's personal group: the others (with the right) get 404."""
        from tests.factories.sales import CustomerGroupFactory

        return CustomerGroupFactory(owner=self.users["manager"])


def _customer(world: Any) -> dict[str, Any]:
    return {"number": world.customer.number}


def _part(name: str) -> Any:
    return lambda world: {"number": world.customer.number, "pk": getattr(world, name).pk}


def _selected(world: Any) -> str:
    return f"?customer={world.customer.number}"


CASES = [
    Case("sales:customer-list", allow(*CUSTOMER_READERS)),
    Case("sales:customer-create", allow("manager", "other_manager")),
    Case("sales:customer-export", allow("supervisor", "manager", "other_manager", "executive")),
    # The customer ticked in the list is manager1's: other_manager cannot act on it (404).
    Case("sales:customer-transfer", allow("supervisor"), query=_selected),
    Case(
        "sales:customer-share", allow("supervisor", "manager", other_manager=404), query=_selected
    ),
    Case("sales:customer-bulk-tag", allow("manager", other_manager=404), query=_selected),
    Case(
        "sales:customer-bulk-export",
        allow("supervisor", "manager", "executive", other_manager=404),
        query=_selected,
    ),
    Case("sales:customer-tags", CUSTOMER_CHANGE, kwargs=_customer),
    Case("sales:tag-list", allow("admin")),
    Case("sales:tag-create", allow("admin")),
    Case("sales:tag-edit", allow("admin"), kwargs=lambda w: {"pk": w.tag.pk}),
    Case("sales:tag-delete", allow("admin"), kwargs=lambda w: {"pk": w.tag.pk}),
    Case("sales:group-list", allow(*CUSTOMER_READERS)),
    Case("sales:group-create", allow(*CUSTOMER_READERS)),
    Case(
        "sales:group-count",
        allow("manager", supervisor=404, other_manager=404, executive=404),
        kwargs=lambda w: {"pk": w.group.pk},
    ),
    Case(
        "sales:group-edit",
        allow("manager", supervisor=404, other_manager=404, executive=404),
        kwargs=lambda w: {"pk": w.group.pk},
    ),
    Case(
        "sales:group-delete",
        allow("manager", supervisor=404, other_manager=404, executive=404),
        kwargs=lambda w: {"pk": w.group.pk},
    ),
    Case("sales:customer-import", allow("admin", "supervisor")),
    Case("sales:order-import", allow("admin", "supervisor")),
    Case("sales:loss-list", allow("supervisor", "manager", "other_manager")),
    Case("sales:loss-pause", CUSTOMER_CHANGE, kwargs=lambda w: {"pk": w.loss.pk}),
    Case("sales:loss-confirm", CUSTOMER_CHANGE, kwargs=lambda w: {"pk": w.loss.pk}),
    Case("sales:customer-detail", CUSTOMER_PAGE, kwargs=_customer),
    Case("sales:customer-edit", CUSTOMER_CHANGE, kwargs=_customer),
    Case("sales:customer-delete", CUSTOMER_CHANGE, kwargs=_customer),
    Case(
        "sales:customer-unshare",
        allow("supervisor", "manager", ok=302, other_manager=404),
        kwargs=lambda w: {"number": w.customer.number, "user_id": w.users["executive"].pk},
        method="post",
    ),
    Case("sales:contact-create", CUSTOMER_CHANGE, kwargs=_customer),
    Case("sales:contact-edit", CUSTOMER_CHANGE, kwargs=_part("contact")),
    Case("sales:contact-delete", CUSTOMER_CHANGE, kwargs=_part("contact")),
    Case("sales:activity-list", allow(*CUSTOMER_READERS)),
    Case("sales:customer-activity-list", CUSTOMER_PAGE, kwargs=_customer),
    Case("sales:activity-detail", CUSTOMER_PAGE, kwargs=_part("activity")),
    # Superiors (view-all) comment on the interaction manager logged; manager may not.
    Case(
        "sales:activity-detail",
        allow("supervisor", "executive", ok=302, other_manager=404),
        kwargs=_part("activity"),
        method="post",
        data=lambda w: {"text": "同意，下周跟进"},
        label="comment",
    ),
    Case("sales:activity-create", CUSTOMER_CHANGE, kwargs=_customer),
    Case("sales:activity-edit", CUSTOMER_CHANGE, kwargs=_part("activity")),
    Case("sales:activity-delete", CUSTOMER_CHANGE, kwargs=_part("activity")),
    Case("sales:order-list", CUSTOMER_PAGE, kwargs=_customer),
    Case("sales:order-detail", CUSTOMER_PAGE, kwargs=_part("order")),
    Case("sales:customer-history", CUSTOMER_PAGE, kwargs=_customer),
    Case("sales:contact-history", CUSTOMER_PAGE, kwargs=_part("contact")),
    Case("sales:order-history", CUSTOMER_PAGE, kwargs=_part("order")),
]

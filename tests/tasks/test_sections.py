import pytest
from django.template.loader import render_to_string

from tasks.sections import customer_tasks_context
from tests.factories.sales import CustomerFactory
from tests.factories.tasks import TaskFactory

pytestmark = pytest.mark.django_db


def test_the_customer_section_lists_the_open_tasks_the_user_may_see(
    manager, supervisor, executive, django_assert_num_queries
) -> None:
    customer = CustomerFactory(manager=manager)
    mine = TaskFactory(owner=manager, customer=customer, title="回访")
    TaskFactory(owner=manager, customer=customer, status=3)
    delegated = TaskFactory(owner=supervisor, creator=supervisor, customer=customer)
    TaskFactory(owner=manager)  # another customer's
    manager.has_perm("tasks.view_task")  # the page has read the user's rights already
    with django_assert_num_queries(1):
        context = customer_tasks_context(manager, customer)
    assert [task.pk for task in context["customer_tasks"]] == [mine.pk]
    assert {task.pk for task in customer_tasks_context(supervisor, customer)["customer_tasks"]} == {
        mine.pk,
        delegated.pk,
    }
    assert customer_tasks_context(executive, customer) == {"customer_tasks": None}
    html = render_to_string("tasks/_customer_tasks.html", {**context, "customer": customer})
    assert "回访" in html
    assert f"?customer={customer.number}" in html


def test_the_customer_page_shows_its_open_tasks_and_the_quick_add(client, manager) -> None:
    from django.urls import reverse

    customer = CustomerFactory(manager=manager)
    TaskFactory(owner=manager, customer=customer, title="电话回访张总")
    client.force_login(manager)
    response = client.get(reverse("sales:customer-detail", args=[customer.number]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "电话回访张总" in html
    assert f"?customer={customer.number}" in html


@pytest.mark.parametrize("who", ["manager", "supervisor", "executive", "other_manager"])
def test_the_customer_page_with_its_sections_stays_within_twelve_queries(
    client, manager, supervisor, executive, other_manager, who, django_assert_max_num_queries
) -> None:
    from django.urls import reverse

    from sales.services import customer_share
    from tests.factories.sales import ContactFactory, OrderLineFactory

    customer = CustomerFactory(manager=manager)
    ContactFactory.create_batch(3, customer=customer)
    OrderLineFactory.create_batch(3, order__customer=customer)
    TaskFactory.create_batch(3, owner=manager, customer=customer)
    customer_share(actor=manager, customers=[customer], user=other_manager, can_edit=True)
    users = {"manager": manager, "supervisor": supervisor, "executive": executive}
    client.force_login(users.get(who, other_manager))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("sales:customer-detail", args=[customer.number]))
    assert response.status_code == 200

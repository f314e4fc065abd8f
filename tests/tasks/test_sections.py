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

"""Who sees which task, per role."""

import pytest

from sales.services import customer_share
from tasks.models import Task
from tasks.permissions import (
    can_cancel_task,
    can_complete_task,
    can_edit_task,
    can_reopen_task,
    visible_tasks,
)
from tests.factories.sales import CustomerFactory
from tests.factories.tasks import TaskFactory

pytestmark = pytest.mark.django_db


def _ids(user) -> set[int]:
    return set(visible_tasks(user).values_list("pk", flat=True))


def test_a_manager_sees_own_and_created_tasks_only(manager, other_manager, supervisor) -> None:
    own = TaskFactory(owner=manager)
    created = TaskFactory(owner=other_manager, creator=manager)
    assigned = TaskFactory(owner=manager, creator=supervisor)
    theirs = TaskFactory(owner=other_manager)
    assert _ids(manager) == {own.pk, created.pk, assigned.pk}
    assert theirs.pk in _ids(other_manager)


def test_a_supervisor_sees_every_task(supervisor, manager, other_manager) -> None:
    tasks = {TaskFactory(owner=manager).pk, TaskFactory(owner=other_manager).pk}
    assert tasks <= _ids(supervisor)


def test_the_executive_and_the_admin_see_no_tasks(executive, admin_user, manager) -> None:
    TaskFactory(owner=manager)
    assert _ids(executive) == set()
    assert _ids(admin_user) == set()


def test_a_task_on_another_managers_customer_is_hidden_from_its_owner(
    manager, other_manager
) -> None:
    """The customer was transferred away: the owner keeps the task but may not see it."""
    theirs = CustomerFactory(manager=other_manager)
    task = TaskFactory(owner=manager, customer=theirs)
    plain = TaskFactory(owner=manager)
    assert _ids(manager) == {plain.pk}
    assert task.pk not in _ids(manager)


def test_sharing_the_customer_makes_the_task_visible_again(manager, other_manager) -> None:
    theirs = CustomerFactory(manager=other_manager)
    task = TaskFactory(owner=manager, customer=theirs)
    customer_share(actor=other_manager, customers=[theirs], user=manager, can_edit=False)
    assert task.pk in _ids(manager)


def test_a_task_on_a_deleted_customer_is_hidden_even_with_view_all(supervisor, manager) -> None:
    customer = CustomerFactory(manager=manager, status=3)
    task = TaskFactory(owner=manager, customer=customer)
    assert task.pk not in _ids(supervisor)
    assert task.pk not in _ids(manager)


def test_an_inactive_user_sees_nothing(manager) -> None:
    TaskFactory(owner=manager)
    manager.is_active = False
    assert _ids(manager) == set()


def test_can_rules_per_state_and_role(manager, other_manager, supervisor, executive) -> None:
    task = TaskFactory(owner=manager)
    for rule in (can_edit_task, can_complete_task, can_cancel_task):
        assert rule(manager, task)
        assert rule(supervisor, task)
        assert not rule(other_manager, task)
        assert not rule(executive, task)
    assert not can_reopen_task(manager, task)
    task.status = Task.Status.DONE
    assert can_reopen_task(manager, task)
    assert not can_edit_task(manager, task)
    assert not can_reopen_task(other_manager, task)

"""Who may see and act on which tasks."""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from accounts.models import User
from sales.models import Customer
from sales.permissions import customer_visibility, visible_customers
from tasks.models import Task

VIEW_RIGHT = "tasks.view_task"
ASSIGN_RIGHT = "tasks.assign_task"
VIEW_ALL_RIGHT = "tasks.view_all_tasks"


def visible_tasks(user: User, customer: Customer | None = None) -> QuerySet[Task]:
    """Tasks the user owns or created, or every task with the view-all right; a task linked to
    a customer only while the user may also see that customer. `customer`: only that
    customer's tasks."""
    tasks = Task.objects.all()
    if not user.is_authenticated or not user.is_active or not user.has_perm(VIEW_RIGHT):
        return tasks.none()
    if not user.has_perm(VIEW_ALL_RIGHT):
        tasks = tasks.filter(Q(owner=user) | Q(creator=user))
    if customer is not None:
        return tasks.filter(customer=customer).filter(customer_visibility(user, customer=customer))
    # Read in due order along an index, a page at a time: the rule on the joined customer.
    return tasks.filter(Q(customer__isnull=True) | customer_visibility(user, per_row=True))


def can_see_customer(user: User, customer: Customer) -> bool:
    return visible_customers(user).filter(pk=customer.pk).exists()


def can_assign_task_to(user: User, owner: User) -> bool:
    """A user files tasks for themselves; holders of the assign right also for active users
    who hold the tasks right."""
    if not user.has_perm(VIEW_RIGHT):
        return False
    if owner.pk == user.pk:
        return True
    return user.has_perm(ASSIGN_RIGHT) and owner.is_active and owner.has_perm(VIEW_RIGHT)


def _may_act(user: User, task: Task) -> bool:
    return user.has_perm(VIEW_RIGHT) and (
        task.owner_id == user.pk or task.creator_id == user.pk or user.has_perm(ASSIGN_RIGHT)
    )


def can_edit_task(user: User, task: Task) -> bool:
    return task.status == Task.Status.OPEN and _may_act(user, task)


def task_editor(user: User) -> Callable[[int, int, int], bool]:
    """`can_edit_task` for many rows at once (the calendar): the user's rights are read once;
    the returned test takes a row's status, owner id and creator id."""
    may_view, may_assign = user.has_perm(VIEW_RIGHT), user.has_perm(ASSIGN_RIGHT)
    user_pk = user.pk  # read once: request.user is a lazy object, slow to read per row

    def editable(status: int, owner_id: int, creator_id: int) -> bool:
        return (
            may_view
            and status == Task.Status.OPEN
            and (user_pk in (owner_id, creator_id) or may_assign)
        )

    return editable


def can_complete_task(user: User, task: Task) -> bool:
    return task.status == Task.Status.OPEN and _may_act(user, task)


def can_cancel_task(user: User, task: Task) -> bool:
    return task.status == Task.Status.OPEN and _may_act(user, task)


def can_reopen_task(user: User, task: Task) -> bool:
    return task.status in (Task.Status.DONE, Task.Status.CANCELLED) and _may_act(user, task)


def can_view_calendar_of(user: User, owner: User) -> bool:
    """Everyone sees their own calendar; supervisors (view-all or assign right) overlay a rep's."""
    if not user.has_perm(VIEW_RIGHT):
        return False
    if owner.pk == user.pk:
        return True
    return (user.has_perm(VIEW_ALL_RIGHT) or user.has_perm(ASSIGN_RIGHT)) and owner.is_active


def can_overlay_calendars(user: User) -> bool:
    return user.has_perm(VIEW_RIGHT) and (
        user.has_perm(VIEW_ALL_RIGHT) or user.has_perm(ASSIGN_RIGHT)
    )

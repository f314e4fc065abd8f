from functools import cached_property
from typing import Any

from tests.access.matrix import ROLES, Case, allow


class TasksWorld:
    users: dict[str, Any]

    @cached_property
    def task(self) -> Any:
        """An open task of manager, linked to manager's customer."""
        from tests.factories.tasks import TaskFactory

        return TaskFactory(owner=self.users["manager"], customer=self.customer)  # type: ignore[attr-defined]

    @cached_property
    def done_task(self) -> Any:
        from django.utils import timezone

        from tests.factories.tasks import TaskFactory

        return TaskFactory(owner=self.users["manager"], status=2, completed_at=timezone.now())

    @cached_property
    def feed_token(self) -> str:
        from tasks.services import feed_token_regenerate

        return feed_token_regenerate(user=self.users["manager"])


# The supervisor holds the view-all right (and sees manager's customer); other_manager owns
# nothing, so manager's tasks are a 404 for them; the admin and the executive lack the right.
TASK_ROLES = ("supervisor", "manager")

CASES = [
    Case("tasks:list", allow(*TASK_ROLES, "other_manager")),
    Case("tasks:create", allow(*TASK_ROLES, "other_manager")),
    Case(
        "tasks:create",
        allow(*TASK_ROLES, other_manager=404),
        query=lambda w: f"?customer={w.customer.number}",
        label="customer",
    ),
    Case("tasks:settings", allow(*TASK_ROLES, "other_manager")),
    Case(
        "tasks:settings",
        allow(*TASK_ROLES, "other_manager", ok=302),
        method="post",
        data=lambda w: {"digest_enabled": "on"},
        label="post",
    ),
    Case(
        "tasks:feed",
        dict.fromkeys(ROLES, 200),  # the token is the key, whoever is signed in
        kwargs=lambda w: {"token": w.feed_token},
    ),
    Case(
        "tasks:feed",
        dict.fromkeys(ROLES, 404),
        kwargs=lambda w: {"token": "not-a-token"},
        label="unknown",
    ),
    Case(
        "tasks:detail",
        allow(*TASK_ROLES, other_manager=404),
        kwargs=lambda w: {"pk": w.task.pk},
    ),
    Case(
        "tasks:history",
        allow(*TASK_ROLES, other_manager=404),
        kwargs=lambda w: {"pk": w.task.pk},
    ),
    Case(
        "tasks:edit",
        allow(*TASK_ROLES, other_manager=404),
        kwargs=lambda w: {"pk": w.task.pk},
    ),
    Case(
        "tasks:complete",
        allow(*TASK_ROLES, other_manager=404, ok=302),
        kwargs=lambda w: {"pk": w.task.pk},
        method="post",
    ),
    Case(
        "tasks:cancel",
        allow(*TASK_ROLES, other_manager=404),
        kwargs=lambda w: {"pk": w.task.pk},
    ),
    Case(
        "tasks:cancel",
        allow(*TASK_ROLES, other_manager=404, ok=302),
        kwargs=lambda w: {"pk": w.task.pk},
        method="post",
        label="post",
    ),
    Case(
        "tasks:reopen",
        allow(*TASK_ROLES, other_manager=404),
        kwargs=lambda w: {"pk": w.done_task.pk},
    ),
    Case(
        "tasks:reopen",
        allow(*TASK_ROLES, other_manager=404, ok=302),
        kwargs=lambda w: {"pk": w.done_task.pk},
        method="post",
        label="post",
    ),
    # The calendar's drag to reschedule (JSON); the supervisor holds the assign right.
    Case(
        "tasks:move",
        allow(*TASK_ROLES, other_manager=404),
        kwargs=lambda w: {"pk": w.task.pk},
        method="post",
        data=lambda w: {"start": "2030-01-02T10:00:00+08:00", "all_day": "0"},
    ),
    # An interaction with its next step: the customer's manager only (supervisors read it).
    Case(
        "tasks:activity-create",
        allow("manager", other_manager=404),
        kwargs=lambda w: {"number": w.customer.number},
    ),
]

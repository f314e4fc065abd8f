import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tasks import services
from tasks.models import Task
from tests.factories.sales import ContactFactory, CustomerFactory
from tests.factories.tasks import TaskFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def _soon(hours: int = 2) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def test_a_manager_creates_a_task_for_themselves(manager) -> None:
    task = services.task_create(actor=manager, title="回访", due_at=_soon())
    assert (task.owner, task.creator, task.status) == (manager, manager, Task.Status.OPEN)
    assert task.remind_at is None


def test_a_manager_cannot_create_a_task_for_another_manager(manager, other_manager) -> None:
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=manager, owner=other_manager, title="回访", due_at=_soon())
    assert error.value.messages == [str(services.TASK_CANNOT_ASSIGN)]


def test_a_supervisor_creates_a_task_for_a_manager(supervisor, manager) -> None:
    task = services.task_create(actor=supervisor, owner=manager, title="回访", due_at=_soon())
    assert (task.owner, task.creator) == (manager, supervisor)


def test_a_supervisor_cannot_assign_to_a_user_without_the_tasks_right(
    supervisor, executive
) -> None:
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=supervisor, owner=executive, title="回访", due_at=_soon())
    assert error.value.messages == [str(services.TASK_CANNOT_ASSIGN)]


def test_a_reminder_lead_time_over_30_days_is_refused(manager) -> None:
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=manager,
            title="回访",
            due_at=_soon(24 * 60),
            remind_before=datetime.timedelta(days=30, minutes=1),
        )
    assert error.value.messages == [str(services.TASK_REMINDER_TOO_LONG)]
    task = services.task_create(
        actor=manager, title="回访", due_at=_soon(24 * 60), remind_before=datetime.timedelta(30)
    )
    assert task.remind_at == task.due_at - datetime.timedelta(days=30)


def test_a_negative_lead_time_is_refused(manager) -> None:
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=manager, title="回访", due_at=_soon(), remind_before=datetime.timedelta(-1)
        )
    assert error.value.messages == [str(services.TASK_REMINDER_NEGATIVE)]


def test_a_visit_needs_a_place(manager) -> None:
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=manager, title="拜访", kind=Task.Kind.VISIT, due_at=_soon())
    assert error.value.messages == [str(services.TASK_VISIT_NEEDS_PLACE)]
    task = services.task_create(
        actor=manager, title="拜访", kind=Task.Kind.VISIT, place="客户公司", due_at=_soon()
    )
    assert task.place == "客户公司"


def test_a_task_cannot_link_a_customer_the_actor_cannot_see(manager, other_manager) -> None:
    theirs = CustomerFactory(manager=other_manager)
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=manager, title="回访", due_at=_soon(), customer=theirs)
    assert error.value.messages == [str(services.TASK_CUSTOMER_NOT_VISIBLE)]


def test_a_supervisor_cannot_give_a_rep_a_task_on_a_customer_the_rep_cannot_see(
    supervisor, manager, other_manager
) -> None:
    theirs = CustomerFactory(manager=other_manager)
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=supervisor, owner=manager, title="回访", due_at=_soon(), customer=theirs
        )
    assert error.value.messages == [str(services.TASK_OWNER_CANNOT_SEE_CUSTOMER)]


def test_a_contact_sets_its_customer_and_must_match_a_given_one(manager) -> None:
    contact = ContactFactory(customer=CustomerFactory(manager=manager))
    task = services.task_create(actor=manager, title="回访", due_at=_soon(), contact=contact)
    assert task.customer == contact.customer
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=manager,
            title="回访",
            due_at=_soon(),
            contact=contact,
            customer=CustomerFactory(manager=manager),
        )
    assert error.value.messages == [str(services.TASK_CONTACT_OF_OTHER_CUSTOMER)]


def test_an_all_day_task_is_due_at_the_start_of_its_local_day(manager, settings) -> None:
    moment = datetime.datetime(2030, 5, 6, 15, 30, tzinfo=SHANGHAI)
    task = services.task_create(actor=manager, title="回访", due_at=moment, all_day=True)
    local = timezone.localtime(task.due_at)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2030, 5, 6), 0, 0)
    # Stored in UTC: Asia/Shanghai midnight is 16:00 the day before.
    assert task.due_at.astimezone(datetime.UTC).hour == 16


def test_a_past_due_date_is_allowed_flagged_overdue_and_never_reminded(manager) -> None:
    task = services.task_create(
        actor=manager,
        title="已拜访",
        due_at=timezone.now() - datetime.timedelta(hours=3),
        remind_before=datetime.timedelta(minutes=30),
    )
    assert task.is_overdue
    assert task.reminded_at is not None


def test_an_all_day_task_of_today_is_not_overdue(manager) -> None:
    task = services.task_create(actor=manager, title="回访", due_at=timezone.now(), all_day=True)
    assert not task.is_overdue


def test_complete_cancel_reopen(manager) -> None:
    task = services.task_create(actor=manager, title="回访", due_at=_soon())
    task = services.task_complete(actor=manager, task=task)
    assert task.status == Task.Status.DONE
    assert task.completed_at is not None
    with pytest.raises(ValidationError) as error:
        services.task_complete(actor=manager, task=task)
    assert error.value.messages == [str(services.TASK_CANNOT_COMPLETE)]
    with pytest.raises(ValidationError) as error:
        services.task_cancel(actor=manager, task=task)
    assert error.value.messages == [str(services.TASK_CANNOT_CANCEL)]
    task = services.task_reopen(actor=manager, task=task)
    assert task.status == Task.Status.OPEN
    assert task.completed_at is None
    with pytest.raises(ValidationError) as error:
        services.task_reopen(actor=manager, task=task)
    assert error.value.messages == [str(services.TASK_CANNOT_REOPEN)]
    task = services.task_cancel(actor=manager, task=task)
    assert task.status == Task.Status.CANCELLED
    with pytest.raises(ValidationError) as error:
        services.task_update(actor=manager, task=task, data={"title": "改"})
    assert error.value.messages == [str(services.TASK_CANNOT_EDIT)]
    assert services.task_reopen(actor=manager, task=task).status == Task.Status.OPEN


def test_transitions_read_the_current_state_not_a_stale_copy(manager) -> None:
    task = services.task_create(actor=manager, title="回访", due_at=_soon())
    stale = Task.objects.get(pk=task.pk)
    services.task_cancel(actor=manager, task=task)
    with pytest.raises(ValidationError):
        services.task_complete(actor=manager, task=stale)
    assert Task.objects.get(pk=task.pk).status == Task.Status.CANCELLED


def test_another_manager_cannot_act_on_a_task(manager, other_manager) -> None:
    task = services.task_create(actor=manager, title="回访", due_at=_soon())
    for service in (services.task_complete, services.task_cancel):
        with pytest.raises(ValidationError):
            service(actor=other_manager, task=task)
    with pytest.raises(ValidationError) as error:
        services.task_update(actor=other_manager, task=task, data={"title": "改"})
    assert error.value.messages == [str(services.TASK_CANNOT_EDIT)]


def test_the_creator_and_a_supervisor_may_complete_a_reps_task(supervisor, manager) -> None:
    task = services.task_create(actor=supervisor, owner=manager, title="回访", due_at=_soon())
    assert services.task_complete(actor=supervisor, task=task).status == Task.Status.DONE


def test_changing_the_due_date_rearms_the_reminder(manager) -> None:
    task = services.task_create(
        actor=manager, title="回访", due_at=_soon(), remind_before=datetime.timedelta(hours=1)
    )
    Task.objects.filter(pk=task.pk).update(reminded_at=timezone.now())
    task.refresh_from_db()
    later = _soon(48)
    task = services.task_update(actor=manager, task=task, data={"due_at": later})
    task.refresh_from_db()
    assert task.reminded_at is None
    assert task.remind_at == later - datetime.timedelta(hours=1)


def test_editing_the_title_does_not_rearm_a_sent_reminder(manager) -> None:
    task = services.task_create(
        actor=manager, title="回访", due_at=_soon(), remind_before=datetime.timedelta(hours=1)
    )
    Task.objects.filter(pk=task.pk).update(reminded_at=timezone.now())
    task = services.task_update(
        actor=manager, task=Task.objects.get(pk=task.pk), data={"title": "电话回访"}
    )
    task.refresh_from_db()
    assert task.title == "电话回访"
    assert task.reminded_at is not None


def test_the_database_refuses_a_visit_without_a_place(manager) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TaskFactory(owner=manager, kind=Task.Kind.VISIT, place="")


def test_the_database_refuses_a_lead_time_over_30_days(manager) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TaskFactory(
            owner=manager,
            remind_before=datetime.timedelta(days=31),
            remind_at=timezone.now(),
        )


def test_the_database_refuses_done_without_a_completion_time(manager) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TaskFactory(owner=manager, status=Task.Status.DONE)

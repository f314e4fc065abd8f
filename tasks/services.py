"""Every write of the tasks module: tasks and their transitions, reminders, the feed token."""

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import language_of, notify_many
from jobs.mail import queue_mails
from sales.models import Activity, Contact, Customer
from sales.services import activity_save
from tasks import permissions
from tasks.models import MAX_REMIND_BEFORE, Task, TaskSettings

TASK_CANNOT_ASSIGN = gettext_lazy("You may not create tasks for this user.")
TASK_CANNOT_EDIT = gettext_lazy("Only open tasks you own, created or supervise can be edited.")
TASK_CANNOT_COMPLETE = gettext_lazy("Only open tasks can be marked done.")
TASK_CANNOT_CANCEL = gettext_lazy("Only open tasks can be cancelled.")
TASK_CANNOT_REOPEN = gettext_lazy("Only done or cancelled tasks can be reopened.")
TASK_REMINDER_TOO_LONG = gettext_lazy("A reminder can be at most 30 days before the due time.")
TASK_REMINDER_NEGATIVE = gettext_lazy("A reminder cannot come after the due time.")
TASK_VISIT_NEEDS_PLACE = gettext_lazy("A visit needs a place.")
TASK_TITLE_REQUIRED = gettext_lazy("A task needs a title.")
TASK_CUSTOMER_NOT_VISIBLE = gettext_lazy("You cannot link a task to this customer.")
TASK_OWNER_CANNOT_SEE_CUSTOMER = gettext_lazy(
    "The task's owner cannot see this customer, so they could not see the task."
)
TASK_CONTACT_OF_OTHER_CUSTOMER = gettext_lazy("The contact belongs to another customer.")

EDITABLE_FIELDS = (
    "title",
    "notes",
    "kind",
    "place",
    "due_at",
    "all_day",
    "remind_before",
    "priority",
    "owner",
    "customer",
    "contact",
)


def start_of_day(due_at: datetime.datetime) -> datetime.datetime:
    """An all-day task is due at the start of its day in the site's time zone."""
    local = timezone.localtime(due_at)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _clean(*, actor: User, task: Task) -> None:
    """The rules a task's fields must follow, checked on create and on every edit."""
    if not task.title.strip():
        raise ValidationError(TASK_TITLE_REQUIRED)
    if task.remind_before is not None:
        if task.remind_before > MAX_REMIND_BEFORE:
            raise ValidationError(TASK_REMINDER_TOO_LONG)
        if task.remind_before < datetime.timedelta(0):
            raise ValidationError(TASK_REMINDER_NEGATIVE)
    if task.kind == Task.Kind.VISIT and not task.place.strip():
        raise ValidationError(TASK_VISIT_NEEDS_PLACE)
    if not permissions.can_assign_task_to(actor, task.owner):
        raise ValidationError(TASK_CANNOT_ASSIGN)
    _clean_links(actor=actor, task=task)


def _clean_links(*, actor: User, task: Task) -> None:
    """A contact implies its customer; both actor and owner must be able to see the customer."""
    if task.contact is not None:
        if task.customer is None:
            task.customer = task.contact.customer
        elif task.contact.customer_id != task.customer.pk:
            raise ValidationError(TASK_CONTACT_OF_OTHER_CUSTOMER)
    if task.customer is not None:
        if not permissions.can_see_customer(actor, task.customer):
            raise ValidationError(TASK_CUSTOMER_NOT_VISIBLE)
        if not permissions.can_see_customer(task.owner, task.customer):
            raise ValidationError(TASK_OWNER_CANNOT_SEE_CUSTOMER)


def _arm_reminder(task: Task) -> None:
    """Compute when to remind and re-arm; a task already past due at saving is not reminded."""
    if task.all_day:
        task.due_at = start_of_day(task.due_at)
    if task.remind_before is None:
        task.remind_at = None
        task.reminded_at = None
        return
    task.remind_at = task.due_at - task.remind_before
    task.reminded_at = timezone.now() if task.overdue_from <= timezone.now() else None


@transaction.atomic
def task_create(
    *,
    actor: User,
    owner: User | None = None,
    title: str,
    due_at: datetime.datetime,
    all_day: bool = False,
    notes: str = "",
    kind: str = Task.Kind.TODO,
    place: str = "",
    priority: int = Task.Priority.NORMAL,
    remind_before: datetime.timedelta | None = None,
    customer: Customer | None = None,
    contact: Contact | None = None,
    chance: Any = None,
    ticket: Any = None,
) -> Task:
    """File a task for oneself, or (with the assign right) for a rep. A past due date is
    allowed, for logging work done; such a task shows as overdue and is never reminded."""
    task = Task(
        owner=owner or actor,
        creator=actor,
        title=title,
        due_at=due_at,
        all_day=all_day,
        notes=notes,
        kind=kind,
        place=place,
        priority=priority,
        remind_before=remind_before,
        customer=customer,
        contact=contact,
        chance=chance,
        ticket=ticket,
    )
    _clean(actor=actor, task=task)
    _arm_reminder(task)
    task.save()
    return task


def _locked(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("owner", "customer")
        .get(pk=task.pk)
    )


@transaction.atomic
def task_update(*, actor: User, task: Task, data: dict[str, Any]) -> Task:
    """Edit an open task; a change of the due time or the lead time re-arms the reminder."""
    task = _locked(task)
    if not permissions.can_edit_task(actor, task):
        raise ValidationError(TASK_CANNOT_EDIT)
    before = (task.due_at, task.all_day, task.remind_before)
    changed = [name for name in EDITABLE_FIELDS if name in data]
    for name in changed:
        setattr(task, name, data[name])
    _clean(actor=actor, task=task)
    if task.all_day:
        task.due_at = start_of_day(task.due_at)
    fields = [*changed, "updated_at"]
    if (task.due_at, task.all_day, task.remind_before) != before:
        _arm_reminder(task)
        fields += ["due_at", "remind_at", "reminded_at"]
    if "contact" in changed:
        fields.append("customer")
    task.save(update_fields=sorted(set(fields)))
    return task


@transaction.atomic
def task_complete(*, actor: User, task: Task) -> Task:
    """Mark an open task done (one click from the list)."""
    task = _locked(task)
    if not permissions.can_complete_task(actor, task):
        raise ValidationError(TASK_CANNOT_COMPLETE)
    task.status = Task.Status.DONE
    task.completed_at = timezone.now()
    task.save(update_fields=["status", "completed_at", "updated_at"])
    return task


@transaction.atomic
def task_cancel(*, actor: User, task: Task) -> Task:
    """Cancel an open task; it is no longer reminded nor listed as to do."""
    task = _locked(task)
    if not permissions.can_cancel_task(actor, task):
        raise ValidationError(TASK_CANNOT_CANCEL)
    task.status = Task.Status.CANCELLED
    task.save(update_fields=["status", "updated_at"])
    return task


@transaction.atomic
def task_reopen(*, actor: User, task: Task) -> Task:
    """Reopen a done or cancelled task; a reminder still ahead is re-armed."""
    task = _locked(task)
    if not permissions.can_reopen_task(actor, task):
        raise ValidationError(TASK_CANNOT_REOPEN)
    task.status = Task.Status.OPEN
    task.completed_at = None
    if task.remind_at is not None and task.remind_at > timezone.now():
        task.reminded_at = None
    task.save(update_fields=["status", "completed_at", "reminded_at", "updated_at"])
    return task


# Interactions with a next step ----------------------------------------------------------------


@transaction.atomic
def activity_log_with_next_step(
    *,
    actor: User,
    customer: Customer,
    activity: dict[str, Any],
    next_step: dict[str, Any] | None = None,
) -> tuple[Activity, Task | None]:
    """Log an interaction and, when a next step is given, file it as the actor's task linked
    to the same customer: both or neither (one transaction). `sales` owns the interaction and
    cannot see tasks, so the composition lives here, one layer up."""
    logged = activity_save(actor=actor, activity=Activity(customer=customer), **activity)
    task = None
    if next_step is not None:
        task = task_create(actor=actor, customer=customer, **next_step)
    return logged, task


# Reminders -----------------------------------------------------------------------------------


REMINDER_BATCH = 500


def send_task_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind the owners of the open tasks whose reminder time has come, each exactly once.

    Batches of due tasks are claimed under `SELECT … FOR UPDATE SKIP LOCKED`, in the same
    transaction as their notifications and queued e-mails: a second beat running at the same
    time takes other rows, and one that comes later, a retry or a worker restarted mid-run
    finds the rows claimed (`reminded_at`) and sends nothing. The e-mails leave through the
    outbox, which retries them while the mail server is down; the reminder is not sent again.
    """
    now = now or timezone.now()
    due = (
        Task.objects.filter(
            status=Task.Status.OPEN,
            reminded_at__isnull=True,
            remind_at__lte=now,
            owner__is_active=True,
        )
        .select_related("owner")
        .order_by("remind_at", "pk")
    )
    sent = 0
    while batch := _claim_reminders(due, now):
        sent += len(batch)
    return sent


@transaction.atomic
def _claim_reminders(due: QuerySet[Task], now: datetime.datetime) -> list[Task]:
    batch = list(due.select_for_update(skip_locked=True, of=("self",))[:REMINDER_BATCH])
    if connection.features.has_select_for_update_skip_locked:
        Task.objects.filter(pk__in=[task.pk for task in batch]).update(reminded_at=now)
    else:
        # No row locks (SQLite, one writer at a time): a conditional update claims each row.
        batch = [
            task
            for task in batch
            if Task.objects.filter(pk=task.pk, reminded_at__isnull=True).update(reminded_at=now)
        ]
    _remind(batch)
    return batch


def _remind(tasks: list[Task]) -> None:
    """The notifications and e-mails of claimed tasks, each in its owner's language."""
    link = reverse("tasks:detail", args=[0]).removesuffix("0/") + "{}/"
    notifications: list[tuple[User, str, str]] = []
    mails: list[tuple[str, str, list[str]]] = []
    by_language: dict[str, list[Task]] = {}
    for task in tasks:
        by_language.setdefault(language_of(task.owner), []).append(task)
    with timezone.override(settings.TIME_ZONE):
        for language, group in by_language.items():
            with translation.override(language):
                text_format = _("Task “%(title)s” is due %(when)s.")
                subject_format = _("Task reminder: %(title)s")
                for task in group:
                    due = timezone.localtime(task.due_at)
                    when = formats.date_format(
                        due, "DATE_FORMAT" if task.all_day else "DATETIME_FORMAT"
                    )
                    text = text_format % {"title": task.title, "when": when}
                    notifications.append((task.owner, text, link.format(task.pk)))
                    if task.owner.email:
                        subject = subject_format % {"title": task.title}
                        mails.append((subject, text, [task.owner.email]))
    notify_many(notifications)
    queue_mails(mails, purpose="task-reminder")


# The morning digest --------------------------------------------------------------------------
# Its content (tasks, plan items, birthdays, loss warnings) is composed by `reports.digest`, which
# reads every module; this module owns the rep's switch and the once-a-day claim.


def digest_claim(*, user: User, day: datetime.date) -> bool:
    """Claim `day`'s digest of `user` (in the caller's transaction): True once per day, False
    when it was claimed already, so two beat processes or a retried job send it once."""
    TaskSettings.objects.get_or_create(user=user)
    return bool(
        TaskSettings.objects.filter(user=user)
        .filter(Q(digest_sent_on__isnull=True) | ~Q(digest_sent_on=day))
        .update(digest_sent_on=day)
    )


@transaction.atomic
def task_settings_update(*, user: User, digest_enabled: bool) -> TaskSettings:
    """Switch the morning digest on or off."""
    task_settings, _created = TaskSettings.objects.select_for_update().get_or_create(user=user)
    task_settings.digest_enabled = digest_enabled
    task_settings.save(update_fields=["digest_enabled"])
    return task_settings


# The calendar feed ---------------------------------------------------------------------------


def feed_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_token_regenerate(*, user: User) -> str:
    """Give the user a new secret feed address; the old one stops working at once. Only the
    digest is stored, so the token is shown once, now."""
    token = secrets.token_urlsafe(32)
    task_settings, _created = TaskSettings.objects.select_for_update().get_or_create(user=user)
    task_settings.feed_token_hash = feed_token_digest(token)
    task_settings.feed_token_created_at = timezone.now()
    task_settings.save(update_fields=["feed_token_hash", "feed_token_created_at"])
    return token


def tasks_move_to_customer(*, source: Customer, target: Customer) -> int:
    """Give a merged customer's tasks to the survivor (called by the merge, inside its
    transaction and locks)."""
    return Task.objects.filter(customer=source).update(customer=target)

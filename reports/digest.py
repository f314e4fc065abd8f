"""The morning digest: each rep's day by e-mail (the manager's dashboard in a mail).

Today's and overdue tasks, the plan items due, this week's birthdays and the open loss warnings,
read through the same selectors as the dashboard (so the same visibility), in the recipient's
language. Each user's digest is claimed for the day and queued in the outbox in one
transaction: sent once a day even with two beat processes, and retried by the outbox when the
mail server is down.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import language_of
from jobs.mail import queue_mail
from marketing.selectors import due_plan_items
from sales.selectors import open_loss_warnings, upcoming_birthdays
from tasks.permissions import VIEW_RIGHT as TASKS_RIGHT
from tasks.selectors import digest_recipients, today_tasks
from tasks.services import digest_claim

ITEMS = 50  # per section; the mail says how many more there are
BIRTHDAY_DAYS = 7


def digest_content(user: User, now: datetime.datetime) -> dict[str, object] | None:
    """What the user's digest lists, or None when there is nothing to tell."""
    today = timezone.localdate(now)
    tasks = today_tasks(user, now=now, limit=ITEMS) if user.has_perm(TASKS_RIGHT) else []
    plans = list(due_plan_items(user, today)[:ITEMS])
    birthdays = list(upcoming_birthdays(user, today, days=BIRTHDAY_DAYS)[:ITEMS])
    warnings = list(open_loss_warnings(user).order_by("-created_at")[:ITEMS])
    if not (tasks or plans or birthdays or warnings):
        return None
    return {
        "user": user,
        "today": today,
        "tasks": tasks,
        "plans": plans,
        "birthdays": birthdays,
        "warnings": warnings,
        "limit": ITEMS,
    }


def send_morning_digests(*, now: datetime.datetime | None = None) -> int:
    """Queue today's digest of every recipient with something to tell; returns how many."""
    now = now or timezone.now()
    queued = 0
    with timezone.override(settings.TIME_ZONE):
        for user in digest_recipients().select_related("role").iterator(chunk_size=200):
            with translation.override(language_of(user)):
                content = digest_content(user, now)
                if content is None:
                    continue
                subject = _("Your day: %(date)s") % {"date": content["today"]}
                body = render_to_string("reports/morning_digest.txt", content)
            with transaction.atomic():
                if digest_claim(user=user, day=timezone.localdate(now)):
                    queue_mail(subject=subject, body=body, to=[user.email], purpose="digest")
                    queued += 1
    return queued

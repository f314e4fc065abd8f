"""Periodic jobs of the marketing module (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils.translation import gettext as _

from jobs.scheduling import recorded
from marketing import services


@shared_task(name="marketing.tasks.expire_quotes")
@recorded("expire-quotes")
def expire_quotes() -> str:
    expired = services.quotes_expire()
    return _("%(count)d quote(s) expired.") % {"count": expired}

from celery import shared_task
from django.utils.translation import gettext as _

from api import services
from jobs.scheduling import recorded


@shared_task(name="api.tasks.prune_idempotency_keys")
@recorded("prune-idempotency-keys")
def prune_idempotency_keys() -> str:
    deleted = services.prune_idempotency_keys()
    return str(_("%(count)d expired idempotency key(s) deleted.") % {"count": deleted})

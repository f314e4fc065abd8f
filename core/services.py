"""Writes of the kernel: business-number sequences."""

from django.db import transaction
from django.db.models import F

from core.models import Sequence


@transaction.atomic
def sequence_next(*, key: str, count: int = 1) -> int:
    """Reserve `count` consecutive numbers of the counter `key` and return the first.

    The counter row is locked until the caller's transaction ends, so concurrent callers get
    distinct numbers; a rolled-back transaction gives its numbers back.
    """
    Sequence.objects.get_or_create(key=key)
    Sequence.objects.filter(key=key).update(value=F("value") + count)
    last = Sequence.objects.select_for_update().values_list("value", flat=True).get(key=key)
    return last - count + 1

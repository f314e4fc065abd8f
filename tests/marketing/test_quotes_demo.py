"""The demo's quotes: one in each of the main statuses, written once."""

import io

import pytest
from django.core.management import call_command

from marketing.models import Quote

pytestmark = pytest.mark.django_db


def test_the_demo_has_quotes_in_various_statuses_once() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    statuses = sorted(Quote.objects.values_list("status", flat=True))
    S = Quote.Status  # noqa: N806
    assert statuses == [S.DRAFT, S.PENDING, S.SENT, S.ACCEPTED, S.REJECTED]
    accepted = Quote.objects.get(status=S.ACCEPTED)
    assert accepted.order.amount == accepted.net_amount

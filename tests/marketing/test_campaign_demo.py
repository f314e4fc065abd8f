"""The demo data's campaigns: every status, a log, opportunities from the exhibition."""

import pytest
from django.core.management import call_command

from marketing.models import Campaign, CampaignLog, SalesChance


@pytest.mark.django_db
def test_seed_demo_has_campaigns() -> None:
    call_command("seed_demo", verbosity=0)
    statuses = set(Campaign.objects.values_list("status", flat=True))
    assert statuses == {1, 2, 3, 4}
    assert CampaignLog.objects.count() == 3
    fair = Campaign.objects.get(name="春季电子产品展会")
    assert SalesChance.objects.filter(campaign=fair, status=3).count() == 1

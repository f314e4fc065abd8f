"""The campaign endpoints: the pages' services and rules, written by "API" in the history."""

import pytest
from django.urls import reverse

from marketing.models import Campaign
from tests.api.conftest import token_client
from tests.factories.marketing import CampaignFactory, campaign_kind
from tests.factories.sales import CustomerGroupFactory

pytestmark = pytest.mark.django_db


def _new(**changes):
    return {
        "name": "秋季展会",
        "kind": campaign_kind().pk,
        "start_date": "2099-01-01",
        "end_date": "2099-01-03",
        "budget": "5000.00",
        **changes,
    }


def test_a_campaign_is_proposed_approved_run_and_finished(manager, supervisor) -> None:
    rep, boss = token_client(manager), token_client(supervisor)
    created = rep.post(reverse("api:campaign-list"), _new(), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["owner"], body["actual_cost"]) == (1, manager.pk, "0.00")
    url = lambda step: reverse(f"api:campaign-{step}", args=[body["id"]])  # noqa: E731
    assert rep.post(url("approve")).status_code == 403  # not an approver
    assert boss.post(url("approve")).json()["approver"] == supervisor.pk
    assert rep.post(url("start")).json()["status"] == 3
    assert rep.post(url("finish")).json()["status"] == 4
    campaign = Campaign.objects.get(pk=body["id"])
    assert campaign.history.earliest().history_via == "api"
    assert campaign.history.earliest().history_user == manager


def test_bad_dates_and_an_invisible_group_are_field_errors(manager, other_manager) -> None:
    rep = token_client(manager)
    answer = rep.post(reverse("api:campaign-list"), _new(end_date="2098-12-31"), format="json")
    assert answer.status_code == 400
    assert "end_date" in answer.json()  # the service's message, on its field
    foreign = CustomerGroupFactory(owner=other_manager, shared=False)
    answer = rep.post(reverse("api:campaign-list"), _new(target_group=foreign.pk), format="json")
    assert answer.status_code == 400
    assert "target_group" in answer.json()
    assert not Campaign.objects.exists()


def test_a_finished_step_cannot_run_twice(manager) -> None:
    campaign = CampaignFactory(owner=manager, status=4)
    answer = token_client(manager).post(reverse("api:campaign-finish", args=[campaign.pk]))
    assert answer.status_code == 400
    campaign.refresh_from_db()
    assert campaign.status == 4

from functools import cached_property
from typing import Any

from tests.access.matrix import Case, allow


class MarketingWorld:
    users: dict[str, Any]

    @cached_property
    def chance(self) -> Any:
        """Unassigned, created by manager1."""
        from tests.factories.marketing import SalesChanceFactory

        return SalesChanceFactory(creator=self.users["manager"])

    @cached_property
    def developing(self) -> Any:
        """Assigned to manager1 by the supervisor."""
        from tests.factories.marketing import SalesChanceFactory

        return SalesChanceFactory(
            creator=self.users["supervisor"], assignee=self.users["manager"], status=2
        )

    @cached_property
    def stage(self) -> Any:
        from tests.factories.marketing import StageFactory

        return StageFactory()

    @cached_property
    def plan_item(self) -> Any:
        from tests.factories.marketing import PlanItemFactory

        return PlanItemFactory(chance=self.developing)


PLANNERS = ("supervisor", "manager", "other_manager")
# manager1's opportunity: supervisors see all; other_manager neither created nor develops it.
OWN = allow("supervisor", "manager", other_manager=404)
DEVELOP = allow("manager", ok=302, supervisor=302, other_manager=404)


def _chance(world: Any) -> dict[str, int]:
    return {"pk": world.chance.pk}


def _developing(world: Any) -> dict[str, int]:
    return {"pk": world.developing.pk}


def _item(world: Any) -> dict[str, int]:
    return {"pk": world.developing.pk, "item": world.plan_item.pk}


def _stage(world: Any) -> dict[str, int]:
    return {"pk": world.stage.pk}


BOARD_READERS = allow("supervisor", "manager", "other_manager", "executive")
# A move without htmx redirects to the board; the executive sees the card but the service
# refuses (a message); other_manager does not see manager1's opportunity.
BOARD_MOVE = allow("supervisor", "manager", "executive", ok=302, other_manager=404)

CASES = [
    Case(
        "marketing:chance-bulk-assign",
        allow("supervisor"),
        query=lambda w: f"?chance={w.chance.pk}",
    ),
    Case(
        "marketing:chance-tags",
        allow("supervisor", "manager", other_manager=404),
        kwargs=lambda w: {"pk": w.chance.pk},
    ),
    Case("marketing:board", BOARD_READERS),
    Case("marketing:board", BOARD_READERS, query="?owner=&period=quarter", label="filtered"),
    Case("marketing:board-column", BOARD_READERS, kwargs=lambda w: {"key": "won"}),
    Case("marketing:board-move", BOARD_MOVE, kwargs=_developing, method="post"),
    Case("marketing:stage-list", allow("admin")),
    Case("marketing:stage-create", allow("admin")),
    Case("marketing:stage-edit", allow("admin"), kwargs=_stage),
    Case("marketing:stage-delete", allow("admin"), kwargs=_stage),
    Case("marketing:chance-list", allow(*PLANNERS)),
    Case("marketing:chance-create", allow(*PLANNERS)),
    Case("marketing:chance-edit", OWN, kwargs=_chance),
    Case("marketing:chance-history", OWN, kwargs=_chance),
    Case("marketing:chance-delete", OWN, kwargs=_chance),
    Case("marketing:chance-assign", allow("supervisor"), kwargs=_chance),
    Case("marketing:chance-reassign", allow("supervisor"), kwargs=_developing),
    Case("marketing:development-list", allow(*PLANNERS)),
    Case("marketing:development-detail", OWN, kwargs=_developing),
    # Writes on the plan: the assignee; a supervisor's POST is refused with a message (302).
    Case("marketing:plan-add", DEVELOP, kwargs=_developing, method="post"),
    Case("marketing:plan-update", DEVELOP, kwargs=_item, method="post"),
    Case("marketing:plan-delete", DEVELOP, kwargs=_item, method="post"),
    Case("marketing:plan-execute", DEVELOP, kwargs=_item, method="post"),
    Case("marketing:chance-win", DEVELOP, kwargs=_developing, method="post"),
    Case("marketing:chance-fail", DEVELOP, kwargs=_developing, method="post"),
]


# Campaigns: every reader sees the team's campaigns; the owner (manager) and supervisors run them.
class CampaignWorld:
    users: dict[str, Any]

    @cached_property
    def campaign(self) -> Any:
        """Planned, owned by manager1."""
        from tests.factories.marketing import CampaignFactory

        return CampaignFactory(owner=self.users["manager"])


def _campaign(world: Any) -> dict[str, int]:
    return {"pk": world.campaign.pk}


CAMPAIGN_READERS = allow("supervisor", "manager", "other_manager", "executive")
CAMPAIGN_PROPOSERS = allow("supervisor", "manager", "other_manager")
# The steps POST and come back to the page (302); the service refuses with a message where the
# rule does (another rep's campaign, a step the status does not allow).
CAMPAIGN_STEP = allow("supervisor", "manager", "other_manager", "executive", ok=302)

CASES += [
    Case("marketing:campaign-list", CAMPAIGN_READERS),
    Case(
        "marketing:campaign-list",
        CAMPAIGN_READERS,
        query="?status=1&kind=&owner=manager&active_from=2026-01-01&o=-cost",
        label="filtered",
    ),
    Case("marketing:campaign-create", CAMPAIGN_PROPOSERS),
    Case("marketing:campaign-detail", CAMPAIGN_READERS, kwargs=_campaign),
    # Planned: its owner and supervisors; the other rep may propose but not change it.
    Case("marketing:campaign-edit", allow("supervisor", "manager"), kwargs=_campaign),
    Case("marketing:campaign-history", CAMPAIGN_READERS, kwargs=_campaign),
    Case(
        "marketing:campaign-approve",
        allow("supervisor", ok=302),
        kwargs=_campaign,
        method="post",
    ),
    Case("marketing:campaign-start", CAMPAIGN_STEP, kwargs=_campaign, method="post"),
    Case("marketing:campaign-finish", CAMPAIGN_STEP, kwargs=_campaign, method="post"),
    Case("marketing:campaign-cancel", CAMPAIGN_STEP, kwargs=_campaign, method="post"),
    Case("marketing:campaign-log-add", CAMPAIGN_STEP, kwargs=_campaign, method="post"),
]


# The API's campaign endpoints: the pages' rules (a refused step is a 400, as on the pages a
# message).
def _api_campaign_cases() -> list[Case]:
    from tests.access.api import api

    def new_campaign(world: Any) -> dict[str, Any]:
        return {
            "name": "秋季展会",
            "kind": world.campaign.kind_id,
            "start_date": "2099-01-01",
            "end_date": "2099-01-03",
            "budget": "5000.00",
        }

    readers = ("supervisor", "manager", "other_manager", "executive")
    return [
        Case("api:campaign-list", api(*readers)),
        Case(
            "api:campaign-list",
            api("supervisor", "manager", "other_manager", ok=201),
            method="post",
            data=new_campaign,
            label="create",
        ),
        Case("api:campaign-detail", api(*readers), kwargs=_campaign),
        Case(
            "api:campaign-detail",
            api("supervisor", "manager", other_manager=400),
            kwargs=_campaign,
            method="patch",
            data=lambda w: {"budget": "8000.00"},
            label="patch",
        ),
        Case("api:campaign-approve", api("supervisor"), kwargs=_campaign, method="post"),
        # Planned: not startable by anyone (400); cancelled by its owner or an approver.
        Case("api:campaign-start", api(*readers, ok=400), kwargs=_campaign, method="post"),
        Case(
            "api:campaign-cancel",
            api("supervisor", "manager", other_manager=400, executive=400),
            kwargs=_campaign,
            method="post",
        ),
        Case("api:campaign-finish", api(*readers, ok=400), kwargs=_campaign, method="post"),
    ]


CASES += _api_campaign_cases()

"""Campaigns: the transitions and their rules, the approval rule, the target group's visibility,
the log and the actual cost, opportunities naming a campaign, and the pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Notification
from inventory.models import DictItem, DictType
from marketing import selectors, services
from marketing.models import Campaign, CampaignLog, SalesChance
from marketing.permissions import chance_campaigns, visible_campaigns
from sales.models import CustomerGroup
from tests.factories import UserFactory, role
from tests.factories.marketing import (
    CampaignFactory,
    CampaignLogFactory,
    SalesChanceFactory,
    campaign_kind,
)
from tests.factories.sales import CustomerFactory

S = Campaign.Status
TODAY = datetime.date(2026, 5, 1)


def _fields(**overrides):
    return {
        "name": "春季展会",
        "kind": campaign_kind(),
        "start_date": TODAY,
        "end_date": TODAY + datetime.timedelta(days=10),
        "budget": Decimal("5000.00"),
        "target_group": None,
        "description": "",
        **overrides,
    }


def _messages(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


@pytest.mark.django_db
def test_the_campaign_types_are_seeded_in_the_dictionary() -> None:
    items = dict(DictItem.objects.filter(type=DictType.CAMPAIGN_KIND).values_list("value", "item"))
    assert items == {
        "exhibition": "展会",
        "e-mail": "邮件营销",
        "phone": "电话营销",
        "seminar": "研讨会",
        "online": "线上推广",
    }


@pytest.mark.django_db
class TestCreateAndUpdate:
    def test_a_rep_proposes_a_planned_campaign_they_own(self, manager) -> None:
        campaign = services.campaign_create(actor=manager, **_fields())
        assert campaign.status == S.PLANNED
        assert campaign.owner == manager
        assert campaign.approver is None

    def test_an_executive_may_not_propose(self, executive) -> None:
        with pytest.raises(ValidationError) as error:
            services.campaign_create(actor=executive, **_fields())
        assert _messages(error) == str(services.CAMPAIGN_CREATE_DENIED)

    def test_end_before_start_is_refused(self, manager) -> None:
        with pytest.raises(ValidationError) as error:
            services.campaign_create(
                actor=manager, **_fields(end_date=TODAY - datetime.timedelta(1))
            )
        assert error.value.message_dict["end_date"] == [str(services.CAMPAIGN_DATES)]

    def test_a_negative_budget_is_refused(self, manager) -> None:
        with pytest.raises(ValidationError) as error:
            services.campaign_create(actor=manager, **_fields(budget=Decimal("-0.01")))
        assert error.value.message_dict["budget"] == [str(services.CAMPAIGN_BUDGET_NEGATIVE)]

    def test_the_type_must_be_a_campaign_type(self, manager) -> None:
        region = DictItem.objects.filter(type=DictType.REGION).first()
        with pytest.raises(ValidationError) as error:
            services.campaign_create(actor=manager, **_fields(kind=region))
        assert error.value.message_dict["kind"] == [str(services.CAMPAIGN_KIND_WRONG)]

    def test_a_rep_cannot_target_a_group_they_cannot_see(self, manager, supervisor) -> None:
        private = CustomerGroup.objects.create(name="大客户", owner=supervisor)
        with pytest.raises(ValidationError) as error:
            services.campaign_create(actor=manager, **_fields(target_group=private))
        assert error.value.message_dict["target_group"] == [str(services.CAMPAIGN_GROUP_HIDDEN)]
        shared = CustomerGroup.objects.create(name="共享", owner=supervisor, shared=True)
        campaign = services.campaign_create(actor=manager, **_fields(target_group=shared))
        assert campaign.target_group == shared

    def test_a_supervisor_cannot_give_a_reps_campaign_a_group_the_rep_cannot_see(
        self, manager, supervisor
    ) -> None:
        campaign = CampaignFactory(owner=manager)
        private = CustomerGroup.objects.create(name="主管的", owner=supervisor)
        with pytest.raises(ValidationError):
            services.campaign_update(
                actor=supervisor, campaign=campaign, **_fields(target_group=private)
            )

    def test_only_the_owner_or_a_supervisor_edits_and_only_while_planned(
        self, manager, other_manager, supervisor
    ) -> None:
        campaign = CampaignFactory(owner=manager)
        with pytest.raises(ValidationError) as error:
            services.campaign_update(actor=other_manager, campaign=campaign, name="别人的")
        assert _messages(error) == str(services.CAMPAIGN_UPDATE_DENIED)
        services.campaign_update(actor=supervisor, campaign=campaign, name="主管改的")
        services.campaign_update(actor=manager, campaign=campaign, name="自己改的")
        campaign.refresh_from_db()
        assert campaign.name == "自己改的"
        services.campaign_approve(actor=supervisor, campaign=campaign)
        with pytest.raises(ValidationError) as error:
            services.campaign_update(actor=manager, campaign=campaign, name="晚了")
        assert "Approved" in _messages(error)

    def test_changes_are_in_the_history(self, manager) -> None:
        campaign = services.campaign_create(actor=manager, **_fields())
        services.campaign_update(actor=manager, campaign=campaign, budget=Decimal("6000"))
        assert campaign.history.count() == 2
        assert campaign.history.first().budget == Decimal("6000")


@pytest.mark.django_db
class TestTransitions:
    def test_the_whole_way_with_a_supervisor_approving(self, manager, supervisor) -> None:
        campaign = CampaignFactory(owner=manager)
        campaign = services.campaign_approve(actor=supervisor, campaign=campaign)
        assert (campaign.status, campaign.approver) == (S.APPROVED, supervisor)
        assert campaign.approved_at is not None
        assert Notification.objects.filter(user=manager).exists()
        assert services.campaign_start(actor=manager, campaign=campaign).status == S.RUNNING
        assert services.campaign_finish(actor=manager, campaign=campaign).status == S.FINISHED

    def test_a_rep_may_not_approve(self, manager, other_manager) -> None:
        campaign = CampaignFactory(owner=other_manager)
        with pytest.raises(ValidationError) as error:
            services.campaign_approve(actor=manager, campaign=campaign)
        assert _messages(error) == str(services.CAMPAIGN_APPROVE_DENIED)

    def test_nobody_approves_their_own_campaign_even_a_supervisor(self, supervisor) -> None:
        campaign = CampaignFactory(owner=supervisor)
        with pytest.raises(ValidationError):
            services.campaign_approve(actor=supervisor, campaign=campaign)
        other = UserFactory(username="supervisor2", role=role("supervisor"))
        assert services.campaign_approve(actor=other, campaign=campaign).approver == other

    @pytest.mark.parametrize(
        ("status", "service"),
        [
            (S.PLANNED, "campaign_start"),
            (S.PLANNED, "campaign_finish"),
            (S.APPROVED, "campaign_approve"),
            (S.APPROVED, "campaign_finish"),
            (S.RUNNING, "campaign_start"),
            (S.FINISHED, "campaign_cancel"),
            (S.FINISHED, "campaign_start"),
            (S.CANCELLED, "campaign_cancel"),
            (S.CANCELLED, "campaign_start"),
        ],
    )
    def test_forbidden_transitions_change_nothing(
        self, manager, supervisor, status, service
    ) -> None:
        campaign = CampaignFactory(owner=manager, status=status)
        with pytest.raises(ValidationError) as error:
            getattr(services, service)(actor=supervisor, campaign=campaign)
        assert "now; the action was not carried out" in _messages(error)
        campaign.refresh_from_db()
        assert campaign.status == status

    @pytest.mark.parametrize("status", [S.PLANNED, S.APPROVED, S.RUNNING])
    def test_cancel_from_planned_approved_or_running(self, manager, status) -> None:
        campaign = CampaignFactory(owner=manager, status=status)
        assert services.campaign_cancel(actor=manager, campaign=campaign).status == S.CANCELLED

    def test_another_rep_may_not_run_a_campaign(self, manager, other_manager) -> None:
        campaign = CampaignFactory(owner=manager, status=S.APPROVED)
        for service in (services.campaign_start, services.campaign_cancel):
            with pytest.raises(ValidationError) as error:
                service(actor=other_manager, campaign=campaign)
            assert _messages(error) == str(services.CAMPAIGN_RUN_DENIED)

    def test_a_stale_object_is_rechecked_under_the_lock(self, manager, supervisor) -> None:
        campaign = CampaignFactory(owner=manager, status=S.APPROVED)
        stale = Campaign.objects.get(pk=campaign.pk)
        services.campaign_cancel(actor=manager, campaign=campaign)
        with pytest.raises(ValidationError):
            services.campaign_start(actor=supervisor, campaign=stale)
        assert Campaign.objects.get(pk=campaign.pk).status == S.CANCELLED


@pytest.mark.django_db
class TestLogAndCost:
    def test_log_entries_add_up_to_the_actual_cost(self, manager) -> None:
        campaign = CampaignFactory(owner=manager, status=S.RUNNING)
        services.campaign_log_add(
            actor=manager, campaign=campaign, date=TODAY, note="展位", cost=Decimal("1200.50")
        )
        services.campaign_log_add(
            actor=manager, campaign=campaign, date=TODAY, note="印刷", cost=Decimal("0.005")
        )
        row = selectors.campaign_list(manager).get(pk=campaign.pk)
        assert row.actual_cost == Decimal("1200.51")  # 0.005 rounds half up to 0.01

    def test_no_log_while_planned_or_approved(self, manager) -> None:
        campaign = CampaignFactory(owner=manager, status=S.APPROVED)
        with pytest.raises(ValidationError):
            services.campaign_log_add(
                actor=manager, campaign=campaign, date=TODAY, note="x", cost=Decimal(1)
            )

    def test_a_finished_campaign_still_takes_its_late_invoices(self, manager) -> None:
        campaign = CampaignFactory(owner=manager, status=S.FINISHED)
        entry = services.campaign_log_add(
            actor=manager, campaign=campaign, date=TODAY, note="尾款", cost=Decimal(10)
        )
        assert entry.author == manager

    def test_negative_cost_empty_note_and_others_are_refused(self, manager, other_manager) -> None:
        campaign = CampaignFactory(owner=manager, status=S.RUNNING)
        with pytest.raises(ValidationError) as error:
            services.campaign_log_add(
                actor=manager, campaign=campaign, date=TODAY, note="x", cost=Decimal(-1)
            )
        assert error.value.message_dict["cost"] == [str(services.CAMPAIGN_COST_NEGATIVE)]
        with pytest.raises(ValidationError) as error:
            services.campaign_log_add(
                actor=manager, campaign=campaign, date=TODAY, note="  ", cost=Decimal(1)
            )
        assert error.value.message_dict["note"] == [str(services.CAMPAIGN_NOTE_REQUIRED)]
        with pytest.raises(ValidationError) as error:
            services.campaign_log_add(
                actor=other_manager, campaign=campaign, date=TODAY, note="x", cost=Decimal(1)
            )
        assert _messages(error) == str(services.CAMPAIGN_LOG_DENIED)
        assert not CampaignLog.objects.exists()


@pytest.mark.django_db
class TestOpportunities:
    def test_an_opportunity_names_a_running_or_finished_campaign(self, manager) -> None:
        running = CampaignFactory(status=S.RUNNING)
        planned = CampaignFactory(status=S.PLANNED)
        assert set(chance_campaigns(manager)) == {running}
        chance = services.chance_create(
            actor=manager,
            customer_name="甲公司",
            title="采购",
            rate=50,
            description="x",
            campaign=running,
        )
        assert chance.campaign == running
        with pytest.raises(ValidationError) as error:
            services.chance_update(actor=manager, chance=chance, campaign=planned)
        assert error.value.message_dict["campaign"] == [str(services.CHANCE_CAMPAIGN_WRONG)]

    def test_a_linked_campaign_cancelled_later_stays(self, manager) -> None:
        campaign = CampaignFactory(status=S.RUNNING)
        chance = SalesChanceFactory(creator=manager, campaign=campaign)
        Campaign.objects.filter(pk=campaign.pk).update(status=S.CANCELLED)
        services.chance_update(actor=manager, chance=chance, title="改名")
        chance.refresh_from_db()
        assert chance.campaign == campaign

    def test_without_the_campaign_right_none_may_be_named_but_a_linked_one_stays(
        self, manager
    ) -> None:
        from accounts.models import Right, RoleRight
        from marketing.forms import ChanceForm
        from marketing.permissions import CHANCE_RIGHT
        from tests.factories.accounts import RoleFactory

        no_campaigns = RoleFactory()
        RoleRight.objects.create(role=no_campaigns, right=Right.objects.get(code=CHANCE_RIGHT))
        author = UserFactory(role=no_campaigns)
        running = CampaignFactory(status=S.RUNNING)
        assert not chance_campaigns(author).exists()
        assert not ChanceForm(user=author).fields["campaign"].queryset.exists()
        with pytest.raises(ValidationError) as error:
            services.chance_create(
                actor=author, customer_name="甲公司", title="采购", rate=50, campaign=running
            )
        assert error.value.message_dict["campaign"] == [str(services.CHANCE_CAMPAIGN_WRONG)]

        linked = SalesChanceFactory(creator=author, campaign=running)
        assert list(ChanceForm(user=author, instance=linked).fields["campaign"].queryset) == [
            running
        ]
        services.chance_update(actor=author, chance=linked, title="改名")
        linked.refresh_from_db()
        assert (linked.title, linked.campaign) == ("改名", running)

    def test_the_opportunity_form_offers_the_campaigns(self, client, manager) -> None:
        running = CampaignFactory(status=S.RUNNING, name="进行中的活动")
        CampaignFactory(status=S.PLANNED, name="计划中的活动")
        client.force_login(manager)
        response = client.get(reverse("marketing:chance-create"))
        choices = [
            str(label) for _value, label in response.context["form"].fields["campaign"].choices
        ]
        assert "进行中的活动" in choices
        assert "计划中的活动" not in choices
        client.post(
            reverse("marketing:chance-create"),
            {
                "customer_name": "乙公司",
                "title": "采购",
                "rate": "50",
                "description": "x",
                "campaign": running.pk,
            },
        )
        assert SalesChance.objects.get().campaign == running

    def test_result_counts_the_viewers_opportunities(
        self, manager, other_manager, supervisor
    ) -> None:
        campaign = CampaignFactory(status=S.RUNNING)
        CampaignLogFactory(campaign=campaign, cost=Decimal("1000"))
        SalesChanceFactory(creator=manager, campaign=campaign)
        SalesChanceFactory(
            creator=supervisor,
            assignee=manager,
            status=SalesChance.Status.SUCCEEDED,
            expected_amount=Decimal("3000"),
            campaign=campaign,
        )
        SalesChanceFactory(
            creator=other_manager,
            assignee=other_manager,
            status=SalesChance.Status.SUCCEEDED,
            expected_amount=Decimal("500"),
            campaign=campaign,
        )
        mine = selectors.campaign_result(manager, campaign)
        assert (mine.responses, mine.won, mine.won_amount) == (2, 1, Decimal("3000"))
        assert mine.roi == Decimal("2.0000")  # (3000 − 1000) / 1000
        everyone = selectors.campaign_result(supervisor, campaign)
        assert (everyone.responses, everyone.won, everyone.won_amount) == (3, 2, Decimal("3500"))
        assert everyone.roi == Decimal("2.5000")

    def test_roi_is_none_without_cost(self) -> None:
        assert selectors.campaign_roi(Decimal(100), Decimal(0)) is None
        assert selectors.campaign_roi(Decimal(0), Decimal(3)) == Decimal("-1.0000")
        assert selectors.campaign_roi(Decimal(1), Decimal(3)) == Decimal("-0.6667")


@pytest.mark.django_db
class TestVisibility:
    def test_campaigns_are_the_teams(self, manager, executive, admin_user) -> None:
        campaign = CampaignFactory()
        assert list(visible_campaigns(manager)) == [campaign]
        assert list(visible_campaigns(executive)) == [campaign]
        assert not visible_campaigns(admin_user).exists()
        manager.is_active = False
        assert not visible_campaigns(manager).exists()


@pytest.mark.django_db
class TestPages:
    def test_create_through_the_form(self, client, manager) -> None:
        client.force_login(manager)
        response = client.post(
            reverse("marketing:campaign-create"),
            {
                "name": "邮件推广",
                "kind": campaign_kind("e-mail").pk,
                "start_date": "2026-05-01",
                "end_date": "2026-05-31",
                "budget": "800",
                "description": "",
            },
        )
        campaign = Campaign.objects.get()
        assert response.url == reverse("marketing:campaign-detail", args=[campaign.pk])
        assert campaign.owner == manager

    @pytest.mark.parametrize(
        ("field", "value"),
        [("end_date", "2026-04-01"), ("budget", "-5"), ("name", ""), ("kind", "")],
    )
    def test_the_form_explains_bad_values(self, client, manager, field, value) -> None:
        client.force_login(manager)
        data = {
            "name": "x",
            "kind": campaign_kind().pk,
            "start_date": "2026-05-01",
            "end_date": "2026-05-31",
            "budget": "1",
            field: value,
        }
        response = client.post(reverse("marketing:campaign-create"), data)
        assert field in response.context["form"].errors
        assert not Campaign.objects.exists()

    def test_the_group_choices_are_the_viewers(self, client, manager, supervisor) -> None:
        CustomerGroup.objects.create(name="主管私有", owner=supervisor)
        mine = CustomerGroup.objects.create(name="我的", owner=manager)
        client.force_login(manager)
        response = client.get(reverse("marketing:campaign-create"))
        assert list(response.context["form"].fields["target_group"].queryset) == [mine]

    def test_detail_shows_cost_members_and_buttons(
        self, client, manager, supervisor, django_assert_max_num_queries
    ) -> None:
        group = CustomerGroup.objects.create(
            name="北京客户", owner=manager, filters={"name": "北京"}
        )
        CustomerFactory(name="北京甲", manager=manager)
        CustomerFactory(name="北京乙", manager=manager)
        CustomerFactory(name="上海丙", manager=manager)
        campaign = CampaignFactory(owner=manager, status=S.PLANNED, target_group=group)
        client.force_login(supervisor)
        with django_assert_max_num_queries(16):
            response = client.get(reverse("marketing:campaign-detail", args=[campaign.pk]))
        assert response.context["can_approve"]
        assert response.context["group_visible"] is False  # the supervisor cannot use it
        client.force_login(manager)
        response = client.get(reverse("marketing:campaign-detail", args=[campaign.pk]))
        assert response.context["member_count"] == 2
        assert not response.context["can_approve"]
        assert response.context["can_edit"]

    def test_approve_start_log_through_the_pages(self, client, manager, supervisor) -> None:
        campaign = CampaignFactory(owner=manager)
        client.force_login(supervisor)
        client.post(reverse("marketing:campaign-approve", args=[campaign.pk]))
        client.force_login(manager)
        client.post(reverse("marketing:campaign-start", args=[campaign.pk]))
        response = client.post(
            reverse("marketing:campaign-log-add", args=[campaign.pk]),
            {"date": "2026-05-02", "note": "展位费", "cost": "1500"},
        )
        assert response.status_code == 302
        client.post(reverse("marketing:campaign-log-add", args=[campaign.pk]), {"note": "x"})
        assert CampaignLog.objects.get().cost == Decimal("1500")
        client.post(reverse("marketing:campaign-finish", args=[campaign.pk]))
        campaign.refresh_from_db()
        assert campaign.status == S.FINISHED
        response = client.get(reverse("marketing:campaign-detail", args=[campaign.pk]))
        assert response.context["result"].cost == Decimal("1500")

    def test_cancel_through_the_page(self, client, manager) -> None:
        campaign = CampaignFactory(owner=manager)
        client.force_login(manager)
        client.post(reverse("marketing:campaign-cancel", args=[campaign.pk]))
        campaign.refresh_from_db()
        assert campaign.status == S.CANCELLED

    def test_an_approved_campaign_cannot_be_edited(self, client, manager) -> None:
        campaign = CampaignFactory(owner=manager, status=S.APPROVED)
        client.force_login(manager)
        response = client.get(reverse("marketing:campaign-edit", args=[campaign.pk]))
        assert response.status_code == 403

    def test_the_history_tab(self, client, manager) -> None:
        campaign = services.campaign_create(actor=manager, **_fields())
        client.force_login(manager)
        response = client.get(reverse("marketing:campaign-history", args=[campaign.pk]))
        assert response.status_code == 200

    @pytest.mark.parametrize(
        "query", ["", "status=3&o=-cost", "kind=1&owner=x&active_from=2026-01-01"]
    )
    def test_list_filters_sorts_and_counts(
        self, client, manager, django_assert_max_num_queries, query
    ) -> None:
        for index in range(25):
            campaign = CampaignFactory(status=S.RUNNING, name=f"活动{index}")
            CampaignLogFactory(campaign=campaign, cost=Decimal(index))
        client.force_login(manager)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("marketing:campaign-list") + "?" + query)
        assert response.status_code == 200

    def test_list_filter_by_status_and_sort_by_cost(self, client, manager) -> None:
        cheap = CampaignFactory(status=S.RUNNING)
        CampaignLogFactory(campaign=cheap, cost=Decimal(1))
        dear = CampaignFactory(status=S.RUNNING)
        CampaignLogFactory(campaign=dear, cost=Decimal(9))
        CampaignFactory(status=S.PLANNED)
        client.force_login(manager)
        response = client.get(reverse("marketing:campaign-list") + "?status=3&o=-cost")
        assert list(response.context["object_list"]) == [dear, cheap]

    def test_empty_state(self, client, manager) -> None:
        client.force_login(manager)
        response = client.get(reverse("marketing:campaign-list"))
        assert b'data-testid="empty-state"' in response.content

    def test_a_group_in_use_is_not_deleted(self, manager) -> None:
        from sales.services import GROUP_IN_USE, group_delete

        group = CustomerGroup.objects.create(name="用着的", owner=manager)
        CampaignFactory(owner=manager, target_group=group)
        with pytest.raises(ValidationError) as error:
            group_delete(actor=manager, group=group)
        assert str(GROUP_IN_USE % {"name": group.name}) in _messages(error)


@pytest.mark.django_db
def test_the_development_page_links_the_campaign(client, manager, supervisor) -> None:
    campaign = CampaignFactory(status=S.RUNNING, name="研讨会活动")
    chance = SalesChanceFactory(
        creator=supervisor, assignee=manager, status=SalesChance.Status.ASSIGNED, campaign=campaign
    )
    client.force_login(manager)
    response = client.get(reverse("marketing:development-detail", args=[chance.pk]))
    assert reverse("marketing:campaign-detail", args=[campaign.pk]).encode() in response.content


def test_the_opportunity_list_filters_by_campaign(client, manager) -> None:
    fair = CampaignFactory(owner=manager, status=3)
    planned = CampaignFactory(owner=manager, status=1)
    from_fair = SalesChanceFactory(creator=manager, campaign=fair)
    SalesChanceFactory(creator=manager)
    client.force_login(manager)
    page = client.get(reverse("marketing:chance-list"), {"campaign": fair.pk})
    assert [chance.pk for chance in page.context["object_list"]] == [from_fair.pk]
    choices = [value for value, _label in page.context["filter"].form.fields["campaign"].choices]
    assert fair.pk in [getattr(value, "value", value) for value in choices]
    assert planned.pk not in [getattr(value, "value", value) for value in choices]
    # A campaign an opportunity may not name is not a valid filter: the form says so.
    wrong = client.get(reverse("marketing:chance-list"), {"campaign": planned.pk})
    assert wrong.context["filter"].form.errors["campaign"]

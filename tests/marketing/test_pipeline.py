"""Stages, stage moves, close reasons and the board."""

import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.urls import reverse

from inventory.models import DictItem, DictType
from marketing import selectors, services
from marketing.models import SalesChance, Stage, StageChange
from sales.models import Customer
from tests.factories.marketing import SalesChanceFactory, StageFactory
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db


def _stages() -> list[Stage]:
    return list(Stage.objects.filter(is_active=True).order_by("order"))


def _reason(type_: str) -> DictItem:
    return DictItem.objects.filter(type=type_).order_by("id").first()


def _developing(supervisor, manager) -> SalesChance:
    chance = SalesChanceFactory(creator=supervisor)
    return services.chance_assign(actor=supervisor, chance=chance, assignee=manager)


def test_the_default_stages_are_seeded_in_order() -> None:
    assert [(s.name, s.probability) for s in _stages()] == [
        ("初步接触", 10),
        ("需求分析", 30),
        ("方案提供", 60),
        ("谈判合同", 80),
    ]


def test_the_lost_and_won_reasons_are_in_the_dictionary() -> None:
    assert DictItem.objects.filter(type=DictType.CHANCE_LOST_REASON).count() >= 1
    assert DictItem.objects.filter(type=DictType.CHANCE_WON_REASON).count() >= 1


def test_assigning_puts_the_opportunity_in_the_first_stage(supervisor, manager) -> None:
    chance = _developing(supervisor, manager)
    chance.refresh_from_db()
    assert chance.stage == _stages()[0]
    assert chance.stage_changed_at is not None
    change = StageChange.objects.get(chance=chance)
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        None,
        _stages()[0],
        supervisor,
    )


def test_the_database_refuses_a_stage_outside_development(supervisor) -> None:
    chance = SalesChanceFactory(creator=supervisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        SalesChance.objects.filter(pk=chance.pk).update(stage=_stages()[0])


def test_the_database_refuses_developing_without_a_stage(supervisor, manager) -> None:
    chance = _developing(supervisor, manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        SalesChance.objects.filter(pk=chance.pk).update(stage=None)


def test_the_assignee_and_a_supervisor_move_between_stages(
    supervisor, manager, other_manager
) -> None:
    chance = _developing(supervisor, manager)
    first, second, third = _stages()[:3]
    services.chance_move_stage(actor=manager, chance=chance, stage=second)
    services.chance_move_stage(actor=supervisor, chance=chance, stage=third)
    chance.refresh_from_db()
    assert chance.stage == third
    moves = list(StageChange.objects.filter(chance=chance).values_list("from_stage", "to_stage"))
    assert moves == [(None, first.pk), (first.pk, second.pk), (second.pk, third.pk)]
    with pytest.raises(ValidationError) as refused:
        services.chance_move_stage(actor=other_manager, chance=chance, stage=first)
    assert str(services.MOVE_DENIED) in refused.value.messages
    with pytest.raises(ValidationError) as same:
        services.chance_move_stage(actor=manager, chance=chance, stage=third)
    assert str(services.SAME_STAGE) in same.value.messages


def test_a_retired_stage_takes_no_opportunities(supervisor, manager) -> None:
    chance = _developing(supervisor, manager)
    retired = StageFactory(is_active=False)
    with pytest.raises(ValidationError) as refused:
        services.chance_move_stage(actor=manager, chance=chance, stage=retired)
    assert str(services.STAGE_INACTIVE) in refused.value.messages


def test_unassigned_and_closed_opportunities_do_not_move(supervisor, manager) -> None:
    chance = SalesChanceFactory(creator=supervisor)
    with pytest.raises(ValidationError):
        services.chance_move_stage(actor=supervisor, chance=chance, stage=_stages()[1])


def test_failing_needs_a_lost_reason_and_leaves_the_stage(supervisor, manager) -> None:
    chance = _developing(supervisor, manager)
    with pytest.raises(ValidationError) as refused:
        services.chance_fail(actor=manager, chance=chance, reason=None)
    assert str(services.LOST_REASON_REQUIRED) in refused.value.messages
    with pytest.raises(ValidationError) as wrong:
        services.chance_fail(
            actor=manager, chance=chance, reason=_reason(DictType.CHANCE_WON_REASON)
        )
    assert str(services.WRONG_REASON) in wrong.value.messages
    lost = _reason(DictType.CHANCE_LOST_REASON)
    services.chance_fail(actor=manager, chance=chance, reason=lost)
    chance.refresh_from_db()
    assert (chance.status, chance.stage, chance.close_reason) == (4, None, lost)
    last = StageChange.objects.filter(chance=chance).last()
    assert (last.from_stage, last.to_stage, last.status) == (_stages()[0], None, 4)


def test_winning_records_the_optional_reason(supervisor, manager) -> None:
    chance = _developing(supervisor, manager)
    won = _reason(DictType.CHANCE_WON_REASON)
    services.chance_win(actor=manager, chance=chance, reason=won)
    chance.refresh_from_db()
    assert (chance.status, chance.stage, chance.close_reason) == (3, None, won)


def test_stages_are_maintained_with_the_right(admin_user, supervisor) -> None:
    stage = services.stage_create(actor=admin_user, name="签约", order=9, probability=95)
    services.stage_update(actor=admin_user, stage=stage, probability=90, is_active=False)
    stage.refresh_from_db()
    assert (stage.probability, stage.is_active) == (90, False)
    with pytest.raises(ValidationError) as denied:
        services.stage_create(actor=supervisor, name="x", order=1, probability=1)
    assert str(services.STAGES_DENIED) in denied.value.messages
    services.stage_delete(actor=admin_user, stage=stage)
    assert not Stage.objects.filter(pk=stage.pk).exists()


def test_a_stage_with_history_cannot_be_deleted(admin_user, supervisor, manager) -> None:
    _developing(supervisor, manager)
    with pytest.raises(ValidationError):
        services.stage_delete(actor=admin_user, stage=_stages()[0])


def test_the_seed_fills_only_an_empty_stage_table() -> None:
    count = Stage.objects.count()
    services.stage_seed_defaults()
    assert Stage.objects.count() == count
    Stage.objects.all().delete()
    services.stage_seed_defaults()
    assert Stage.objects.count() == len(services.DEFAULT_STAGES)


def test_assigning_without_an_active_stage_is_refused(supervisor, manager) -> None:
    Stage.objects.update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        services.chance_assign(
            actor=supervisor, chance=SalesChanceFactory(creator=supervisor), assignee=manager
        )
    assert str(services.NO_STAGE) in refused.value.messages


# The board --------------------------------------------------------------------------------------


def _post_move(client, chance, **data):
    return client.post(
        reverse("marketing:board-move", args=[chance.pk]), data, headers={"HX-Request": "true"}
    )


def test_the_board_shows_each_column_with_its_cards(client, supervisor, manager) -> None:
    developing = _developing(supervisor, manager)
    unassigned = SalesChanceFactory(creator=manager)
    client.force_login(supervisor)
    page = client.get(reverse("marketing:board"))
    assert page.status_code == 200
    columns = {column.key: column for column in page.context["columns"]}
    assert list(columns) == [
        "unassigned",
        *(str(stage.pk) for stage in _stages()),
        "won",
        "lost",
    ]
    assert [card.pk for card in columns["unassigned"].cards] == [unassigned.pk]
    assert [card.pk for card in columns[str(_stages()[0].pk)].cards] == [developing.pk]
    assert f'id="card-{developing.pk}"' in page.content.decode()


def test_a_manager_sees_only_their_opportunities_on_the_board(
    client, supervisor, manager, other_manager
) -> None:
    mine = _developing(supervisor, manager)
    theirs = _developing(supervisor, other_manager)
    client.force_login(manager)
    columns = client.get(reverse("marketing:board")).context["columns"]
    shown = {card.pk for column in columns for card in column.cards}
    assert mine.pk in shown
    assert theirs.pk not in shown


def test_the_board_filters_by_owner(client, supervisor, manager, other_manager) -> None:
    mine = _developing(supervisor, manager)
    _developing(supervisor, other_manager)
    client.force_login(supervisor)
    columns = client.get(reverse("marketing:board"), {"owner": manager.pk}).context["columns"]
    assert {card.pk for column in columns for card in column.cards} == {mine.pk}


def test_the_board_filters_by_period(client, supervisor, manager) -> None:
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    this_month = _developing(supervisor, manager)
    SalesChance.objects.filter(pk=this_month.pk).update(expected_close_date=today)
    later = _developing(supervisor, manager)
    SalesChance.objects.filter(pk=later.pk).update(
        expected_close_date=today + datetime.timedelta(days=800)
    )
    client.force_login(supervisor)
    for period in ("month", "quarter", "year"):
        columns = client.get(reverse("marketing:board"), {"period": period}).context["columns"]
        assert {card.pk for column in columns for card in column.cards} == {this_month.pk}


def test_a_board_move_calls_the_service_and_returns_the_card(client, supervisor, manager) -> None:
    chance = _developing(supervisor, manager)
    second = _stages()[1]
    client.force_login(manager)
    answer = _post_move(client, chance, to=second.pk)
    assert answer.status_code == 200
    body = answer.content.decode()
    assert f'data-column="{second.pk}"' in body
    assert f'data-moved-from="{_stages()[0].pk}"' in body
    chance.refresh_from_db()
    assert chance.stage == second
    assert StageChange.objects.filter(chance=chance, to_stage=second, changed_by=manager).exists()


def test_a_refused_board_move_keeps_the_card_and_says_why(
    client, supervisor, manager, other_manager
) -> None:
    chance = _developing(supervisor, manager)
    client.force_login(manager)
    answer = _post_move(client, chance, to="won")  # not confirmed
    assert 'data-testid="card-error"' in answer.content.decode()
    assert 'data-moved-from=""' in answer.content.decode()
    chance.refresh_from_db()
    assert chance.status == SalesChance.Status.ASSIGNED
    client.force_login(other_manager)
    assert _post_move(client, chance, to=_stages()[1].pk).status_code == 404


def test_won_from_the_board_runs_development_succeeded(client, supervisor, manager) -> None:
    chance = _developing(supervisor, manager)
    client.force_login(manager)
    answer = _post_move(client, chance, to="won", confirm="1")
    assert 'data-column="won"' in answer.content.decode()
    chance.refresh_from_db()
    assert chance.status == SalesChance.Status.SUCCEEDED
    assert Customer.objects.get(pk=chance.customer_id).manager == manager


def test_won_from_the_board_stops_at_similar_customers(
    client, supervisor, manager, other_manager
) -> None:
    chance = _developing(supervisor, manager)
    CustomerFactory(name=chance.customer_name, manager=manager)  # visible to the manager
    hidden = CustomerFactory(name=chance.customer_name, manager=other_manager)  # not visible
    client.force_login(manager)
    body = _post_move(client, chance, to="won", confirm="1").content.decode()
    assert 'data-testid="card-error"' in body
    assert chance.customer_name in body
    assert "1 customer you cannot see" in body
    assert hidden.number not in body  # the hidden one is only counted
    chance.refresh_from_db()
    assert chance.status == SalesChance.Status.ASSIGNED
    assert Customer.objects.filter(name=chance.customer_name).count() == 2


def test_lost_from_the_board_needs_the_reason(client, supervisor, manager) -> None:
    chance = _developing(supervisor, manager)
    client.force_login(manager)
    _post_move(client, chance, to="lost")
    chance.refresh_from_db()
    assert chance.status == SalesChance.Status.ASSIGNED
    reason = _reason(DictType.CHANCE_LOST_REASON)
    _post_move(client, chance, to="lost", reason=reason.pk)
    chance.refresh_from_db()
    assert (chance.status, chance.close_reason) == (SalesChance.Status.FAILED, reason)


def test_a_move_without_javascript_redirects_to_the_board(client, supervisor, manager) -> None:
    chance = _developing(supervisor, manager)
    client.force_login(manager)
    answer = client.post(reverse("marketing:board-move", args=[chance.pk]), {"to": "nowhere"})
    assert answer.status_code == 302
    answer = client.post(reverse("marketing:board-move", args=[chance.pk]), {"to": _stages()[2].pk})
    assert answer.status_code == 302
    chance.refresh_from_db()
    assert chance.stage == _stages()[2]


def test_columns_page_their_cards(client, supervisor, manager, settings) -> None:
    chances = [_developing(supervisor, manager) for _ in range(selectors.BOARD_PAGE + 3)]
    first = str(_stages()[0].pk)
    client.force_login(supervisor)
    column = {c.key: c for c in client.get(reverse("marketing:board")).context["columns"]}[first]
    assert column.count == len(chances)
    assert len(column.cards) == selectors.BOARD_PAGE
    assert column.more
    rest = client.get(reverse("marketing:board-column", args=[first]), {"before": column.last_id})
    assert rest.status_code == 200
    assert [card.pk for card in rest.context["column"].cards] == [c.pk for c in chances[:3]][::-1]
    assert client.get(reverse("marketing:board-column", args=["999999"])).status_code == 404
    won = client.get(reverse("marketing:board-column", args=["won"]))
    assert won.context["column"].cards == []


@pytest.mark.parametrize("size", [2, 30])
def test_board_query_counts(client, supervisor, manager, django_assert_max_num_queries, size):
    for _ in range(size):
        _developing(supervisor, manager)
        SalesChanceFactory(creator=manager)
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("marketing:board")).status_code == 200
    chance = SalesChance.objects.filter(status=2).first()
    client.force_login(manager)
    with django_assert_max_num_queries(20):
        _post_move(client, chance, to=_stages()[1].pk)


# Two people at once -----------------------------------------------------------------------------


def _race(action, count: int = 2) -> list[object]:
    barrier = threading.Barrier(count)
    outcomes: list[object] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcomes.append(action(index))
        except ValidationError as error:
            outcomes.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_people_moving_the_same_card_at_once(supervisor, manager) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    services.stage_seed_defaults()
    chance = _developing(supervisor, manager)
    target = _stages()[2]
    actors = [supervisor, manager]

    outcomes = _race(
        lambda index: services.chance_move_stage(actor=actors[index], chance=chance, stage=target)
    )

    assert sum(isinstance(outcome, ValidationError) for outcome in outcomes) == 1
    assert StageChange.objects.filter(chance=chance, to_stage=target).count() == 1
    chance.refresh_from_db()
    assert chance.stage == target


@pytest.mark.django_db(transaction=True)
def test_two_moves_to_different_stages_at_once_chain_in_the_history(supervisor, manager) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    services.stage_seed_defaults()
    chance = _developing(supervisor, manager)
    targets = [_stages()[1], _stages()[3]]
    actors = [supervisor, manager]

    outcomes = _race(
        lambda index: services.chance_move_stage(
            actor=actors[index], chance=chance, stage=targets[index]
        )
    )

    assert not any(isinstance(outcome, ValidationError) for outcome in outcomes)
    moves = list(StageChange.objects.filter(chance=chance).order_by("id"))
    assert len(moves) == 3
    assert moves[2].from_stage_id == moves[1].to_stage_id  # the second saw the first's move
    chance.refresh_from_db()
    assert chance.stage_id == moves[2].to_stage_id


@pytest.mark.django_db(transaction=True)
def test_winning_and_moving_at_once_never_leaves_a_won_card_in_a_stage(supervisor, manager):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    services.stage_seed_defaults()
    services_dictionary()
    chance = _developing(supervisor, manager)

    def act(index: int) -> object:
        if index == 0:
            return services.chance_win(actor=manager, chance=chance)
        return services.chance_move_stage(actor=supervisor, chance=chance, stage=_stages()[1])

    _race(act)
    chance.refresh_from_db()
    assert chance.status == SalesChance.Status.SUCCEEDED
    assert chance.stage is None
    assert Customer.objects.count() == 1


def services_dictionary() -> None:
    from inventory.services import dictionary_seed_defaults

    dictionary_seed_defaults()


# The card partial of templates/marketing/board.html before `BoardCards.card_html`, kept to
# prove that the markup written in Python is the same.
CARD_TEMPLATE = Path(__file__).parent / "fixtures" / "board_card.html"


@pytest.mark.parametrize("error", ["", "拒绝 <理由> & 说明"])
def test_the_card_written_in_python_is_the_templates_markup(rf, supervisor, manager, error):
    import re

    from django.template import Context, Template

    from marketing.views import BoardCards

    stages = list(selectors.active_stages())
    movable = SalesChanceFactory(
        creator=supervisor, customer_name='客户 <甲> & "乙"', title="标题 <b>"
    )
    services.chance_assign(actor=supervisor, chance=movable, assignee=manager)
    unassigned = SalesChanceFactory(creator=supervisor, expected_amount=None)
    request = rf.get("/")
    request.user = supervisor
    board = BoardCards(request, supervisor, stages)
    for chance in (movable, unassigned):
        card = board.row(selectors.board_card(supervisor, chance.pk))
        context = {"card": card, "board": board, "error": error, "moved_from": "won"}
        expected = Template(CARD_TEMPLATE.read_text(encoding="utf-8")).render(
            Context({**context, "csrf_token": "tok"})
        )
        expected = expected.replace(
            '<input type="hidden" name="csrfmiddlewaretoken" value="tok">', board.csrf_input
        )
        written = board.card_html(card, error=error, moved_from="won")

        def squeeze(html: str) -> str:
            return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).replace(" >", ">").strip()

        assert squeeze(written) == squeeze(expected)
        assert ("data-movable" in written) is (chance == movable)

"""The pipeline board in Chromium: drag a card to another stage, move one with the keyboard,
win one from the board (with its confirmation) and lose one (with its reason)."""

import pytest
from playwright.sync_api import expect

from inventory.models import DictItem, DictType
from marketing import services
from marketing.models import SalesChance, Stage
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.marketing import SalesChanceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _world():
    boss = UserFactory(username="wangcai", role=role("supervisor"))
    manager = UserFactory(username="xiaoming", first_name="小明", role=role("manager"))
    chance = services.chance_assign(
        actor=boss,
        chance=SalesChanceFactory(creator=boss, customer_name="睿智电子科技有限公司"),
        assignee=manager,
    )
    return manager, chance, list(Stage.objects.filter(is_active=True).order_by("order"))


def _drag(page, source, target) -> None:
    """SortableJS (fallback mode) follows the mouse: press, move in steps, release."""
    box = source.locator(".text-body-secondary").first.bounding_box()
    goal = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + box["height"] / 2 + 5, steps=3)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + 20, steps=15)
    page.mouse.up()


def test_a_card_is_dragged_to_the_next_stage(open_page):
    _manager, chance, stages = _world()
    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    page.goto("/marketing/board/")
    card = page.locator(f"[data-testid=card-{chance.pk}]")
    target = page.locator(f"[data-column-list='{stages[1].pk}']")
    card.locator(".text-body-secondary").first.drag_to(target)
    if not target.locator(f"[data-testid=card-{chance.pk}]").count():
        _drag(page, card, target)  # drag_to's single move can be too quick for SortableJS
    page.wait_for_selector(
        f"[data-column-list='{stages[1].pk}'] [data-testid=card-{chance.pk}]"
        f"[data-column='{stages[1].pk}']"
    )
    chance.refresh_from_db()
    assert chance.stage == stages[1]
    # The column counts follow once the swapped card has settled.
    expect(page.locator(f"[data-count='{stages[1].pk}']")).to_have_text("1")
    expect(page.locator(f"[data-count='{stages[0].pk}']")).to_have_text("0")
    assert page.console_errors == []


def test_cards_move_with_the_keyboard_and_win_with_a_confirmation(open_page):
    _manager, chance, stages = _world()
    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    page.goto("/marketing/board/")
    select = page.locator(f"[data-testid=move-{chance.pk}]")
    select.focus()
    select.select_option(str(stages[2].pk))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(
        f"[data-column-list='{stages[2].pk}'] [data-column='{stages[2].pk}']"
        f"[data-testid=card-{chance.pk}]"
    )
    chance.refresh_from_db()
    assert chance.stage == stages[2]

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"[data-testid=move-{chance.pk}]").select_option("won")
    page.click(f"[data-testid=move-submit-{chance.pk}]")
    page.wait_for_selector(f"[data-column-list='won'] [data-testid=card-{chance.pk}]")
    chance.refresh_from_db()
    assert chance.status == SalesChance.Status.SUCCEEDED
    assert page.console_errors == []


def test_a_card_moved_to_lost_asks_for_the_reason(open_page):
    _manager, chance, _stages = _world()
    reason = DictItem.objects.filter(type=DictType.CHANCE_LOST_REASON).first()
    page = open_page("en-US")
    login(page, "xiaoming", PASSWORD)
    page.goto("/marketing/board/")
    page.locator(f"[data-testid=move-{chance.pk}]").select_option("lost")
    page.click(f"[data-testid=move-submit-{chance.pk}]")
    page.select_option("[data-testid=lost-reason]", str(reason.pk))
    page.click("[data-testid=lost-ok]")
    page.wait_for_selector(f"[data-column-list='lost'] [data-testid=card-{chance.pk}]")
    chance.refresh_from_db()
    assert (chance.status, chance.close_reason) == (SalesChance.Status.FAILED, reason)

"""Accessibility and front-end weight, in the browser (issue 25, and the phone item of issue 16).

For each role and in both languages, every page of the role's menu (its main page of each module)
plus the home page is checked with axe-core (WCAG 2.1 A/AA rules, vendored for tests only from
node_modules): no critical or serious violation. The same pages, at a phone's size (390×844), are
no wider than the screen. The JavaScript each page loads, gzipped, stays within the budget of
DESIGN.md §9 (250 kB on a page with charts, 60 kB elsewhere).
"""

import datetime
import gzip
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from sales.models import Customer
from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import CustomerFactory, CustomerLossFactory, OrderLineFactory
from tests.factories.service import ServiceRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    resultTypes: ["violations"],
  });
  return result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => v.id + " (" + v.impact + "): "
      + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")
      + (v.nodes.length > 3 ? " and " + (v.nodes.length - 3) + " more" : ""));
}"""
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
CHART_PAGE_JS = 250_000
# The calendar's FullCalendar (month, week and day grids, drag and drop: the smallest build that
# does the calendar's job) is 75 kB by itself: a widget page like the chart pages (DESIGN §9's
# note in docs/architecture.md), with its own budget.
CALENDAR_PAGE_JS = 125_000
PAGE_JS = 60_000


def _data() -> None:
    manager = UserFactory(username="xiaoming", first_name="小明", role=role("manager"))
    customer = CustomerFactory(manager=manager, name="聪海信息科技有限公司")
    for months in range(3):
        OrderLineFactory(
            order__customer=customer,
            order__date=timezone.localdate() - datetime.timedelta(days=30 * months),
            unit_price=Decimal(1000),
        )
    SalesChanceFactory(creator=manager)
    CustomerLossFactory(customer=CustomerFactory(manager=manager))
    ServiceRequestFactory(customer=customer)


class Scripts:
    """The gzipped size of every script the current page loaded."""

    def __init__(self, page) -> None:
        self.sizes: dict[str, int] = {}
        page.on("response", self._record)

    def _record(self, response) -> None:
        if response.request.resource_type == "script" and response.ok:
            self.sizes[response.url] = len(gzip.compress(response.body(), 9))

    def total(self, page) -> int:
        urls = page.eval_on_selector_all("script[src]", "scripts => scripts.map(s => s.src)")
        return sum(self.sizes[url] for url in urls)


def _check(page, scripts: Scripts, url: str, problems: list[str], weights: dict[str, int]) -> None:
    page.goto(url)
    # A chart whose table has no rows gets no option (and no script): it is not drawn.
    charts = page.evaluate(
        "[...document.querySelectorAll('[data-chart]')]"
        ".filter(e => document.getElementById(e.dataset.chart)).length"
    )
    if charts:
        try:
            page.wait_for_function(
                "n => document.querySelectorAll('[data-chart][data-rendered]').length === n",
                arg=charts,
            )
        except Exception:
            problems.append(f"{url}: charts not drawn; console: {page.console_errors}")
            return
    page.add_script_tag(path=str(AXE))
    problems.extend(f"{url}: {violation}" for violation in page.evaluate(AXE_RUN))
    if page.console_errors:
        problems.append(f"{url}: console errors {page.console_errors}")
        page.console_errors.clear()
    weight = scripts.total(page)
    weights[url] = weight
    calendar = page.locator("script[src*='fullcalendar']").count()
    budget = CHART_PAGE_JS if charts else CALENDAR_PAGE_JS if calendar else PAGE_JS
    if weight > budget:
        problems.append(f"{url}: {weight} bytes of gzipped JavaScript, budget {budget}")
    page.set_viewport_size(PHONE)
    # Loaded at the phone's size, as a phone does (charts drawn at the desktop size resize a
    # moment after the window does, which is not what a phone user sees).
    page.reload(wait_until="load")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        problems.append(f"{url}: {width[0]} px wide on a {width[1]} px phone")
    page.set_viewport_size(DESKTOP)


def _off_menu_pages(slug: str) -> list[str]:
    """Pages reached from other pages rather than the menu: the calendar and the board (from
    the tasks and opportunity pages), the supervisor's duplicates and merge pages."""
    pages = ["/reports/calendar/"] if slug in ("manager", "supervisor") else []
    if slug != "supervisor":
        return pages
    first, second = Customer.objects.order_by("pk")[:2]
    return [
        *pages,
        "/marketing/board/",
        "/search/duplicates/",
        f"/search/merge/{first.number}/{second.number}/",
    ]


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
@pytest.mark.parametrize("slug", ["admin", "supervisor", "manager", "executive"])
def test_every_main_page_passes_axe_fits_a_phone_and_the_js_budget(open_page, slug, locale):
    _data()
    UserFactory(username="tester", role=role(slug))
    page = open_page(locale, bypass_csp=True)
    page.set_viewport_size(DESKTOP)
    scripts = Scripts(page)
    problems: list[str] = []
    weights: dict[str, int] = {}
    _check(page, scripts, "/accounts/login/", problems, weights)
    login(page, "tester", PASSWORD)
    urls = page.eval_on_selector_all(
        "[data-testid=menu] a.nav-link[href^='/']",
        "links => links.map(a => a.getAttribute('href'))",
    )
    assert len(urls) >= 3, urls
    for url in dict.fromkeys(["/", *urls, *_off_menu_pages(slug)]):
        _check(page, scripts, url, problems, weights)
    print(f"\n{slug} {locale} gzipped JavaScript per page: {weights}")
    assert problems == []


def test_charts_have_a_text_alternative_and_their_numbers(open_page):
    _data()
    UserFactory(username="zhoujie", role=role("executive"))
    page = open_page("en-US", bypass_csp=True)
    login(page, "zhoujie", PASSWORD)
    trend = page.locator("[data-testid=chart-trend]")
    page.wait_for_selector("[data-testid=chart-trend][data-rendered='1'] svg")
    assert trend.get_attribute("role") == "img"
    assert trend.get_attribute("aria-label")
    numbers = page.locator("[data-testid=chart-trend] + .visually-hidden.chart-data table")
    assert numbers.locator("caption").inner_text() == trend.get_attribute("aria-label")
    option = json.loads(page.locator("script#chart-trend").text_content())
    rows = numbers.locator("tbody tr")
    assert rows.count() == len(option["xAxis"]["data"]) == 24
    expected = [
        [label, str(int(value)) if value == int(value) else str(value)]
        for label, value in zip(option["xAxis"]["data"], option["series"][0]["data"], strict=True)
    ]
    assert [rows.nth(i).locator("th, td").all_inner_texts() for i in range(24)] == expected
    assert any(value != "0" for _, value in expected)

    page.goto("/reports/contribution/")
    chart = page.locator("[data-chart]").first
    assert chart.get_attribute("role") == "img"
    assert "table below" in chart.get_attribute("aria-label")
    assert page.locator("[data-chart] + table").count() == 0


def test_the_tag_and_group_pages_pass_axe_and_fit_a_phone(open_page):
    """The pages of tags, groups and bulk actions that no menu links to (issue 23)."""
    from tests.factories.marketing import SalesChanceFactory as Chance
    from tests.factories.sales import CustomerGroupFactory, TagFactory

    manager = UserFactory(username="xiaoming", role=role("manager"))
    UserFactory(username="wangcai", role=role("supervisor"))
    UserFactory(username="guanli", role=role("admin"))
    tags = [TagFactory(name=f"标签{key}", colour=key) for key in ("blue", "yellow", "sky")]
    customer = CustomerFactory(manager=manager, name="聪海信息科技有限公司")
    customer.tags.set(tags)
    chance = Chance(creator=manager)
    group = CustomerGroupFactory(owner=manager, filters={"name": "聪海"})
    pages = {
        "xiaoming": [
            f"/customers/?tags={tags[0].pk}&tags_mode=all&group={group.pk}",
            f"/customers/{customer.number}/",
            f"/customers/{customer.number}/tags/",
            f"/customers/bulk/tag/?customer={customer.number}",
            f"/customers/bulk/export/?customer={customer.number}",
            "/customers/groups/",
            "/customers/groups/new/?name=聪海",
            f"/customers/groups/{group.pk}/edit/",
            f"/marketing/chances/{chance.pk}/tags/",
            f"/documents/customer/{customer.pk}/",
        ],
        "wangcai": ["/marketing/chances/", f"/marketing/chances/assign/?chance={chance.pk}"],
        "guanli": [
            "/customers/tags/",
            "/customers/tags/new/",
            f"/customers/tags/{tags[0].pk}/edit/",
        ],
    }
    problems: list[str] = []
    weights: dict[str, int] = {}
    for username, urls in pages.items():
        page = open_page("zh-CN", bypass_csp=True)
        page.set_viewport_size(DESKTOP)
        scripts = Scripts(page)
        login(page, username, PASSWORD)
        for url in urls:
            _check(page, scripts, url, problems, weights)
    assert problems == []


def test_the_campaign_pages_pass_axe_and_fit_a_phone(open_page):
    """The campaigns (issue 23.1): the list with its saved views, a campaign with its log and
    opportunities, its form, the campaign report."""
    from accounts.models import SavedView
    from tests.factories.marketing import CampaignFactory, CampaignLogFactory

    manager = UserFactory(username="xiaoming", role=role("manager"))
    campaign = CampaignFactory(owner=manager, status=3, name="春季展会")
    CampaignLogFactory(campaign=campaign)
    SalesChanceFactory(creator=manager, campaign=campaign)
    SavedView.objects.create(
        user=manager, list_key="marketing:campaign-list", name="进行中", query="status=3"
    )
    urls = [
        "/marketing/campaigns/",
        "/marketing/campaigns/?status=5",
        f"/marketing/campaigns/{campaign.pk}/",
        "/marketing/campaigns/new/",
        f"/reports/campaign/?year={campaign.start_date.year}",
    ]
    problems: list[str] = []
    weights: dict[str, int] = {}
    page = open_page("zh-CN", bypass_csp=True)
    page.set_viewport_size(DESKTOP)
    scripts = Scripts(page)
    login(page, "xiaoming", PASSWORD)
    for url in urls:
        _check(page, scripts, url, problems, weights)
    page.goto("/marketing/campaigns/")
    page.click("[data-testid=saved-views-toggle]")
    page.wait_for_selector("[data-testid=saved-views] .dropdown-menu.show")
    page.mouse.move(0, 0)  # no hover, and the button's colour transition over (0.15 s)
    page.wait_for_timeout(400)
    page.add_script_tag(path=str(AXE))
    problems.extend(f"views menu: {violation}" for violation in page.evaluate(AXE_RUN))
    assert problems == []


def test_the_quote_pages_pass_axe_and_fit_a_phone(open_page):
    """The quote list (also in the menu), its form, a quote and its steps (issue 21)."""
    from marketing import services
    from tests.factories.inventory import ProductFactory

    manager = UserFactory(username="xiaoming", role=role("manager"))
    UserFactory(username="wangcai", role=role("supervisor"))
    customer = CustomerFactory(manager=manager, name="聪海信息科技有限公司")
    quote = services.quote_create(
        actor=manager,
        customer=customer,
        lines=[{"product": ProductFactory(), "quantity": 2, "discount": Decimal(20)}],
        valid_until=timezone.localdate() + datetime.timedelta(days=10),
        terms="款到发货",
    )
    services.quote_submit(actor=manager, quote=quote)
    pages = {
        "xiaoming": [
            "/marketing/quotes/",
            "/marketing/quotes/?status=99",
            "/marketing/quotes/new/",
            f"/marketing/quotes/{quote.pk}/",
            f"/customers/{customer.number}/",
        ],
        "wangcai": [
            f"/marketing/quotes/{quote.pk}/",
            f"/marketing/quotes/{quote.pk}/approve/",
            f"/marketing/quotes/{quote.pk}/reject/",
        ],
    }
    problems: list[str] = []
    weights: dict[str, int] = {}
    for username, urls in pages.items():
        page = open_page("zh-CN", bypass_csp=True)
        page.set_viewport_size(DESKTOP)
        scripts = Scripts(page)
        login(page, username, PASSWORD)
        for url in urls:
            _check(page, scripts, url, problems, weights)
    assert problems == []

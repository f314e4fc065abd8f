"""Every list page is cut by the one paginator (`core.views.paginate`): a malformed, too small or
too large `?page=` shows the nearest page instead of an error, on every list."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.views import CappedPaginator, ListPageView
from reports.models import ReportDelivery, ReportSubscription
from sales.views import OrderListView
from tests.access.matrix import ROLES
from tests.factories import NotificationFactory, RoleFactory, UserFactory, role
from tests.factories.sales import CustomerFactory, OrderFactory
from tests.test_access_matrix import CASES, ROLE_OF, World

PAGED_BY_HAND = {OrderListView}  # TemplateViews whose context comes from paginate()


def _list_urls(patterns: list, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _list_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and (issubclass(view, ListPageView) or view in PAGED_BY_HAND):
                names.add(f"{namespace}{pattern.name}")
    return names


LIST_URLS = sorted(_list_urls(get_resolver().url_patterns))
CLAMPS = [("", "first"), ("abc", "first"), ("0", "first"), ("-3", "first"), ("99999", "last")]


def test_the_list_urls_are_found() -> None:
    # The discovery above is what the parametrized tests run over: it must see every kind of list.
    assert {"accounts:user-list", "sales:order-list", "reports:subscription-log"} <= set(LIST_URLS)
    assert len(LIST_URLS) >= 15


@pytest.fixture
def world(db: None) -> World:
    """The access matrix's objects, so each list URL gets the kwargs its case uses."""
    return World(
        {
            name: UserFactory(username=f"lists-{name}", role=role(slug))
            for name, slug in ROLE_OF.items()
        }
    )


def _case(url_name: str) -> Any:
    return next(c for c in CASES if c.url_name == url_name and c.method == "get" and not c.label)


@pytest.mark.parametrize("url_name", LIST_URLS)
@pytest.mark.parametrize(("page", "expected"), CLAMPS)
def test_every_list_clamps_the_page_number(
    client, world: World, url_name: str, page: str, expected: str
) -> None:
    case = _case(url_name)
    who = next(name for name in ROLES if case.expect[name] == 200)
    client.force_login(world.users[who])
    response = client.get(reverse(url_name, kwargs=case.kwargs(world)), {"page": page})
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    if page_obj is None:  # a list shown whole (the rights registry, the admins' few tags)
        assert url_name in {"accounts:right-list", "sales:tag-list"}
        return
    assert isinstance(response.context["paginator"], CappedPaginator)
    wanted = 1 if expected == "first" else response.context["paginator"].num_pages
    assert page_obj.number == wanted


# With more than one page, for the lists that had a paginator of their own ----------------------


def _subscriptions(owner: Any) -> None:
    for number in range(25):
        ReportSubscription.objects.create(name=f"周报{number}", owner=owner, report="composition")


def _deliveries(owner: Any) -> dict[str, int]:
    subscription = ReportSubscription.objects.create(name="周报", owner=owner, report="x")
    ReportDelivery.objects.bulk_create(
        ReportDelivery(subscription=subscription, recipient=owner, run_at=timezone.now())
        for _ in range(25)
    )
    return {"pk": subscription.pk}


def _orders(owner: Any) -> dict[str, str]:
    customer = CustomerFactory(manager=owner)
    OrderFactory.create_batch(25, customer=customer)
    return {"number": customer.number}


MANY: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "accounts:notification-list": (
        "manager",
        lambda u: NotificationFactory.create_batch(45, user=u),
    ),
    "accounts:user-list": ("admin", lambda u: UserFactory.create_batch(25)),
    "accounts:role-list": ("admin", lambda u: RoleFactory.create_batch(25)),
    "sales:customer-list": ("manager", lambda u: CustomerFactory.create_batch(25, manager=u)),
    "sales:order-list": ("manager", _orders),
    "reports:subscription-list": ("supervisor", _subscriptions),
    "reports:subscription-log": ("supervisor", _deliveries),
}


@pytest.mark.parametrize("url_name", sorted(MANY))
@pytest.mark.parametrize(("page", "expected"), [*CLAMPS, ("2", 2)])
def test_a_long_list_clamps_to_its_first_or_last_page(
    client, world: World, url_name: str, page: str, expected: str | int
) -> None:
    who, make = MANY[url_name]
    made = make(world.users[who])
    kwargs = made if isinstance(made, dict) else {}
    client.force_login(world.users[who])
    response = client.get(reverse(url_name, kwargs=kwargs), {"page": page})
    assert response.status_code == 200
    paginator = response.context["paginator"]
    assert paginator.num_pages >= 2
    wanted = {"first": 1, "last": paginator.num_pages}.get(expected, expected)  # type: ignore[call-overload]
    assert response.context["page_obj"].number == wanted
    assert 'data-testid="pager"' in response.content.decode()


def test_a_list_s_page_size_can_be_chosen(client, world: World) -> None:
    kwargs = _orders(world.users["manager"])
    client.force_login(world.users["manager"])
    response = client.get(reverse("sales:order-list", kwargs=kwargs), {"per_page": 20})
    assert response.context["paginator"].num_pages == 2
    assert len(response.context["object_list"]) == 20


QUERY_BUDGET = {  # the lists that moved onto ListPageView, at their counts before the move
    "accounts:notification-list": 7,
    "accounts:right-list": 5,
    "reports:subscription-list": 6,
    "reports:subscription-log": 7,
    "sales:order-list": 7,
}


@pytest.mark.parametrize("url_name", sorted(QUERY_BUDGET))
@pytest.mark.parametrize("page", ["", "2", "99999"])
@pytest.mark.parametrize("many", [False, True])
def test_a_list_s_query_count_does_not_grow_with_its_rows(
    client, world: World, django_assert_max_num_queries, url_name: str, page: str, many: bool
) -> None:
    who, make = MANY.get(url_name, ("admin", lambda u: None))
    if many:
        made = make(world.users[who])
    else:  # the list's own object only (a customer, a subscription), without rows
        made = {
            "sales:order-list": lambda: {
                "number": CustomerFactory(manager=world.users[who]).number
            },
            "reports:subscription-log": lambda: {"pk": world.subscription.pk},
        }.get(url_name, dict)()
    kwargs = made if isinstance(made, dict) else {}
    client.force_login(world.users[who])
    with django_assert_max_num_queries(QUERY_BUDGET[url_name]):
        response = client.get(reverse(url_name, kwargs=kwargs), {"page": page})
    assert response.status_code == 200

"""Every named URL × every role answers the status the matrix says (STYLE.md, "Tests")."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import (
    accounts,
    api,
    documents,
    inventory,
    jobs,
    marketing,
    quotes,
    reports,
    sales,
    search,
    service,
    tasks,
)
from tests.access.matrix import LOGIN, ROLES, BaseWorld, Case
from tests.factories import UserFactory, role

MODULES = (
    jobs, accounts, inventory, sales, marketing, quotes, service, tasks, reports, search, api,
    documents,
)  # fmt: skip
CASES: list[Case] = [case for module in MODULES for case in module.CASES]


class World(
    jobs.JobsWorld,
    accounts.AccountsWorld,
    accounts.SavedViewWorld,
    quotes.QuotesWorld,
    inventory.InventoryWorld,
    sales.SalesWorld,
    marketing.MarketingWorld,
    marketing.CampaignWorld,
    service.ServiceWorld,
    tasks.TasksWorld,
    reports.ReportsWorld,
    search.SearchWorld,
    api.ApiWorld,
    documents.DocumentsWorld,
    BaseWorld,
):
    pass


ROLE_OF = {
    "admin": "admin",
    "supervisor": "supervisor",
    "manager": "manager",
    "other_manager": "manager",
    "executive": "executive",
}


def _named_urls(patterns: list, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_named_url_is_in_the_access_matrix() -> None:
    missing = _named_urls(get_resolver().url_patterns) - {case.url_name for case in CASES}
    assert not missing, f"URLs without an access-matrix case: {sorted(missing)}"


def test_matrix_cases_name_existing_urls() -> None:
    unknown = {case.url_name for case in CASES} - _named_urls(get_resolver().url_patterns)
    assert not unknown, f"Cases for URLs that do not exist: {sorted(unknown)}"


@pytest.fixture
def world(db: None) -> World:
    users = {
        name: UserFactory(username=f"matrix-{name}", role=role(slug))
        for name, slug in ROLE_OF.items()
    }
    return World(users)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@pytest.mark.parametrize("who", ROLES)
def test_access(client, world: World, case: Case, who: str) -> None:
    if who != "anonymous":
        client.force_login(world.users[who])
    query = case.query(world) if callable(case.query) else case.query
    url = reverse(case.url_name, kwargs=case.kwargs(world)) + query
    send = getattr(client, case.method)
    if url.startswith("/api/v1/") and case.method != "get":
        body = json.dumps(case.data(world))  # the API reads JSON
        response = send(url, data=body, content_type="application/json")
    else:
        response = send(url, data=case.data(world)) if case.method == "post" else send(url)

    expected = case.expect[who]
    assert response.status_code == expected, (
        f"{case.method.upper()} {url} as {who}: {response.status_code}, expected {expected}"
    )
    if who == "anonymous" and expected == LOGIN and case.url_name not in _PUBLIC:
        assert response["Location"].startswith(reverse("accounts:login"))


# Views open to anonymous visitors, whose redirects go elsewhere than the login page.
_PUBLIC = {"accounts:set-language"}
